"""The same workbook as an office saves it in the other formats the imports read: .xls (Excel 97-2003,
what WPS and old templates produce) and .ods (LibreOffice), converted from .xlsx by LibreOffice
itself, so that the files are the real thing and not our idea of it.

LibreOffice Calc is a test requirement (`make test` installs libreoffice-calc-nogui); conversion
takes a few seconds per call of soffice whatever the number of files, so a test module converts all
its workbooks at once, in a session-scoped fixture (`convert_all`).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FORMATS = ("xls", "ods")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail(
            "LibreOffice (soffice) with Calc is needed to make the .xls and .ods test files: "
            "apt-get install libreoffice-calc-nogui (make test installs it)."
        )
    return found


def convert_all(workbooks: dict[str, bytes], directory: Path) -> dict[tuple[str, str], bytes]:
    """{(name, "xls"|"ods"): bytes} for every {name: .xlsx bytes}, converted by LibreOffice Calc
    with a private profile (one soffice run per format)."""
    source = directory / "xlsx"
    source.mkdir(parents=True, exist_ok=True)
    for name, data in workbooks.items():
        (source / f"{name}.xlsx").write_bytes(data)
    profile = Path(tempfile.mkdtemp(prefix="lo_profile_", dir=directory))
    converted = {}
    for target in FORMATS:
        out = directory / target
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                *sorted(str(path) for path in source.glob("*.xlsx")),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for name in workbooks:
            path = out / f"{name}.{target}"
            if not path.exists():
                pytest.fail(f"LibreOffice did not convert {name}.xlsx to .{target}")
            converted[(name, target)] = path.read_bytes()
    return converted
