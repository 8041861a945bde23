"""编辑会员资料: a thin view over members.services.member_update."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from federation import scoping
from federation.service_errors import add_service_errors
from members import services
from members.models import Member
from members.profile_forms import MemberProfileForm


@login_required
def member_edit(request, pk: int):
    """Another scope's member is a 404; a reader (the chair) gets a 403."""
    user = request.user
    member = scoping.get_writable_or_404(user, Member, pk=pk)
    form = MemberProfileForm(
        request.POST or None, instance=member, full_identifiers=scoping.can_see_full_identifiers(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, by=user, **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存会员“%(name)s”的资料。") % {"name": form.cleaned_data["name"]})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_edit.html", {"form": form, "member": member})
