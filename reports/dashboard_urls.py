"""The 工作台 at the site's root (included by federation.urls without a namespace: "dashboard")."""

from django.urls import path

from reports.views.dashboard import dashboard

urlpatterns = [path("", dashboard, name="dashboard")]
