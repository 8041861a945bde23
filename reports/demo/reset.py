"""Emptying the ledger before a new demo (--flush), and the demo accounts.

Flushing deletes every record of the ledger apps — federations, unions, members, cases, contracts,
activities, summaries and their history — but keeps the accounts: demo accounts are deleted and made
again; any other account bound to a federation or union is unbound (and named in the output).
Rows go with raw SQL, because the ORM's delete() would load every member and write a history row for
each; the foreign keys are checked when the transaction commits.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Q

from federation.demo.names import mobile, person_name
from federation.demo.tiers import rng_for
from federation.models import Federation, User
from unions.choices import UnionType
from unions.models import GrassrootsUnion

LEDGER_APPS = ("federation", "unions", "members", "reports")
DEMO_PASSWORD = "demo-pass-2026"
DEMO_ACCOUNTS = ("demo_staff", "demo_chair", "demo_cadre")


def _ledger_models() -> list:
    """Every table of the ledger apps, and of any other app that points into them, except the
    accounts and their own link tables."""
    keep = {User, User.history.model}
    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m not in keep
        and not (m._meta.auto_created and any(f.related_model is User for f in m._meta.fields))
    ]  # fmt: skip
    ledger = {m for m in candidates if m._meta.app_label in LEDGER_APPS}
    while True:  # whatever holds a foreign key into the ledger goes with it
        more = {
            m for m in candidates
            if m not in ledger and any(f.related_model in ledger for f in m._meta.fields if f.is_relation)
        }  # fmt: skip
        if not more:
            return sorted(ledger, key=lambda m: m._meta.label)
        ledger |= more


@transaction.atomic
def flush_ledger() -> list[str]:
    """Delete the whole ledger; return the usernames of accounts that had to be unbound."""
    bound = User.objects.exclude(username__in=DEMO_ACCOUNTS).filter(
        Q(federation__isnull=False) | Q(union__isnull=False)
    )
    unbound = sorted(bound.values_list("username", flat=True))
    bound.update(federation=None, union=None)
    User.objects.filter(username__in=DEMO_ACCOUNTS).update(federation=None, union=None)
    models = _ledger_models()
    parents = {Federation, GrassrootsUnion}  # still referenced by the (unbound) accounts' table
    tables = [m._meta.db_table for m in models if m not in parents]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses while rows written earlier in this transaction await their FK checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY")
            for model in (GrassrootsUnion, Federation):
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
            for sql in connection.ops.sequence_reset_sql(no_style(), [GrassrootsUnion, Federation]):
                cursor.execute(sql)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            every = [*tables, GrassrootsUnion._meta.db_table, Federation._meta.db_table]
            for table in every:
                cursor.execute(f"DELETE FROM {quote(table)}")
            if connection.vendor == "sqlite":
                cursor.execute(
                    f"DELETE FROM sqlite_sequence WHERE name IN ({', '.join(['%s'] * len(every))})", every
                )
    User.objects.filter(username__in=DEMO_ACCOUNTS).delete()
    return unbound


def ledger_is_empty() -> bool:
    return not Federation.objects.exists() and not GrassrootsUnion.objects.exists()


def create_accounts(seed: int, root: Federation, union: GrassrootsUnion) -> list[User]:
    """联合会工作人员 and 联合会主席 of the root federation, 基层工会干事 of one union."""
    rng = rng_for(seed, "accounts")
    accounts = [
        ("demo_staff", User.Role.FEDERATION_STAFF, {"federation": root}),
        ("demo_chair", User.Role.CHAIR, {"federation": root}),
        ("demo_cadre", User.Role.UNION_CADRE, {"union": union}),
    ]
    User.objects.filter(username__in=DEMO_ACCOUNTS).delete()  # left over from an earlier demo
    users = []
    password = make_password(DEMO_PASSWORD)  # hashing is slow on purpose: once for the three
    for username, role, binding in accounts:
        name = root.chair_name if role == User.Role.CHAIR else person_name(rng, rng.choice("MF"), 1985)
        user = User(
            username=username, role=role, first_name=name, phone=mobile(rng), password=password, **binding
        )
        user.full_clean()
        user.save()
        users.append(user)
    return users


def cadre_union(unions: list) -> GrassrootsUnion:
    """A mid-sized active enterprise union in a town, street or park: enough records to try things."""
    candidates = [
        u
        for u in unions
        if u.active
        and u.is_enterprise
        and u.obj.union_type == UnionType.INDEPENDENT
        and 40 <= u.size <= 400
        and u.fed.kind in ("town", "street", "street_root", "park")
    ] or [u for u in unions if u.active]
    return max(candidates, key=lambda u: (u.size, -u.pk)).obj
