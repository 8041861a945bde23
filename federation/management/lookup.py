"""What the commands share: a federation named on the command line (`--federation NAME`)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Q

from federation.models import Federation


def find_federation(name: str) -> Federation:
    """The federation with this full name, or the one with this short name; a Chinese error (exit 1)
    when there is none, or when a short name is shared."""
    name = name.strip()
    matches = list(Federation.objects.filter(Q(name=name) | Q(short_name=name)).order_by("name")[:5])
    exact = [f for f in matches if f.name == name]
    if exact:
        return exact[0]
    if not matches:
        raise CommandError(f"找不到工会联合会“{name}”：请使用联合会的全称或简称。")
    if len(matches) > 1:
        names = "、".join(f.name for f in matches)
        raise CommandError(f"简称“{name}”对应多个工会联合会（{names}），请使用全称。")
    return matches[0]


def find_union(name: str):
    """The grassroots union with this name (工会名称), or else this 统一社会信用代码; a Chinese error (exit
    1) when there is none, or when several unions share the name (then the code tells them apart)."""
    from unions.models import GrassrootsUnion  # the ground floor imports no app above it at load

    name = name.strip()
    matches = list(GrassrootsUnion.objects.filter(name=name).select_related("federation").order_by("pk")[:5])
    if not matches:
        matches = list(GrassrootsUnion.objects.filter(credit_code=name.upper()).select_related("federation"))
    if not matches:
        raise CommandError(f"找不到基层工会“{name}”：请使用工会的全称或统一社会信用代码。")
    if len(matches) > 1:
        where = "、".join(f"{u.federation.name}" for u in matches)
        raise CommandError(f"有多个基层工会名为“{name}”（所属：{where}），请改用统一社会信用代码。")
    return matches[0]
