"""The wheel carries the grammar and its parse tables: build it, install it elsewhere, parse."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_parses(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = dist.glob("mixfilter-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "mixfilter/grammar/mixfilter.lark" in names
    assert "mixfilter/grammar/mixfilter.tables.json" in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # The dependencies (lark, pydantic) come from this test environment, offline: a plain path
    # entry, so the checkout's editable-install hook in there is *not* activated.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, timeout=300,
    )  # fmt: skip
    code = (
        "import sys, mixfilter; f = mixfilter.parse('a = 1 or b in [2]');"
        "from mixfilter.parser import stored_tables; assert stored_tables() is not None;"
        "assert 'lark' not in sys.modules; print(mixfilter.__file__); print(f.to_json())"
    )
    out = subprocess.run(
        [str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
        env={"PATH": "/usr/bin:/bin"}, timeout=60,
    )  # fmt: skip
    location, json_text = out.stdout.splitlines()
    assert str(ROOT) not in location  # the installed copy, not the checkout
    assert "'OR'" in json_text
