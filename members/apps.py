from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("会员与帮扶")

    def ready(self) -> None:
        # Export jobs find a list's export by its key (federation.exports.registry).
        from members.lists import AID_RECORDS, HARDSHIP_CASES, MEMBERS

        for staff_list in (MEMBERS, HARDSHIP_CASES, AID_RECORDS):
            staff_list.register_export()
