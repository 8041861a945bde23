"""URLs of the union and contract records, under /unions/ (namespace "unions")."""

from django.urls import path

from unions import lookup, print_views, views

app_name = "unions"

urlpatterns = [
    path("", views.union_list, name="list"),
    path("lookup/", lookup.union_lookup, name="lookup"),
    path("new/", views.union_create, name="create"),
    path("years/sheet/", views.union_year_sheet, name="year-sheet"),
    path("<int:pk>/", views.union_detail, name="detail"),
    path("<int:pk>/edit/", views.union_edit, name="edit"),
    path("<int:pk>/print/", print_views.union_print, name="print"),
    path("<int:pk>/election/", views.union_election, name="election"),
    path("<int:pk>/dissolve/", views.union_dissolve, name="dissolve"),
    path("<int:pk>/merge/", views.union_merge, name="merge"),
    path("<int:pk>/years/new/", views.union_year_create, name="year-create"),
    path("<int:pk>/years/<int:year_pk>/", views.union_year_edit, name="year-edit"),
    path("<int:pk>/honours/new/", views.union_honour_create, name="honour-create"),
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/new/", views.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/scan/", views.contract_scan, name="contract-scan"),
    path("contracts/<int:pk>/scan/upload/", views.contract_scan_upload, name="contract-scan-upload"),
]
