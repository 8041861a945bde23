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
