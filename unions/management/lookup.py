"""What the commands share: a grassroots union named on the command line (`--union NAME`)."""

from __future__ import annotations

from django.core.management.base import CommandError

from unions.models import GrassrootsUnion


def find_union(name: str):
    """The grassroots union with this name (工会名称), or else this 统一社会信用代码; a Chinese error (exit
    1) when there is none, or when several unions share the name (then the code tells them apart)."""
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
