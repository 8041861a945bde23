from members.models import Member
from tests.support.factories import AidRecordFactory, ContractFactory, HardshipCaseFactory, MemberFactory


def test_factories_build_valid_related_records(db):
    member = MemberFactory()
    member.full_clean()
    assert member.changes.get().change_type == "join"
    HardshipCaseFactory().full_clean()
    AidRecordFactory().full_clean()
    ContractFactory().full_clean()
    assert Member.objects.count() == 3


def test_federation_path_covers_subtree(community, township, county, other_county):
    assert community.path == f"/{county.pk}/{township.pk}/{community.pk}/"
    assert set(county.subtree()) == {county, township, community}
    assert other_county not in county.subtree()
