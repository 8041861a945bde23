"""Several app servers and a queue (issue 11, item 3): two gunicorn processes on two ports and one Celery
worker, against one PostgreSQL database and the Redis at 127.0.0.1:6379, all on this machine.

A roster uploaded through server A is watched through server B, confirmed through B, and its members
are found through A. Then a large commit is started, its worker killed with SIGKILL while the commit's
transaction is open (the batch's row is locked), and another worker started: the import completes
exactly once — nothing partial after the kill, every member once after the redelivery.

The database is created and migrated by the test (beside DATABASE_URL's, named `<name>_servers`) and
dropped at the end. Files live in a local S3 server (moto) shared by all; `storage_env` gives its
settings as environment variables, and the servers' MEDIA_ROOT must stay empty.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.support.roster_workbooks import roster

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS = ("127.0.0.1", 6379)
PASSWORD = "servers-pass-1234"
SMALL, LARGE = 3, 6000  # the large roster's write takes long enough to be killed midway

pytestmark = [
    pytest.mark.multiserver,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): several processes share one database",
    ),
]


# --- the machinery: Redis, a database, processes ------------------------------------------------------


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_url() -> str:
    if not _redis_up():
        subprocess.run(
            [
                *("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"),
                *("--save", "", "--appendonly", "no"),
            ],
            check=True,
        )
        for _ in range(50):
            if _redis_up():
                break
            time.sleep(0.1)
    assert _redis_up(), "Redis did not start on 127.0.0.1:6379"
    return f"redis://{REDIS[0]}:{REDIS[1]}/0"


def _psql(url: str, sql: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql)
        return "" if cursor.description is None else str(cursor.fetchone()[0])


@pytest.fixture(scope="module")
def database_url() -> str:
    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/") + "_servers"
    admin = parts._replace(path="/postgres").geturl()
    _psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(admin, f'CREATE DATABASE "{name}"')
    yield parts._replace(path=f"/{name}").geturl()
    _psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """The shared storage every server and the worker keep files in: a local S3 server (moto, on
    127.0.0.1) — no process can see another's disk in production."""
    from tests.support.s3 import start_s3_server

    local = start_s3_server(bucket="servers-test")
    local.media_root = tmp_path_factory.mktemp("unused-media")  # type: ignore[attr-defined]
    yield local
    local.stop()


@pytest.fixture(scope="module")
def storage_env(s3) -> dict[str, str]:
    """The S3 settings as environment variables, and a MEDIA_ROOT that must stay empty."""
    return {**s3.env, "MEDIA_ROOT": str(s3.media_root)}


@pytest.fixture(scope="module")
def env(database_url, redis_url, storage_env) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_", "PYTEST_"))}
    prefix = f"servers-test-{uuid.uuid4().hex[:12]}"
    yield {
        **keep,
        "DJANGO_SETTINGS_MODULE": "federation.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        # Other engineers' tests share this Redis: this run keeps to its own keys.
        "CELERY_KEY_PREFIX": f"{prefix}:",
        "CACHE_KEY_PREFIX": prefix,
        # A killed worker's task goes back to the queue this many seconds after it was delivered.
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "LOG_LEVEL": "WARNING",
        **storage_env,
    }
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


SETUP = f"""
from federation.models import User
from tests.support.factories import FederationFactory, UnionFactory, UserFactory
federation = FederationFactory(name="多服务器测试街道工会联合会")
union = UnionFactory(federation=federation, name="多服务器测试公司工会委员会")
cadre = UserFactory(username="servers_cadre", role=User.Role.UNION_CADRE, union=union)
cadre.set_password("{PASSWORD}")
cadre.save()
print(union.pk)
"""


