from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("工会台账")
admin.site.site_title = _("工会台账管理")
admin.site.index_title = _("台账管理")

accounts = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    # Django's LogoutView accepts POST only: a link or a prefetch cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts)),
    path("reports/", include("reports.urls")),
    path("members/", include("members.urls")),
    path("hardship/", include("members.hardship.urls")),
    path("applications/", include("members.applications.urls")),
    # 入会申请 from a phone, without an account (a join link's form, its status, the member card).
    path("join/", include("members.applications.public_urls")),
    path("activities/", include("unions.activities.urls")),
    path("unions/", include("unions.urls")),
    path("federations/", include("federation.federations.urls")),
    path("imports/", include("federation.imports.urls")),
    path("exports/", include("federation.exports.urls")),
    path("", include("reports.dashboard_urls")),
]
# No route serves MEDIA_URL, in development or production: every uploaded or generated file is
# downloaded through a view that asks federation.scoping (federation.uploads.serving).

# Rendered with no request and no context processors: they work while the database is down.
handler400 = "federation.errors.bad_request"
handler500 = "federation.errors.server_error"
