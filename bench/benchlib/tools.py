"""How each generator builds, rebuilds and is reset between runs.

Every tool builds its own copy of the corpus in its own folder. A full build
starts from nothing (output and every cache deleted, outside the timing); a
rebuild writes into the output the previous build left, with the tool's
cache where it has one (Pelican's content cache is its own configuration,
``pelicanconf_cached.py``, as the generator writes it).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


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
        """Delete the output and every cache: the next build is a clean one."""
        remove(*(self.site / name for name in self.state))
        remove(*self.site.glob(".output.*"))  # a killed broadsheet build's staging folder

    def reset_rebuild_state(self) -> None:
        remove(*(self.site / name for name in self.rebuild_state))

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