@pytest.fixture(scope="module")
def union_pk(env) -> int:
    _manage(env, "migrate", "--noinput", "-v", "0")
    return int(_manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    """Processes started for the test, each in its own process group (a worker and its pool die
    together), all stopped at the end."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env, self.logs, self.started = env, logs, []

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # closed in stop_all
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log = log  # type: ignore[attr-defined]
        self.started.append(process)
        return process

    def web(self, name: str) -> str:
        port = _free_port()
        self.start(
            name,
            str(BIN / "gunicorn"),
            "federation.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
        )
        return f"http://127.0.0.1:{port}"

    @staticmethod
    def wait_until_serving(*bases: str) -> None:
        for base in bases:
            _wait_for(lambda base=base: _answers(base + "/accounts/login/"), f"gunicorn on {base}", 60)

    def worker(self, name: str) -> subprocess.Popen:
        return self.start(
            name,
            str(BIN / "celery"),
            "-A",
            "federation",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--hostname",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
        )

    @staticmethod
    def kill_9(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)  # the worker and its pool process, as a crash would
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
            process.log.close()  # type: ignore[attr-defined]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_for(condition, what: str, seconds: float, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"waited {seconds} s for {what}")


class Browser:
    """One signed-in session on one server (its own cookies, as a browser per server would have)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            response = error
        return response.status, response.headers, response.read().decode("utf-8", "replace")

    def csrf(self) -> str:
        """The CSRF secret from its cookie (Django takes it as the form's token too); the login page
        sets it on a new session."""
        if not any(cookie.name == "csrftoken" for cookie in self.jar):
            status, _headers, _page = self.request("/accounts/login/")
            assert status == 200, status
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def post(self, path: str, fields: dict[str, str], files: dict[str, Path] | None = None):
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        boundary = uuid.uuid4().hex
        body = b""
        for key, value in fields.items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        for key, file in (files or {}).items():
            body += (
                (
                    f"--{boundary}\r\n"
                    f'Content-Disposition: form-data; name="{key}"; filename="{file.name}"\r\n'
                    "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
                ).encode()
                + file.read_bytes()
                + b"\r\n"
            )
        body += f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base + path}
        return self.request(path, body, headers)

    def sign_in(self, username: str, password: str) -> None:
        status, _headers, _page = self.post("/accounts/login/", {"username": username, "password": password})
        assert status == 302, f"login on {self.base} answered {status}"

    def status_of(self, batch_pk: int) -> dict:
        status, _headers, body = self.request(f"/imports/{batch_pk}/status/")
        assert status == 200, status
        return json.loads(body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _members(database_url: str) -> tuple[int, int]:
    """(members, distinct ID numbers) in the shared database."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute("SELECT count(*), count(DISTINCT id_number) FROM members_member").fetchone()
    return row[0], row[1]


def _batch(database_url: str, pk: int) -> tuple[str, int]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(
            "SELECT status, attempts FROM federation_importbatch WHERE id = %s", [pk]
        ).fetchone()


def _commit_transaction_open(database_url: str, pk: int) -> bool:
    """The commit's write transaction holds the batch's row: a lock that cannot be had at once."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        try:
            connection.execute("SELECT 1 FROM federation_importbatch WHERE id = %s FOR UPDATE NOWAIT", [pk])
        except psycopg.errors.LockNotAvailable:
            return True
        finally:
            connection.rollback()
    return False


def _batch_pk(response) -> int:
    status, headers, _page = response
    assert status == 302, status
    return int(re.search(r"/imports/(\d+)/", headers["Location"]).group(1))


# --- the test -----------------------------------------------------------------------------------------


def test_two_servers_and_a_worker_share_the_imports_and_a_killed_commit_completes_once(
    env, union_pk, database_url, tmp_path, s3
):
    processes = Processes(env, tmp_path)
    try:
        server_a, server_b = processes.web("web-a"), processes.web("web-b")
        worker = processes.worker("worker-1")  # starts while the servers do
        processes.wait_until_serving(server_a, server_b)
        a, b = Browser(server_a), Browser(server_b)
        a.sign_in("servers_cadre", PASSWORD)
        b.sign_in("servers_cadre", PASSWORD)

        # Upload through A, watch through B, confirm through B, find the members through A.
        small = _batch_pk(
            a.post("/imports/new/", {"kind": "members"}, {"file": roster(tmp_path / "s.xlsx", SMALL)})
        )
        seen = _wait_for(lambda: (s := b.status_of(small))["finished"] and s, "the check, seen through B", 60)
        assert seen["status"] == "ready", seen
        # The worker read the roster A received from the bucket, and stored its checked rows there.
        assert any(key.startswith("imports/") for key in s3.keys()), s3.keys()
        status, _headers, preview = b.request(f"/imports/{small}/")
        assert status == 200 and "确认导入" in preview
        b.post(f"/imports/{small}/confirm/", {})
        done = _wait_for(
            lambda: (s := b.status_of(small))["finished"] and s, "the commit, seen through B", 60
        )
        assert done["status"] == "committed", done
        status, _headers, listing = a.request("/members/?q=" + urllib.parse.quote("职工1"))
        assert status == 200 and "职工1" in listing
        assert _members(database_url) == (SMALL, SMALL)

        # A large commit, its worker killed while the write transaction is open.
        large = _batch_pk(
            a.post(
                "/imports/new/",
                {"kind": "members"},
                {"file": roster(tmp_path / "l.xlsx", LARGE, start=SMALL)},
            )
        )
        _wait_for(
            lambda: (s := b.status_of(large))["finished"] and s["status"] == "ready", "the large check", 120
        )
        b.post(f"/imports/{large}/confirm/", {})
        _wait_for(
            lambda: _commit_transaction_open(database_url, large), "the commit's write", 120, every=0.05
        )
        processes.kill_9(worker)

        assert _members(database_url) == (SMALL, SMALL)  # the killed transaction left nothing
        assert _batch(database_url, large) == ("committing", 1)
        assert b.status_of(large)["finished"] is False  # any server shows it is not done

        time.sleep(3.5)  # the visibility timeout: the next worker takes the task back from Redis
        processes.worker("worker-2")
        final = _wait_for(lambda: (s := a.status_of(large))["finished"] and s, "the redelivered commit", 120)

        assert final["status"] == "committed", final
        assert _batch(database_url, large) == ("committed", 2)
        assert _members(database_url) == (SMALL + LARGE, SMALL + LARGE)  # every member once
        assert not any(s3.media_root.iterdir())  # no server's disk held a file
    finally:
        processes.stop_all()
