"""URLs of the member records, under /members/ (namespace "members")."""

from django.urls import path

from members import batch_views, print_views, views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/print/", print_views.member_print, name="print"),
    path("<int:pk>/leave/", views.member_leave, name="leave"),
    path("<int:pk>/reveal/", views.member_reveal, name="reveal"),
    path("<int:pk>/transfer/", views.transfer_request, name="transfer-request"),
    path("transfers/", batch_views.transfer_batch, name="transfer-batch"),
    path("transfers/<int:pk>/approve/", views.transfer_approve, name="transfer-approve"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer-accept"),
    path("transfers/<int:pk>/refuse/", views.transfer_refuse, name="transfer-refuse"),
]
