"""Staff URLs of 入会申请, under /applications/ (namespace "applications")."""

from django.urls import path

from members.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("approve/", views.application_approve_many, name="approve-many"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/approve/", views.application_approve, name="approve"),
    path("<int:pk>/reject/", views.application_reject, name="reject"),
    path("links/", views.link_list, name="links"),
    path("links/new/", views.link_create, name="link-create"),
    path("links/<int:pk>/poster/", views.link_poster, name="poster"),
    path("links/<int:pk>/revoke/", views.link_revoke, name="link-revoke"),
]
