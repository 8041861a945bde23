"""Which ImportSpec reads which kind of file. The web pages, the CLI and the templates all find the
spec here, so that the three always validate a file the same way. Each app registers the specs of
its kinds when it starts (unions: the union list and the yearly figures; members: the roster and the
aid list), so that this engine knows no app above it.

Every spec is constructed as `Spec(user=…, union=…, federation=…, year=…)`; a kind imported into a
union (the roster) gets `union`, one imported into a federation (the union list, the aid list) gets
`federation`; `year` is the year the UnionYear figures are for.
"""

from __future__ import annotations

from federation.models import ImportBatch

SPECS: dict[str, type] = {}


def register(kind: str, spec: type) -> None:
    SPECS[kind] = spec


def kinds() -> list[str]:
    """The registered kinds, in the order of ImportBatch.Kind (the order the import page offers them)."""
    return [kind for kind in ImportBatch.Kind.values if kind in SPECS]


def spec_class(kind: str) -> type:
    return SPECS[kind]
