"""Standing fixtures: a federation tree three levels deep with unions at each level, one outside
tree, and a user of every role — so that permission tests read as sentences."""

import subprocess
from pathlib import Path

import pytest

from federation.models import Federation, User
from tests.support.factories import FederationFactory, UnionFactory, UserFactory
from tests.support.s3 import any_storage, file_storage, s3_server, s3_storage  # noqa: F401 (fixtures)


def pytest_configure(config):
    """Compile the project's translations (locale/) when they changed, as `make` does, so that a plain
    `pytest` shows the Chinese the site shows. Once, in the main process (not in each xdist worker)."""
    if hasattr(config, "workerinput"):
        return
    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root_of_the_test(settings, tmp_path_factory):
    """Files a test stores land in a temporary folder of its own, never in the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def county(db):
    return FederationFactory(name="测试县总工会", level=Federation.Level.COUNTY)


@pytest.fixture
def township(county):
    return FederationFactory(name="测试街道工会联合会", level=Federation.Level.TOWNSHIP, parent=county)


@pytest.fixture
def community(township):
    """Two levels below the county."""
    return FederationFactory(name="测试社区工会联合会", level=Federation.Level.COMMUNITY, parent=township)


@pytest.fixture
def other_county(db):
    return FederationFactory(name="邻县总工会", level=Federation.Level.COUNTY)


@pytest.fixture
def union_a(township):
    return UnionFactory(federation=township, name="甲公司工会委员会")


@pytest.fixture
def union_b(community):
    return UnionFactory(federation=community, name="乙公司工会委员会")


@pytest.fixture
def outside_union(other_county):
    return UnionFactory(federation=other_county, name="外县丙公司工会委员会")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def county_staff(county):
    return UserFactory(username="county_staff", role=User.Role.FEDERATION_STAFF, federation=county)


@pytest.fixture
def county_chair(county):
    return UserFactory(username="county_chair", role=User.Role.CHAIR, federation=county)


@pytest.fixture
def township_staff(township):
    return UserFactory(username="township_staff", role=User.Role.FEDERATION_STAFF, federation=township)


@pytest.fixture
def cadre_a(union_a):
    return UserFactory(username="cadre_a", role=User.Role.UNION_CADRE, union=union_a)


@pytest.fixture
def cadre_b(union_b):
    return UserFactory(username="cadre_b", role=User.Role.UNION_CADRE, union=union_b)


@pytest.fixture
def outside_staff(other_county):
    return UserFactory(username="outside_staff", role=User.Role.FEDERATION_STAFF, federation=other_county)
