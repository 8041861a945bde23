"""A real S3 server for the tests: moto's server mode on 127.0.0.1 at a free port, spoken to over HTTP
by django-storages and boto3 exactly as a production bucket is — no mock of our own.

    server = start_s3_server()          # a bucket made, nothing else
    server.env                          # {"S3_BUCKET": …, "S3_ENDPOINT_URL": …, …} for other processes
    storages_for(server.env)            # settings.STORAGES the way federation/settings.py builds it
    server.stop()

The fixtures: `s3_server` (one per test process), `s3_storage` (the default storage on it, under a
prefix of the test's own, with every touch of MEDIA_ROOT during the test failing it), `file_storage`
(MEDIA_ROOT in the test's temporary folder) and `any_storage`, which runs a test once on each.
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from federation.uploads.backends import default_storage_entry

if TYPE_CHECKING:
    from moto.server import ThreadedMotoServer

BUCKET = "union-ledger-test"
REGION = "us-east-1"
# moto accepts any key; these only have to be given (boto3 would otherwise look for real ones).
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"  # a local test server's, not a secret


@dataclass
class LocalS3:
    """A running moto server and the variables that point the app at its bucket."""

    server: ThreadedMotoServer
    endpoint_url: str
    bucket: str
    env: dict[str, str] = field(default_factory=dict)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
        )

    def keys(self, prefix: str = "") -> list[str]:
        """Every object's key under `prefix` (the test's S3_PREFIX), to look at the bucket directly."""
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def stop(self) -> None:
        self.server.stop()


def start_s3_server(bucket: str = BUCKET) -> LocalS3:
    """Start moto's S3 server on 127.0.0.1 at a free port, in a thread of this process, and make
    `bucket`. `.env` holds the variables (federation/settings.py reads them) that point the app — in
    this process through `storages_for`, or a gunicorn and a worker started from a test — at it."""
    from moto.server import ThreadedMotoServer  # imported here: only the tests that use S3 pay for it

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint_url = f"http://{host}:{port}"
    local = LocalS3(server=server, endpoint_url=endpoint_url, bucket=bucket)
    local.env = {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint_url,
        "S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "S3_REGION": REGION,
        "S3_ADDRESSING_STYLE": "path",
    }
    local.client().create_bucket(Bucket=bucket)
    return local


def storages_for(env: dict[str, str], *, base: dict | None = None) -> dict:
    """settings.STORAGES with the default storage built from `env` as federation/settings.py builds it
    (the staticfiles entry kept from `base`)."""
    from django.conf import settings

    storages = dict(base or settings.STORAGES)
    storages["default"] = default_storage_entry(
        bucket=env.get("S3_BUCKET", ""),
        endpoint_url=env.get("S3_ENDPOINT_URL", ""),
        access_key_id=env.get("S3_ACCESS_KEY_ID", ""),
        secret_access_key=env.get("S3_SECRET_ACCESS_KEY", ""),
        region=env.get("S3_REGION", ""),
        prefix=env.get("S3_PREFIX", ""),
        addressing_style=env.get("S3_ADDRESSING_STYLE", ""),
    )
    return storages


# --- Touches of MEDIA_ROOT ------------------------------------------------------------------------------

# Python's audit events for what reaches a file or folder by its path.
WATCHED_EVENTS = frozenset(
    {"open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.mkdir", "os.rmdir", "os.chmod"}
    | {"os.utime", "os.truncate", "shutil.copyfile", "shutil.move", "shutil.rmtree", "os.link", "os.symlink"}
)


class MediaRootWatch:
    """Every path the process opens, lists, writes or removes while watching (an audit hook: it sees
    what Django, the standard library and every library do, not only our code)."""

    _installed = False
    touched: list[str] | None = None

    @classmethod
    def _hook(cls, event: str, args: tuple) -> None:
        touched = cls.touched
        if touched is None or event not in WATCHED_EVENTS or not args:
            return
        for arg in args[:2]:
            if isinstance(arg, str | bytes | os.PathLike):
                touched.append(os.fsdecode(arg))

    @classmethod
    def start(cls) -> None:
        if not cls._installed:
            sys.addaudithook(cls._hook)  # cannot be removed: it does nothing while not watching
            cls._installed = True
        cls.touched = []

    @classmethod
    def stop(cls, media_root: Path) -> list[str]:
        """What was touched under `media_root` since `start`."""
        touched, cls.touched = cls.touched or [], None
        root = os.path.abspath(media_root)
        return sorted(
            {p for p in touched if os.path.abspath(p) == root or os.path.abspath(p).startswith(root + os.sep)}
        )


# --- Fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def s3_server():
    server = start_s3_server()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, tmp_path):
    """The default storage on the local S3 server, under a prefix of this test's own. MEDIA_ROOT
    points at a folder nothing may touch: the test fails if any code opens, lists, writes or removes
    anything there, or if the folder comes to exist."""
    env = s3_server.env | {"S3_PREFIX": f"test-{uuid.uuid4().hex}"}
    settings.STORAGES = storages_for(env)
    settings.MEDIA_ROOT = media_root = tmp_path / "media-root-unused-with-s3"
    MediaRootWatch.start()
    try:
        yield env
    finally:
        touched = MediaRootWatch.stop(media_root)
    assert not touched, f"MEDIA_ROOT was touched while the storage is S3: {touched}"
    assert not media_root.exists(), "MEDIA_ROOT was created while the storage is S3"


@pytest.fixture
def file_storage(settings, tmp_path):
    """The default storage on the file system, MEDIA_ROOT in the test's temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = storages_for({})
    return settings.MEDIA_ROOT


@pytest.fixture(params=["files", "s3"])
def any_storage(request) -> str:
    """Run the test once with the files on the disk ("files") and once in S3 ("s3")."""
    request.getfixturevalue(f"{'s3' if request.param == 's3' else 'file'}_storage")
    return request.param
