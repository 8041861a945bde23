"""Who may see and change what — the one place that decides it.

A user's scope follows from the role and the federation or union the account is bound to:

- 系统管理员 (and any superuser): everything;
- 联合会工作人员: their federation and every federation below it, with all their unions and records;
- 联合会主席: the same scope, read-only (plus finalising summaries, reports.services);
- 基层工会干事: their own union and its records;
- an account with no binding sees nothing.

Every view, export, import and report takes its querysets from `visible()` (or the named helpers),
and asks `can_change()` before a write. `get_visible_or_404()` gives the same 404 for "does not exist"
and "exists but not yours".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from federation.models import ExportJob, Federation, User
from federation.scope import other_roots, within_path

NOTHING = Q(pk__in=[])
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Anchor:
    """How a record reaches the tree: through a union, through a federation, or both.

    `union` is the lookup of the GrassrootsUnion (e.g. "member__union"), `federation` the lookup of a
    Federation (e.g. "union__federation"). A record anchored both ways (a regional contract, an
    activity) is visible through either.
    """

    union: str | None = None
    federation: str | None = None


def _union_anchor(union_lookup: str) -> Anchor:
    prefix = f"{union_lookup}__" if union_lookup != "pk" else ""
    return Anchor(union=union_lookup, federation=f"{prefix}federation")


# Who a record belongs to — for seeing it. Models are named by their label ("app.Model"): this
# module is the ground floor and imports no app above it.
VISIBILITY: dict[str, tuple[Anchor, ...]] = {
    "federation.Federation": (Anchor(federation="self"),),
    "federation.FederationYear": (Anchor(federation="federation"),),
    "unions.GrassrootsUnion": (_union_anchor("pk"),),
    "unions.UnionYear": (_union_anchor("union"),),
    "unions.Election": (_union_anchor("union"),),
    "unions.UnionHonour": (_union_anchor("union"),),
    "unions.CollectiveContract": (
        _union_anchor("union"),
        _union_anchor("covered_unions"),
        Anchor(federation="federation"),
    ),
    "unions.Activity": (_union_anchor("union"), Anchor(federation="federation")),
    "unions.ActivityPhoto": (
        _union_anchor("activity__union"),
        Anchor(federation="activity__federation"),
    ),
    "members.Member": (_union_anchor("union"),),
    "members.MemberHonour": (_union_anchor("member__union"),),
    "members.MembershipChange": (_union_anchor("union"),),
    "members.MembershipFlow": (_union_anchor("union"),),
    "members.MembershipTransfer": (_union_anchor("from_union"), _union_anchor("to_union")),
    "members.HardshipCase": (_union_anchor("union"),),
    "members.HouseholdMember": (_union_anchor("case__union"),),
    "members.CaseReview": (_union_anchor("case__union"),),
    "members.CaseDocument": (_union_anchor("case__union"),),
    "members.AidRecord": (_union_anchor("union"),),
    "members.JoinLink": (_union_anchor("union"),),
    "members.JoinApplication": (_union_anchor("union"),),
    # A federation's summary and a union's own (issue 15): the union's cadre sees the union's only.
    "reports.SummaryDraft": (Anchor(federation="federation"), Anchor(union="union")),
    "reports.SummaryVersion": (Anchor(federation="federation"), Anchor(union="union")),
    # What the figures of a federation are kept with (federation.freshness, reports.indicators.stored).
    "reports.StoredFigures": (Anchor(federation="federation"),),
    "federation.ChangeMark": (Anchor(federation="federation"),),
    # A roster import belongs to its union (and, through it, to the federations above); a union list
    # or an aid list imported by federation staff belongs to that federation.
    "federation.ImportBatch": (Anchor(union="union"), Anchor(federation="federation")),
    # An export job is its creator's alone (an administrator sees all): see _scoped.
    "federation.ExportJob": (),
}

# Who a record belongs to — for changing it, where that differs from seeing it: a regional contract
# is kept by the federation that signed it, not by the unions it covers.
OWNERSHIP: dict[str, tuple[Anchor, ...]] = {
    **VISIBILITY,
    "unions.CollectiveContract": (_union_anchor("union"), Anchor(federation="federation")),
}


def scoped_models() -> list[type[models.Model]]:
    """The models the tables above name (every domain model of the ledger)."""
    return [apps.get_model(label) for label in VISIBILITY]


FEDERATION_ROLES = (User.Role.FEDERATION_STAFF, User.Role.CHAIR)


def _signed_in(user: User) -> bool:
    """An active, authenticated account (AnonymousUser has no role: never reach for it)."""
    return bool(user and user.is_authenticated and user.is_active)


def is_administrator(user: User) -> bool:
    return _signed_in(user) and (user.is_superuser or user.role == User.Role.ADMIN)


def _bound_to_federation(user: User) -> bool:
    """A federation role (staff or chair) with its federation: their scope is that subtree."""
    return user.role in FEDERATION_ROLES and user.federation_id is not None


def _federation_scope(user: User) -> tuple[str, bool] | None:
    """The path of the user's federation, and whether its subtree is everything (it is the tree's only
    root: a city federation's staff) — in one query, cached on the user object for the request."""
    if _bound_to_federation(user) and user.federation_id is not None:
        cache = vars(user)
        if "_scope_path" not in cache:
            path, parent, others = (
                Federation.objects.annotate(others=Exists(other_roots(OuterRef("pk"))))
                .values_list("path", "parent_id", "others")
                .get(pk=user.federation_id)
            )
            cache["_scope_path"] = (path, parent is None and not others)
        return cache["_scope_path"]
    return None


