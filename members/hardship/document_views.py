"""证明材料 pages of a hardship case: upload, download (only to those who may see the case — there is
no public media URL) and removal. Writes go through members.services.documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from federation import scoping
from federation.uploads.serving import file_response
from members import services
from members.hardship.forms import CaseDocumentForm
from members.hardship.views import _case_context
from members.models import CaseDocument, HardshipCase


@login_required
@require_POST
def document_upload(request, pk: int):
    case = scoping.get_visible_or_404(request.user, HardshipCase, pk=pk)
    scoping.require_writer(request.user)
    case = scoping.get_changeable_or_404(request.user, HardshipCase, pk=pk)
    form = CaseDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_document_add(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:  # a rule of the case (closed), not of the file: said on top
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已上传证明材料。"))
        return redirect(reverse("hardship:detail", args=[case.pk]) + "#documents")
    return render(
        request,
        "members/hardship/case_detail.html",
        _case_context(request, case, document_form=form),
        status=400,
    )


@login_required
def document_file(request, pk: int):
    document = scoping.get_visible_or_404(request.user, CaseDocument, pk=pk)
    return file_response(document.file, filename=document.file.original_name, as_attachment=False, sniff=True)


@login_required
@require_POST
def document_delete(request, pk: int):
    document = scoping.get_visible_or_404(request.user, CaseDocument, pk=pk)
    scoping.require_writer(request.user)
    document = scoping.get_changeable_or_404(request.user, CaseDocument, pk=pk)
    case_pk = document.case_id
    try:
        services.case_document_delete(document=document, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除证明材料。"))
    return redirect("hardship:detail", pk=case_pk)
