"""Which ImportSpec reads which kind of file. The web pages, the CLI and the templates all find the
spec here, so that the three always validate a file the same way.

Every spec is constructed as `Spec(user=…, union=…, federation=…, year=…)`; a kind imported into a
union (the roster) gets `union`, one imported into a federation (the union list, the aid list) gets
`federation`; `year` is the year the UnionYear figures are for.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from federation.models import ImportBatch

SPECS = {
    ImportBatch.Kind.MEMBERS: "members.imports.roster.MemberRosterSpec",
    ImportBatch.Kind.UNIONS: "unions.imports.union_list.UnionListSpec",
    ImportBatch.Kind.UNION_YEARS: "unions.imports.union_list.UnionYearSpec",
    ImportBatch.Kind.AID: "members.imports.aid.AidListSpec",
}


def spec_class(kind: str):
    return import_string(SPECS[kind])
