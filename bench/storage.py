"""What keeping files in a storage costs: an import read and an export download, on the disk and on S3,
beside the floor (the same work on a local path, no storage at all), measured in the same run.

    .venv/bin/python bench/storage.py [--rows 10000,100000] [--mb 50] [--runs 3]

S3 here is moto's server (`moto_server`, started as a process of its own on 127.0.0.1 so that it does
not share this process's interpreter) — a stand-in with loopback latency, not a remote bucket's: the
S3 figures show what the code path costs (the copy for calamine, the buffering of a download), not
what a network adds. For each roster size (the cached workbooks of bench/imports.py, generated if
missing):

- FLOOR: python-calamine reading the workbook from a local path (federation.imports.reader);
- DISK / S3: the upload saved into the storage, then read as an import reads it
  (federation.imports.engine.read_stored_file's path: a local copy, then the same reader).

And an export file of --mb megabytes: FLOOR copies it on the disk (shutil); DISK / S3 save it into the
storage and stream it back in 64 KB chunks, as the download view (FileResponse over storage.open)
does. Medians of --runs runs, each after one warm-up run.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federation.settings")

import django

django.setup()

import boto3  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.files.storage import FileSystemStorage, Storage  # noqa: E402
from storages.backends.s3 import S3Storage  # noqa: E402

from bench.imports import generate_roster  # noqa: E402
from federation.imports.reader import read_first_sheet  # noqa: E402
from federation.uploads.backends import default_storage_entry  # noqa: E402
from federation.uploads.storage import local_copy  # noqa: E402

BUCKET = "bench"
CHUNK = 64 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(stop, server)  # also when this process is interrupted or fails to start it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # moto imports every service it knows before it listens
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("moto_server did not start") from None
            time.sleep(0.2)
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    client.create_bucket(Bucket=BUCKET)
    return server, endpoint


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:  # still importing its services: it handles no signal yet
        server.kill()
        server.wait()


def s3_storage(endpoint: str) -> S3Storage:
    options = default_storage_entry(
        bucket=BUCKET,
        endpoint_url=endpoint,
        access_key_id="x",
        secret_access_key="x",
        region="us-east-1",
        addressing_style="path",
    )["OPTIONS"]
    return S3Storage(**options)


def median_seconds(work, runs: int) -> float:
    """The median of `runs` timed runs, after one untimed run (boto3's session and connection, the
    file in the page cache)."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_read(storage: Storage, path: Path) -> None:
    with path.open("rb") as handle:
        name = storage.save("imports/roster.xlsx", File(handle))
    with local_copy(storage, name, suffix=".xlsx") as copy:
        read_first_sheet(copy)
    storage.delete(name)


def export_round_trip(storage: Storage, path: Path) -> None:
    with path.open("rb") as handle:
        name = storage.save("exports/export.xlsx", File(handle))
    with storage.open(name, "rb") as stored:
        while stored.read(CHUNK):
            pass
    storage.delete(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", default="10000,100000")
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    _server, endpoint = start_moto()
    work = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    try:
        disk, s3 = FileSystemStorage(location=work / "media"), s3_storage(endpoint)
        print(f"{'what':<34}{'floor':>10}{'disk':>10}{'S3':>10}{'disk/floor':>12}{'S3/floor':>10}")

        def row(label: str, floor: float, on_disk: float, on_s3: float) -> None:
            print(
                f"{label:<34}{floor:>9.3f}s{on_disk:>9.3f}s{on_s3:>9.3f}s"
                f"{on_disk / floor:>11.2f}x{on_s3 / floor:>9.2f}x"
            )

        for rows in [int(n) for n in args.rows.split(",")]:
            path, _seconds = generate_roster(rows, seed=1)
            size = path.stat().st_size / 1024 / 1024
            floor = median_seconds(lambda path=path: read_first_sheet(path), args.runs)
            on_disk = median_seconds(lambda path=path: import_read(disk, path), args.runs)
            on_s3 = median_seconds(lambda path=path: import_read(s3, path), args.runs)
            row(f"import read, {rows:,} rows ({size:.1f} MB)", floor, on_disk, on_s3)

        export = work / "export.xlsx"
        with export.open("wb") as handle:
            handle.write(os.urandom(args.mb * 1024 * 1024))
        floor = median_seconds(lambda: shutil.copyfile(export, work / "copy.xlsx"), args.runs)
        on_disk = median_seconds(lambda: export_round_trip(disk, export), args.runs)
        on_s3 = median_seconds(lambda: export_round_trip(s3, export), args.runs)
        row(f"export store + download, {args.mb} MB", floor, on_disk, on_s3)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
