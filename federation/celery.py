"""The Celery app: `celery -A federation worker` runs the long work (imports, exports, the summary's
files and 定稿), `celery -A federation beat` the periodic work (settings.PERIODIC_TASKS).

Its configuration is the CELERY_* settings (federation/settings.py). With no CELERY_BROKER_URL there
is no broker and every task runs in-process, inside the call that queues it (task_always_eager):
`make run` and the test suite need nothing more.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")

app = Celery("federation")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's `tasks` module (federation.tasks, …) registers its tasks.
app.autodiscover_tasks()
