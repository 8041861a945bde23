"""What each kind of record the summary counts marks out of date when it is written
(federation.freshness): connected when the app starts (ReportsConfig.ready).

Every save and delete of these models — by a service, a form, the admin or a cascade — marks the
federations of the record's union or organiser (before and after an update that moves it) and those
above them, in the write's transaction. Writes that bypass save() (the imports' bulk writes, a federation
moving in the tree) mark through federation.freshness themselves.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from federation import freshness
from federation.models import Federation, FederationYear
from members.models import (
    AidRecord,
    CaseReview,
    HardshipCase,
    Member,
    MemberHonour,
    MembershipChange,
)
from unions.activities.models import Activity
from unions.models import CollectiveContract, Election, GrassrootsUnion, UnionHonour, UnionYear

# model: (fields naming a union, fields naming a federation, a field naming a member, a field naming a case)
SOURCES: dict[type, tuple[tuple[str, ...], tuple[str, ...], str, str]] = {
    GrassrootsUnion: ((), ("federation_id",), "", ""),
    UnionYear: (("union_id",), (), "", ""),
    Election: (("union_id",), (), "", ""),
    UnionHonour: (("union_id",), (), "", ""),
    CollectiveContract: (("union_id",), ("federation_id",), "", ""),
    Activity: (("union_id",), ("federation_id",), "", ""),
    Member: (("union_id",), (), "", ""),
    MembershipChange: (("union_id", "counterpart_union_id"), (), "", ""),
    MemberHonour: ((), (), "member_id", ""),
    HardshipCase: (("union_id",), (), "", ""),
    AidRecord: (("union_id",), (), "", ""),
    CaseReview: ((), (), "", "case_id"),
    FederationYear: ((), ("federation_id",), "", ""),
}


def _owners(instance) -> QuerySet:
    """The federations that own `instance` as it is in memory, as one subquery."""
    unions, federations, member, case = SOURCES[type(instance)]
    union_ids = [getattr(instance, name) for name in unions if getattr(instance, name, None)]
    federation_ids = [getattr(instance, name) for name in federations if getattr(instance, name, None)]
    q = Q(pk__in=federation_ids)
    if union_ids:
        q |= Q(pk__in=GrassrootsUnion.objects.filter(pk__in=union_ids).values("federation_id"))
    if member and getattr(instance, member, None):
        q |= Q(pk__in=Member.objects.filter(pk=getattr(instance, member)).values("union__federation_id"))
    if case and getattr(instance, case, None):
        q |= Q(pk__in=HardshipCase.objects.filter(pk=getattr(instance, case)).values("union__federation_id"))
    return Federation.objects.filter(q).values("pk")


def _before_update(sender, instance, raw=False, **kwargs) -> None:
    """Which federations owned the record before this update (it may move to another union)."""
    if raw or instance._state.adding or instance.pk is None:
        return
    stored = type(instance)._default_manager.filter(pk=instance.pk)
    unions, federations, member, case = SOURCES[sender]
    fields = [*unions, *federations, *(f for f in (member, case) if f)]
    before = stored.values(*fields).first()
    if before is None:
        return
    old = type(instance)(pk=instance.pk, **before)
    instance._freshness_before = list(_owners(old).values_list("pk", flat=True))


def _after_write(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_freshness_before", None) or []
    owners = _owners(instance)
    freshness.mark(Federation.objects.filter(Q(pk__in=owners) | Q(pk__in=before)).values("pk"))
    instance._freshness_before = None


def _covered_unions_changed(sender, instance, action, pk_set=None, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if action == "pre_clear":  # the unions are known only before they are gone
        instance._freshness_cleared = list(instance.covered_unions.values_list("pk", flat=True))
        return
    unions = set(pk_set or ()) | set(getattr(instance, "_freshness_cleared", None) or ())
    owners = Federation.objects.filter(
        Q(pk__in=_owners(instance))
        | Q(pk__in=GrassrootsUnion.objects.filter(pk__in=unions).values("federation_id"))
    )
    freshness.mark(owners.values("pk"))


def _federation_written(sender, instance, raw=False, **kwargs) -> None:
    """A federation created, renamed or moved in the tree: every stored figure may name or count it."""
    if not raw:
        freshness.mark_all()


def connect() -> None:
    for model in SOURCES:
        pre_save.connect(_before_update, sender=model, dispatch_uid=f"freshness-pre-{model.__name__}")
        post_save.connect(_after_write, sender=model, dispatch_uid=f"freshness-post-{model.__name__}")
        post_delete.connect(_after_write, sender=model, dispatch_uid=f"freshness-del-{model.__name__}")
    m2m_changed.connect(
        _covered_unions_changed,
        sender=CollectiveContract.covered_unions.through,
        dispatch_uid="freshness-covered-unions",
    )
    post_save.connect(_federation_written, sender=Federation, dispatch_uid="freshness-federation-save")
    post_delete.connect(_federation_written, sender=Federation, dispatch_uid="freshness-federation-del")
