"""Whose summary: a federation's (over its subtree) or a grassroots union's own (issue 15). The one
place that tells the two apart — the pages, the jobs, the services and the command take a `subject`
(a Federation or a GrassrootsUnion) and ask here for its scope, its catalogue, its rows, its URLs and
who may write and finalise it.
"""

from __future__ import annotations

from django.db.models import Model
from django.urls import reverse

from federation import scoping
from federation.models import Federation, User
from federation.scope import Period, Scope
from reports.indicators import AnyScope, Catalogue, compute_catalogue
from reports.indicators.union import compute_union_catalogue
from reports.summary.periods import summary_args
from unions.models import GrassrootsUnion
from unions.scope import UnionScope

Subject = Federation | GrassrootsUnion

# The URL names of a union's summary pages: the federation's with this prefix (reports.urls).
UNION_PREFIX = "union-"


def is_union(subject: Subject) -> bool:
    return isinstance(subject, GrassrootsUnion)


def scope_of(subject: Subject) -> AnyScope:
    return UnionScope(subject) if isinstance(subject, GrassrootsUnion) else Scope(subject)


def catalogue_of(subject: Subject, year: int, kind: str = Period.kind) -> Catalogue:
    if isinstance(subject, GrassrootsUnion):
        return compute_union_catalogue(subject, year, kind)
    return compute_catalogue(subject, year, kind)


def rows_of(subject: Subject) -> dict:
    """The lookups of the subject's drafts and versions (SummaryDraft, SummaryVersion)."""
    if isinstance(subject, GrassrootsUnion):
        return {"union": subject}
    return {"federation": subject, "union": None}


def new_row_fields(subject: Subject) -> dict:
    """The fields a new draft or version of the subject is created with."""
    if isinstance(subject, GrassrootsUnion):
        return {"federation": subject.federation, "union": subject}
    return {"federation": subject}


def url_name(name: str, subject: Subject) -> str:
    """reports:summary → reports:union-summary for a union's page."""
    if not isinstance(subject, GrassrootsUnion):
        return name
    namespace, _, page = name.rpartition(":")
    return f"{namespace}:{UNION_PREFIX}{page}"


def url(name: str, subject: Subject, year: int, kind: str = Period.kind, *more) -> str:
    """A page of the subject's summary of the year or half-year (`kind`)."""
    return reverse(url_name(name, subject), args=summary_args(subject.pk, year, kind or Period.kind, *more))


def lock(subject: Subject) -> None:
    """Lock the subject's row (inside a transaction): one save or 定稿 of its summary at a time."""
    model: type[Model] = type(subject)
    model._default_manager.select_for_update().filter(pk=subject.pk).first()


def may_edit(user: User, subject: Subject) -> bool:
    """A federation's narrative: its staff; a union's: its cadre."""
    if isinstance(subject, GrassrootsUnion):
        return scoping.can_edit_union_summary(user, subject)
    return scoping.can_edit_summary_draft(user, subject)


def may_finalise(user: User, subject: Subject) -> bool:
    """A federation's summary: its chair; a union's: its cadre."""
    if isinstance(subject, GrassrootsUnion):
        return scoping.can_edit_union_summary(user, subject)
    return scoping.can_finalise_summary(user, subject)


def visible_or_404(user: User, model: type[Model], pk: int) -> Subject:
    return scoping.get_visible_or_404(user, model, pk=pk)  # type: ignore[return-value]
