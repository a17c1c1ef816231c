"""`make demo` installs what the local node needs from the list .ci/run uses (issue 19)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from testkit import syspackages

ROOT = Path(__file__).resolve().parents[2]


def test_ci_and_the_demo_read_one_list() -> None:
    assert "tools/debian-packages.txt" in (ROOT / ".ci" / "run").read_text()
    demo = syspackages.listed()
    every = syspackages.listed(("node", "images", "tests"))
    assert {"containerd", "runc", "podman", "debootstrap"} <= set(demo)
    assert "postgresql-15" in every and "postgresql-15" not in demo


def test_without_root_the_demo_prints_the_one_apt_command(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("testkit.syspackages.os.geteuid", lambda: 1000)
    assert syspackages.install(["containerd", "podman"]) is False
    assert capsys.readouterr().out == ("to run the local node, install: sudo apt-get update && "
                                       "sudo apt-get install -y --no-install-recommends "
                                       "containerd podman\n")


def test_as_root_with_apt_the_demo_installs_and_says_what_it_runs(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    ran: list[list[str]] = []

    def fake_run(argv: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        ran.append(argv)
        return subprocess.CompletedProcess(argv, 0)
    monkeypatch.setattr("testkit.syspackages.os.geteuid", lambda: 0)
    monkeypatch.setattr("testkit.syspackages.shutil.which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr("testkit.syspackages.subprocess.run", fake_run)
    assert syspackages.install(["containerd"]) is True
    assert ran == [["apt-get", "update", "-qq"],
                   ["apt-get", "install", "-y", "--no-install-recommends", "containerd"]]
    assert "apt-get install -y --no-install-recommends containerd" in capsys.readouterr().out


def test_nothing_is_installed_when_nothing_is_missing() -> None:
    assert syspackages.install([]) is False
