"""Helpers shared by the benchmarks in bench/."""

from __future__ import annotations

import os
from pathlib import Path


def server_cpu(pid: int | None) -> float:
    """CPU seconds used so far by one PostgreSQL server process (0 without one, or where /proc
    cannot show it): beside the benchmark's own CPU time, what the work costs on an idle machine."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
