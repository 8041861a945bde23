"""The membership flow of each union and year (会员增减流量): a stored aggregate of MembershipChange.

One row per union and year holds what that year's arrivals (入会, 转入) and departures (转出, 退会,
除名, 去世) did to the union's members: the net change, and the same by the member facts the summary
counts (women, migrant workers, cadres), and the year's arrivals and 入会 alone. The members of a
subtree at the end of year Y are the sum of the nets of its unions over the years up to Y — the
summary's member stock — from some 200 000 rows instead of millions of changes joined to millions of
members.

It is kept by the services that write the records (members.flows), rebuilt from them by
`manage.py rebuild_aggregates`, and checked against them by tests/members/test_membership_flow.py.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from unions.models import GrassrootsUnion


class MembershipFlow(models.Model):
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("基层工会"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    net = models.IntegerField(_("会员净增"), default=0)
    women_net = models.IntegerField(_("女会员净增"), default=0)
    migrant_net = models.IntegerField(_("农民工会员净增"), default=0)
    cadre_net = models.IntegerField(_("工会干部净增"), default=0)
    arrivals = models.IntegerField(_("入会和转入"), default=0)
    joins = models.IntegerField(_("入会"), default=0)

    class Meta:
        verbose_name = _("会员增减流量")
        verbose_name_plural = _("会员增减流量")
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="membership_flow_one_per_union_year"),
        ]

    def __str__(self) -> str:
        return f"{self.union_id} {self.year}"