def scope_is_everything(user: User) -> bool:
    """Does the user's scope hold every record of the ledger (an administrator, or staff and chair of
    the tree's only root)? Then a filter by scope can be left out."""
    if is_administrator(user):
        return True
    scope = _federation_scope(user)
    return bool(scope and scope[1])


def _federation_path(user: User) -> str | None:
    scope = _federation_scope(user)
    return scope[0] if scope else None


def _present_q(model: type[models.Model], lookup: str) -> Q:
    """Records that have something at the end of `lookup`: nothing to ask when every step of it is a
    required relation, else whether its end is set."""
    everything = Q(pk__isnull=False)  # not Q(): an empty Q vanishes from the OR of _scope_q
    if lookup in ("self", "pk"):
        return everything
    current: Any = model
    for name in lookup.split("__"):
        field = current._meta.get_field(name)
        if field.null or field.many_to_many or field.one_to_many:
            return Q(**{f"{lookup}__isnull": False})
        current = field.related_model
    return everything


def _anchor_q(user: User, anchor: Anchor, model: type[models.Model] | None = None) -> Q:
    scope = _federation_scope(user)
    if scope is not None and anchor.federation:
        path, everything = scope
        if everything and model is not None:
            # The whole tree: a record is in it when it is anchored at all — no join to the tree.
            return _present_q(model, anchor.union or anchor.federation)
        return within_path(anchor.federation, path)
    if user.role == User.Role.UNION_CADRE and user.union_id and anchor.union:
        lookup = "pk" if anchor.union == "pk" else f"{anchor.union}__pk"
        return Q(**{lookup: user.union_id})
    return NOTHING


def _many_valued(anchor: Anchor) -> bool:
    """Does the anchor go through a many-to-many relation (a contract's covered unions)?"""
    return any("covered_unions" in (lookup or "") for lookup in (anchor.union, anchor.federation))


def _through_q(user: User, anchor: Anchor, model: type[models.Model]) -> Q:
    """A many-to-many anchor as EXISTS over the relation's own table: a join would repeat a record
    once per match, and the DISTINCT that removes the repeats sorts every record of the scope (131 000
    contract rows of a city) before the first page."""
    name = (anchor.union or anchor.federation or "").split("__")[0]
    field = model._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    target = field.m2m_reverse_field_name()  # type: ignore[union-attr]

    def on_through(lookup: str | None) -> str | None:
        return None if lookup is None else target + lookup[len(name) :]

    q = _anchor_q(user, Anchor(union=on_through(anchor.union), federation=on_through(anchor.federation)))
    if q == NOTHING:
        return NOTHING
    links = through._default_manager.filter(**{field.m2m_field_name(): OuterRef("pk")})  # type: ignore[union-attr]
    return Q(Exists(links.filter(q)))


def _scope_q(user: User, anchors: tuple[Anchor, ...], model: type[models.Model]) -> Q:
    q = NOTHING
    # The many-to-many anchors last: the database asks them only of the records the others have not
    # already let through.
    for anchor in sorted(anchors, key=_many_valued):
        q |= _through_q(user, anchor, model) if _many_valued(anchor) else _anchor_q(user, anchor, model)
    return q


