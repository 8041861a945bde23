"""URLs of the import pages, under /imports/ (namespace "imports")."""

from django.urls import path

from federation.imports import views as import_views

app_name = "imports"

urlpatterns = [
    path("", import_views.import_list, name="list"),
    path("new/", import_views.import_start, name="start"),
    path("template/<str:kind>/", import_views.template_download, name="template"),
    path("<int:pk>/", import_views.import_detail, name="detail"),
    path("<int:pk>/errors/", import_views.import_error_report, name="error-report"),
    path("<int:pk>/status/", import_views.import_status, name="status"),
    path("<int:pk>/confirm/", import_views.import_confirm, name="confirm"),
    path("<int:pk>/cancel/", import_views.import_cancel, name="cancel"),
]
