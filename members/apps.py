from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("会员与帮扶")

    def ready(self) -> None:
        from federation.imports import registry
        from federation.models import ImportBatch
        from members.imports.aid import AidListSpec
        from members.imports.roster import MemberRosterSpec
        from members.services.transfers import transfer_destinations_for_lookup
        from members.services.union_closing import MembersOfClosingUnion
        from unions import closing, lookup

        # A union is not dissolved while it has live members, open transfers or open hardship cases; a
        # merge moves its members.
        closing.register(MembersOfClosingUnion())
        registry.register(ImportBatch.Kind.MEMBERS, MemberRosterSpec)
        registry.register(ImportBatch.Kind.AID, AidListSpec)
        # The union search field of a transfer offers the member's possible destinations.
        lookup.register_purpose("transfer", transfer_destinations_for_lookup)

        # Export jobs find a list's export by its key (federation.exports.registry).
        from members.lists import AID_RECORDS, HARDSHIP_CASES, MEMBER_ROSTER, MEMBERS

        for staff_list in (MEMBERS, MEMBER_ROSTER, HARDSHIP_CASES, AID_RECORDS):
            staff_list.register_export()
