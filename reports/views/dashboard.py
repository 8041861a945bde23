"""The staff UI's own pages: the 工作台 (dashboard). Sign-in pages are Django's auth views."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from federation import scoping
from reports.dashboard import dashboard_for


@login_required
def dashboard(request):
    context = dashboard_for(request.user, timezone.localdate())
    context["may_write"] = scoping.may_write(request.user)
    return render(request, "reports/dashboard.html", context)
