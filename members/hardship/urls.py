"""URLs of hardship cases and aid records, under /hardship/ (namespace "hardship")."""

from django.urls import path

from members import batch_views, print_views
from members.hardship import document_views, views

app_name = "hardship"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/print/", print_views.case_print, name="print"),
    path("<int:pk>/review/", views.case_review, name="review"),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/documents/", document_views.document_upload, name="document-upload"),
    path("documents/<int:pk>/", document_views.document_file, name="document"),
    path("documents/<int:pk>/delete/", document_views.document_delete, name="document-delete"),
    path("aid/", views.aid_list, name="aid-list"),
    path("aid/new/", views.aid_create, name="aid-create"),
    path("aid/festival/", batch_views.aid_festival, name="aid-festival"),
    path("aid/<int:pk>/", views.aid_detail, name="aid-detail"),
    path("aid/<int:pk>/edit/", views.aid_edit, name="aid-edit"),
]
