"""URLs of the federation records, under /federations/ (namespace "federations")."""

from django.urls import path

from federation.federations import views

app_name = "federations"

urlpatterns = [
    path("", views.federation_list, name="list"),
    path("<int:pk>/", views.federation_detail, name="detail"),
    path("<int:pk>/edit/", views.federation_edit, name="edit"),
    path("<int:pk>/years/new/", views.federation_year_create, name="year-create"),
    path("<int:pk>/years/<int:year_pk>/", views.federation_year_edit, name="year-edit"),
]
