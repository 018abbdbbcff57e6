"""How each generator builds, rebuilds and is reset between runs.

Every tool builds its own copy of the corpus in its own folder. A full build
starts from nothing (output and every cache moved away, outside the timing); a
rebuild writes into the output the previous build left, with the tool's
cache where it has one (Pelican's content cache is its own configuration,
``pelicanconf_cached.py``, as the generator writes it).

Old outputs are moved into a trash folder, not deleted, until the session
ends: on this kind of machine (ext4 mounted with ``discard`` on a virtual
disk) deleting tens of thousands of files leaves the disk busy for half a
minute, and the next build, whichever tool's, would pay for it (creating 40,000
files took 2.4 s on a settled disk and 15 to 37 s right after a deletion).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .report import FLOOR


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


TRASH = ".trash"
_moved = itertools.count()


def discard(*paths: Path) -> None:
    """Move ``paths`` into the trash folder beside their site folder (an instant rename, no disk work)."""
    for path in paths:
        if path.exists() or path.is_symlink():
            trash = path.parent.parent / TRASH
            trash.mkdir(exist_ok=True)
            os.replace(path, trash / f"{os.getpid()}-{next(_moved)}-{path.parent.name}-{path.name}")


def empty_trash(data: Path) -> None:
    """Delete what ``discard`` moved away under ``data``, and wait for the disk to take the deletion."""
    remove(data / TRASH)
    os.sync()


@dataclass(frozen=True)
class Tool:
    """One generator working on one corpus folder."""

    name: str
    site: Path
    full_command: tuple[str, ...]
    rebuild_command: tuple[str, ...]
    state: tuple[str, ...]  # what a clean build deletes, relative to the site
    rebuild_state: tuple[str, ...]  # what must be rebuilt from nothing before the first timed rebuild
    env: dict[str, str] | None = None  # the environment to run in (None: the harness's own)

    @property
    def output(self) -> Path:
        return self.site / "output"

    def reset(self) -> None:
        """Move the output and every cache away: the next build is a clean one."""
        discard(*(self.site / name for name in self.state))
        if "output" in self.state:
            discard(*self.site.glob(".output.*"))  # broadsheet's shadow folder, or a killed build's

    def reset_rebuild_state(self) -> None:
        discard(*(self.site / name for name in self.rebuild_state))

    def count_files(self) -> int:
        """Files in the output (pages, feeds, static files), for comparing the work each tool does."""
        return sum(1 for path in self.output.rglob("*") if path.is_file())


def broadsheet(launcher: Sequence[str], site: Path, env: dict[str, str] | None = None) -> Tool:
    """``launcher`` is the ``broadsheet`` script, or ``python -m broadsheet`` for a snapshot on PYTHONPATH."""
    command = (*launcher, "build", "--site", str(site))
    return Tool("broadsheet", site, command, command, state=("output", ".cache"), rebuild_state=(), env=env)


def pelican(executable: Path, site: Path) -> Tool:
    def command(settings: str) -> tuple[str, ...]:
        return (str(executable), "content", "-o", "output", "-s", settings, "-q")

    return Tool(
        "Pelican",
        site,
        command("pelicanconf.py"),
        command("pelicanconf_cached.py"),
        state=("output", "cache"),
        rebuild_state=("output", "cache"),
    )


def hugo(executable: Path, site: Path, cache: Path) -> Tool:
    """Hugo has no persistent build cache on the command line: a rebuild is a full build over the old output."""
    command = (str(executable), "--quiet", "-d", "output", "--cacheDir", str(cache))
    return Tool("Hugo", site, command, command, state=("output", "resources", ".hugo_build.lock"), rebuild_state=())


def floor(python: Path, script: Path, site: Path) -> Tool:
    """``bench/floor.py`` on broadsheet's corpus: every article converted and written as a bare page (full builds only)."""
    command = (str(python), str(script), str(site))
    return Tool(FLOOR, site, command, command, state=("floor-output",), rebuild_state=())
