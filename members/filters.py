"""The member list's search and filters (django-filter), over a queryset already scoped."""

import re
import unicodedata

import django_filters
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.identifiers import normalise_resident_id
from federation.lists.filters import YES_NO
from federation.models import User
from federation.text import SEARCH_LIMIT
from members.choices import Gender, MembershipStatus
from members.models import Member
from unions.lookup import UnionLookupFilter


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_LIMIT,
        label=_("姓名/身份证号/会员证号"),
        help_text=_("姓名按开头查找（在一个基层工会内也按其中的字查找）；证件号码和会员证号须完整。"),
        method="search",
    )
    union = UnionLookupFilter(label=_("基层工会"))
    status = django_filters.ChoiceFilter(
        label=_("会籍状态"), choices=MembershipStatus.choices, empty_label=_("全部")
    )
    gender = django_filters.ChoiceFilter(label=_("性别"), choices=Gender.choices, empty_label=_("全部"))
    is_migrant_worker = django_filters.BooleanFilter(label=_("农民工会员"), widget=YES_NO)
    is_cadre = django_filters.BooleanFilter(label=_("工会干部"), widget=YES_NO)
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("name", "name"),
            ("joined_on", "joined_on"),
            ("union__name", "union"),
            ("member_number", "member_number"),
        ),
        field_labels={
            "name": _("姓名"),
            "joined_on": _("入会日期"),
            "union__name": _("基层工会"),
            "member_number": _("会员证号"),
        },
    )

    class Meta:
        model = Member
        fields = ["q", "union", "status", "gender", "is_migrant_worker", "is_cadre"]

    def search(self, queryset, name, value):
        """Search by what was typed (member_search_q): the filter knows whether the list is bounded
        to one union (a union cadre's list, or a union chosen), where a name is also found by a
        character inside it."""
        return queryset.filter(member_search_q(value, within_one_union=self._within_one_union()))

    def _within_one_union(self) -> bool:
        user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "role", None) == User.Role.UNION_CADRE:
            return True
        return bool(self.form.is_valid() and self.form.cleaned_data.get("union"))


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def member_search_q(value: str, *, within_one_union: bool = False) -> Q:
    """The members a search box finds, decided by what was typed, so that an index serves it:

    - Chinese characters are a name: the names that start with them (an exact full name included),
      a range on the name index; within one union (a bounded set) also the names that contain them;
    - anything else is an ID number (normalised: full-width digits, a lower-case x) or a member
      number, matched exactly, or the start of a name written in letters.

    A name is never searched for inside across a whole federation: that scan of millions of names is
    what made the search slow."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    if not value:
        return Q()
    if _CJK.search(value):
        if within_one_union:
            return Q(name__icontains=value)
        return name_prefix_q(value)
    return Q(id_number=normalise_resident_id(value)) | Q(member_number=value) | name_prefix_q(value)


def name_prefix_q(value: str) -> Q:
    """Names that start with `value`. Where the database sorts names by code point (SQLite; PostgreSQL
    with the C or C.UTF-8 collation, as deployed), the range value ≤ name < the next string that does
    not start with it lets it read just those entries of the name index, in order."""
    q = Q(name__startswith=value)
    if names_sort_by_code_point():
        following = value[:-1] + chr(ord(value[-1]) + 1)
        q &= Q(name__gte=value, name__lt=following)
    return q


_CODE_POINT_COLLATIONS = {"c", "posix", "c.utf8", "c.utf-8", "ucs_basic"}
_collation_known: dict[tuple[str, str], bool] = {}


def names_sort_by_code_point() -> bool:
    """Does the database compare names by code point (asked once per database and process)?"""
    key = (connection.vendor, str(connection.settings_dict["NAME"]))
    if key not in _collation_known:
        if connection.vendor == "sqlite":  # BINARY: UTF-8 bytes, which sort as code points
            _collation_known[key] = True
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
                (collation,) = cursor.fetchone()
            _collation_known[key] = collation.lower() in _CODE_POINT_COLLATIONS
        else:
            _collation_known[key] = False
    return _collation_known[key]
