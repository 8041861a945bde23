"""URLs of the background exports, under /exports/ (namespace "exports")."""

from django.urls import path

from federation.exports import views as export_views

app_name = "exports"

urlpatterns = [
    path("<int:pk>/", export_views.export_detail, name="detail"),
    path("<int:pk>/status/", export_views.export_status, name="status"),
    path("<int:pk>/download/", export_views.export_download, name="download"),
]
