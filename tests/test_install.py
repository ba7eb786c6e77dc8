"""scripts/install-system-packages: apt-get for what is missing as root, otherwise the one
command to run; nothing at all when every package is there. (.ci/run runs it for real.)"""

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "install-system-packages"
PACKAGES = [
    "chromium",
    "fonts-noto-cjk",
    "libreoffice-writer-nogui",
    "poppler-utils",
    "postgresql",
    "pandoc",
    "wrk",
    "gettext",
]


@pytest.fixture
def machine(tmp_path):
    """run(installed=[...], uid=0): the script against a dpkg that knows only those packages,
    an apt-get that records its calls, and `id` saying who runs it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    shims = {
        "dpkg-query": """
            package="${@: -1}"
            for installed in $FAKE_INSTALLED; do
              [ "$installed" = "$package" ] && { printf 'ii '; exit 0; }
            done
            exit 1
        """,
        "apt-get": 'echo "apt-get $*" >> "$FAKE_CALLS"',
        "id": 'echo "$FAKE_UID"',
        "python3": "exit 0",  # not Debian's python3: no python3-venv needed
    }
    for name, body in shims.items():
        shim = bin_dir / name
        shim.write_text("#!/bin/bash\n" + textwrap.dedent(body))
        shim.chmod(0o755)

    def run(installed, uid=0):
        env = {
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "FAKE_INSTALLED": " ".join(installed),
            "FAKE_CALLS": str(calls),
            "FAKE_UID": str(uid),
        }
        result = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
        return result, calls.read_text().splitlines() if calls.exists() else []

    return run


def test_nothing_is_done_when_every_package_is_installed(machine):
    result, apt = machine(PACKAGES, uid=1000)
    assert result.returncode == 0 and result.stdout == result.stderr == ""
    assert apt == []


def test_root_installs_exactly_what_is_missing(machine):
    result, apt = machine([p for p in PACKAGES if p not in ("chromium", "pandoc")], uid=0)
    assert result.returncode == 0, result.stderr
    assert apt == ["apt-get update -q", "apt-get install -y -q --no-install-recommends chromium pandoc"]


def test_anyone_else_is_told_the_one_command_to_run(machine):
    result, apt = machine([p for p in PACKAGES if p != "fonts-noto-cjk"], uid=1000)
    assert result.returncode == 1
    assert result.stderr == (
        "Missing system packages; run: sudo apt-get update && "
        "sudo apt-get install -y --no-install-recommends fonts-noto-cjk\n"
    )
    assert apt == []


def test_this_machine_has_everything_so_the_script_returns_at_once():
    # Every package the suite needs is on this machine (CI installs them with this script).
    result = subprocess.run([str(SCRIPT)], env={"PATH": os.environ.get("PATH", "")}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_ci_and_make_test_use_the_script():
    ci = (Path(settings.BASE_DIR) / ".ci" / "run").read_text()
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "scripts/install-system-packages" in ci and "apt-get install" not in ci
    assert "scripts/install-system-packages" in makefile
    assert "test: system-packages" in makefile
