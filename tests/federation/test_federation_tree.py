"""The federation tree: materialised paths kept on create and on moves, no cycles, and subtree()
as "this federation and every federation below it"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from federation.history import save_as
from federation.models import Federation
from tests.federation.test_admin import inline_management
from tests.support.factories import FederationFactory, UnionFactory
from unions.models import GrassrootsUnion


def fresh(federation: Federation) -> Federation:
    return Federation.objects.get(pk=federation.pk)


def test_path_is_the_chain_of_ids_from_the_root(county, township, community):
    assert county.path == f"/{county.pk}/"
    assert fresh(township).path == f"/{county.pk}/{township.pk}/"
    assert fresh(community).path == f"/{county.pk}/{township.pk}/{community.pk}/"
    assert (county.depth, township.depth, community.depth) == (0, 1, 2)


def test_subtree_covers_two_levels_down_and_excludes_a_sibling_tree(
    county, township, community, other_county
):
    sibling = FederationFactory(name="另一街道工会联合会", parent=county)
    sibling_child = FederationFactory(name="另一社区工会联合会", parent=sibling)

    assert set(county.subtree()) == {county, township, community, sibling, sibling_child}
    assert set(township.subtree()) == {township, community}
    assert set(sibling.subtree()) == {sibling, sibling_child}
    assert set(community.subtree()) == {community}
    assert set(other_county.subtree()) == {other_county}


def test_subtree_does_not_match_ids_that_merely_share_leading_digits(db):
    # /7000001/ must not be taken for a prefix of /70000011/.
    short = Federation.objects.create(id=7_000_001, name="短号联合会", level=Federation.Level.COUNTY)
    long = Federation.objects.create(id=70_000_011, name="长号联合会", level=Federation.Level.COUNTY)
    below_long = FederationFactory(parent=long)
    assert set(short.subtree()) == {short}
    assert set(long.subtree()) == {long, below_long}


def test_unions_of_a_subtree_are_one_prefix_match(county, township, community, other_county):
    in_township = UnionFactory(federation=township)
    in_community = UnionFactory(federation=community)
    UnionFactory(federation=other_county)
    unions = GrassrootsUnion.objects.filter(federation__path__startswith=county.path)
    assert set(unions) == {in_township, in_community}


def test_moving_a_federation_rewrites_the_paths_of_everything_below_it(
    county, township, community, other_county
):
    grandchild = FederationFactory(name="测试小区工会联合会", parent=community)
    township.parent = other_county
    township.save()

    assert fresh(township).path == f"/{other_county.pk}/{township.pk}/"
    assert fresh(community).path == f"/{other_county.pk}/{township.pk}/{community.pk}/"
    assert fresh(grandchild).path == f"/{other_county.pk}/{township.pk}/{community.pk}/{grandchild.pk}/"
    assert set(fresh(other_county).subtree()) == {other_county, township, community, grandchild}
    assert set(fresh(county).subtree()) == {county}
    # The history of the move records where the federation went.
    assert township.history.first().path == f"/{other_county.pk}/{township.pk}/"


def test_moving_a_federation_leaves_its_siblings_alone(county, township, community, other_county):
    sibling = FederationFactory(name="另一街道工会联合会", parent=county)
    township.parent = other_county
    township.save()
    assert fresh(sibling).path == f"/{county.pk}/{sibling.pk}/"


def test_moving_a_federation_to_the_top_makes_it_a_root(county, township, community):
    township.parent = None
    township.save()
    assert fresh(township).path == f"/{township.pk}/"
    assert fresh(community).path == f"/{township.pk}/{community.pk}/"
    assert fresh(township).depth == 0


def test_saving_a_federation_whose_parent_was_moved_meanwhile_keeps_the_right_path(
    county, township, community, other_county
):
    # An instance loaded before a move (with its parent cached) must not write the old path back.
    stale = Federation.objects.select_related("parent").get(pk=community.pk)
    township.parent = other_county
    township.save()

    stale.address = "新地址"
    stale.save()

    assert fresh(community).path == f"/{other_county.pk}/{township.pk}/{community.pk}/"
    assert community in set(fresh(other_county).subtree())


def test_saving_without_a_move_changes_no_path(county, township, community):
    township.address = "某街道1号"
    township.save()
    assert fresh(township).path == f"/{county.pk}/{township.pk}/"
    assert fresh(community).path == f"/{county.pk}/{township.pk}/{community.pk}/"


def test_federation_may_be_moved_under_another_tree(township, other_county):
    township.parent = other_county
    township.full_clean()


@pytest.mark.parametrize("new_parent", ["self", "child", "grandchild"])
def test_federation_cannot_become_its_own_ancestor(county, township, community, new_parent):
    township = fresh(township)
    township.parent = {"self": township, "child": community, "grandchild": None}[new_parent]
    if new_parent == "grandchild":
        township.parent = FederationFactory(parent=community)
    with pytest.raises(ValidationError) as exc_info:
        township.full_clean()
    assert exc_info.value.message_dict["parent"] == ["上级联合会不能是本联合会或其下级。"]


def test_root_cannot_be_put_under_its_own_descendant(county, township, community):
    county = fresh(county)
    county.parent = fresh(community)
    with pytest.raises(ValidationError):
        county.full_clean()


def test_saving_a_cycle_is_refused_even_when_clean_is_skipped(county, township, community):
    county = fresh(county)
    county.parent = fresh(community)
    with pytest.raises(ValidationError):
        county.save()
    assert fresh(county).path == f"/{county.pk}/"
    assert fresh(community).path == f"/{county.pk}/{township.pk}/{community.pk}/"


def test_moving_a_federation_writes_one_history_row_per_federation_below_it_naming_the_mover(
    county, township, community, other_county, county_staff
):
    grandchild = FederationFactory(name="测试小区工会联合会", parent=community)
    untouched = FederationFactory(name="另一街道工会联合会", parent=county)
    rows_before = {f.pk: f.history.count() for f in (township, community, grandchild, untouched)}

    township.parent = other_county
    save_as(township, county_staff, reason="区划调整")

    for moved in (community, grandchild):
        assert moved.history.count() == rows_before[moved.pk] + 1
        last = moved.history.first()
        assert (last.history_type, last.history_user, last.path) == ("~", county_staff, fresh(moved).path)
        assert last.history_change_reason == f"随上级“{township.name}”移动"
    assert township.history.count() == rows_before[township.pk] + 1
    assert township.history.first().history_user == county_staff
    assert untouched.history.count() == rows_before[untouched.pk]


def test_a_move_in_the_admin_names_the_signed_in_user_in_the_history_below(
    client, county, township, community, other_county, admin_user
):
    client.force_login(admin_user)
    change = reverse("admin:federation_federation_change", args=[township.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields} | {"parent": other_county.pk}
    data |= inline_management(client.get(change))
    assert client.post(change, data).status_code == 302

    last = community.history.first()
    assert last.path == f"/{other_county.pk}/{township.pk}/{community.pk}/"
    assert last.history_user == admin_user


def test_a_new_federation_s_first_history_row_carries_its_path(township):
    created = FederationFactory(name="新建社区工会联合会", parent=township)
    assert created.history.get().path == f"{township.path}{created.pk}/"
