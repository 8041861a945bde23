# The Celery app is loaded with Django, so that queuing a task from a view or a command uses it.
from federation.celery import app as celery_app

__all__ = ("celery_app",)