def _scoped(
    user: User, model: type[M], table: dict, queryset: models.QuerySet[M] | None = None
) -> models.QuerySet[M]:
    queryset = model._default_manager.all() if queryset is None else queryset
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if is_administrator(user):
        return queryset
    if model is ExportJob:
        return queryset.filter(created_by=user)
    anchors = table[model._meta.label]
    return queryset.filter(_scope_q(user, anchors, model))


def visible(user: User, model: type[M], queryset: models.QuerySet[M] | None = None) -> models.QuerySet[M]:
    """The records of `model` this user may see (optionally narrowing `queryset`)."""
    return _scoped(user, model, VISIBILITY, queryset)


def owned(user: User, model: type[M], queryset: models.QuerySet[M] | None = None) -> models.QuerySet[M]:
    """The records of `model` inside this user's scope for changing (the chair's included)."""
    return _scoped(user, model, OWNERSHIP, queryset)


def federations_visible_to(user: User) -> models.QuerySet[Federation]:
    return visible(user, Federation)


def sees_federations(user: User) -> bool:
    """Does this user see any federation at all (administrators and federation roles do; a union
    cadre sees only their union)? Answered from the account, without a query."""
    return is_administrator(user) or (_signed_in(user) and _bound_to_federation(user))


def can_view(user: User, obj: models.Model) -> bool:
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


def may_write(user: User) -> bool:
    """The chair reads everything in scope but keeps no records."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (is_administrator(user) or user.role in (User.Role.FEDERATION_STAFF, User.Role.UNION_CADRE))
    )


def can_change(user: User, obj: models.Model) -> bool:
    """May this user change (or act on) this existing record?"""
    return may_write(user) and owned(user, type(obj)).filter(pk=obj.pk).exists()


def can_act_for_union(user: User, union: models.Model) -> bool:
    """May this user keep records of this union (add members, approve its transfers, …)?"""
    return can_change(user, union)


def can_act_for_federation(user: User, federation: Federation) -> bool:
    return can_change(user, federation)


def can_see_full_identifiers(user: User) -> bool:
    """Full ID and phone numbers, unmasked (a permission granted in the admin)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("federation.view_full_identifiers"))
    )


def can_finalise_summary(user: User, federation: Federation) -> bool:
    """Only the chair of a federation in scope (or an administrator) finalises its summary."""
    if is_administrator(user):
        return True
    return _signed_in(user) and user.role == User.Role.CHAIR and can_view(user, federation)


def can_edit_summary_draft(user: User, federation: Federation) -> bool:
    """Federation staff write the narrative; the chair reads it and finalises the summary."""
    if is_administrator(user):
        return True
    return _signed_in(user) and user.role == User.Role.FEDERATION_STAFF and can_view(user, federation)


def is_cadre_of(user: User, union: models.Model) -> bool:
    """Is this user the cadre of this union (who keeps its records and writes its summary)?"""
    return _signed_in(user) and user.role == User.Role.UNION_CADRE and user.union_id == union.pk


def can_edit_union_summary(user: User, union: models.Model) -> bool:
    """A union's own summary is written and finalised by its cadre (or an administrator); federation
    staff and the chair read it (issue 15)."""
    return is_administrator(user) or is_cadre_of(user, union)


def get_visible_or_404(user: User, model: type[M], **lookup) -> M:
    """The record, if it exists and the user may see it; otherwise the same 404 either way."""
    try:
        return visible(user, model).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require_writer(user: User) -> None:
    """A reader (the chair) asking to write gets a 403: the record is theirs to see, not to change."""
    if not may_write(user):
        raise PermissionDenied


def get_writable_or_404(user: User, model: type[M], **lookup) -> M:
    """For a write: another scope's record is a 404, a reader gets a 403, and a record seen but kept
    by someone else (a regional contract, for a union cadre) is a 404 again."""
    get_visible_or_404(user, model, **lookup)
    require_writer(user)
    return get_changeable_or_404(user, model, **lookup)


def get_changeable_or_404(user: User, model: type[M], **lookup) -> M:
    """The record, if the user may change it. A record the user may see but not change is a 404 too,
    so that a view never tells a reader what it refused to do."""
    obj = get_visible_or_404(user, model, **lookup)
    if not can_change(user, obj):
        raise Http404
    return obj
