"""Public URLs of 入会申请, under /join/ (namespace "join"): no account, no staff page."""

from django.urls import path

from members.applications import public_views

app_name = "join"

urlpatterns = [
    path("status/", public_views.status_lookup, name="lookup"),
    path("status/<str:receipt>/", public_views.status, name="status"),
    path("card/<str:token>/", public_views.card, name="card"),
    path("<str:token>/", public_views.join_form, name="form"),
]
