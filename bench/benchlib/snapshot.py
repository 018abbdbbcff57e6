"""A frozen copy of broadsheet's code at one commit, for measuring while others edit the tree.

The project's ``.venv`` has broadsheet installed in editable mode, so a build
runs whatever ``src/`` holds at that instant; in a working tree shared with
other engineers that can be a half-finished edit. ``git archive`` of a commit
into ``bench/data/`` and ``PYTHONPATH`` pointing at it give every run of the
session the same code (the ``.venv`` still supplies the dependencies).

The snapshot is byte-compiled, as ``pip install`` compiles an installed
package: a machine that sets ``PYTHONDONTWRITEBYTECODE`` (this one does) would
otherwise compile every module from source on every run, 80 ms that no
installed broadsheet, and no Pelican from PyPI, pays.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Snapshot:
    commit: str
    subject: str
    last_code_change: str  # "hash subject" of the newest commit touching src/ or templates/
    root: Path

    def environment(self) -> dict[str, str]:
        """The harness's environment with the snapshot's ``src`` first on the import path."""
        env = dict(os.environ)
        env["PYTHONPATH"] = str(self.root / "src")
        return env


def git(project: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True).stdout


def take_snapshot(project: Path, ref: str, data: Path, python: Path) -> Snapshot:
    """Extract ``src/`` and ``templates/`` of ``ref`` (a commit, branch or tag) under ``data``; reused if present.

    ``python``: the interpreter that will run it, which compiles it for itself.
    """
    commit = git(project, "rev-parse", "--verify", f"{ref}^{{commit}}").decode().strip()
    subject = git(project, "log", "-1", "--format=%s", commit).decode().strip()
    last_change = git(project, "log", "-1", "--format=%h %s", commit, "--", "src", "templates").decode().strip()
    root = data / f"snapshot-{commit[:12]}"
    if not (root / "src" / "broadsheet" / "__init__.py").exists():
        archive = git(project, "archive", "--format=tar", commit, "src", "templates")
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
    subprocess.run([str(python), "-m", "compileall", "-q", str(root / "src")], check=True)
    return Snapshot(commit, subject, last_change, root)
