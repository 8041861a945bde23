"""What every staff page's navigation needs to know about the user, asked of federation.scoping."""

from __future__ import annotations

from django.http import HttpRequest

from federation import scoping


def navigation(request: HttpRequest) -> dict[str, bool]:
    """`sees_federations`: whether the 联合会 pages are offered (scoping.sees_federations)."""
    return {"sees_federations": scoping.sees_federations(request.user)}
