"""Elections (换届选举): the current term of each union and the elections before it, consistent with
GrassrootsUnion.term_started_on — some unions overdue for 换届, some due within 90 days."""

from __future__ import annotations

import random

from federation.demo.names import person_name
from federation.demo.tiers import Calendar, add_days, day_between, years_before
from unions.models import Election, add_years

ELECTION_NOTES = (
    "召开会员大会，差额选举产生新一届工会委员会和经费审查委员会。",
    "召开第{n}次会员代表大会，选举产生新一届工会委员会。",
    "经上级工会批复同意，召开会员大会完成换届选举。",
)


def plan_elections(rng: random.Random, cal: Calendar, plan, *, draw: float | None = None) -> None:
    """The current term and the elections before it. The date the next election falls due is drawn
    first — about 8 % of unions overdue, 6 % due within 90 days — and the terms are counted back.
    `draw` (0–1) forces where the due date falls."""
    union = plan.obj
    term = union.term_years
    ref = union.status_changed_on or cal.today
    plan.elections = []
    draw = rng.random() if draw is None else draw
    if draw < 0.08:
        due = day_between(rng, add_days(ref, -700), add_days(ref, -1))
    elif draw < 0.14:
        due = day_between(rng, ref, add_days(ref, 90))
    else:
        due = day_between(rng, add_days(ref, 91), add_years(ref, term))
    started = max(years_before(due, term), union.established_on)
    union.term_started_on = started
    union.election_due_on = union.compute_election_due_on()
    held = [started]
    while True:
        previous = add_days(years_before(held[-1], term), -rng.randint(0, 60))
        if previous < union.established_on or previous.year < 2008:
            break
        held.append(previous)
    if union.established_on.year >= 2008 and held[-1] > union.established_on:
        held.append(union.established_on)
    # Counting back from the current chair: a chair often serves more than one term.
    chairs = [plan.chair[0]]
    for _ in held[1:]:
        same = rng.random() < 0.55
        chairs.append(chairs[-1] if same else person_name(rng, rng.choice("MMF"), rng.randint(1958, 1985)))
    for n, (day, chair) in enumerate(zip(reversed(held), reversed(chairs), strict=True), start=1):
        plan.elections.append(
            Election(
                union=union,
                held_on=day,
                chair_name=chair,
                term_years=term,
                notes=rng.choice(ELECTION_NOTES).format(n=n),
            )
        )
