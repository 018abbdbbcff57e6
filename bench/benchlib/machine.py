"""What the figures were measured on, and how busy the machine was with other work meanwhile."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_model(cpuinfo: str) -> str:
    """The ``model name`` of the first CPU in ``/proc/cpuinfo`` text."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return "unknown"


def mem_total_gib(meminfo: str) -> float:
    for line in meminfo.splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def busy_seconds(stat: str) -> float:
    """CPU seconds spent not idle, summed over all CPUs, from ``/proc/stat`` text."""
    fields = stat.splitlines()[0].split()
    if fields[0] != "cpu":
        raise ValueError("unexpected /proc/stat")
    values = [int(v) for v in fields[1:8]]  # user nice system idle iowait irq softirq
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS


def our_cpu_seconds() -> float:
    """CPU used by this harness and every child it has waited for (builds, generator, pip)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class OtherLoad:
    """CPU time the rest of the machine used while the benchmark ran."""

    start_busy: float
    start_ours: float
    start_wall: float
    load_averages: list[str]

    @classmethod
    def start(cls, now: float) -> OtherLoad:
        return cls(busy_seconds(Path("/proc/stat").read_text()), our_cpu_seconds(), now, [load_average()])

    def sample_load(self) -> None:
        self.load_averages.append(load_average())

    def summary(self, now: float) -> str:
        busy = busy_seconds(Path("/proc/stat").read_text()) - self.start_busy
        ours = our_cpu_seconds() - self.start_ours
        other = max(0.0, busy - ours)
        wall = max(now - self.start_wall, 1e-9)
        cores = os.cpu_count() or 1
        return (
            f"other processes used {other:.0f} CPU-seconds during the {wall / 60:.0f}-minute run "
            f"(on average {other / wall:.2f} of {cores} cores, {100 * other / wall / cores:.0f}% of the machine)"
        )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def command_output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError as exc:
        return f"unavailable ({exc})"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr).strip() else "?"


def _versions_script(packages: list[str]) -> str:
    """Python code printing ``name version`` for each installed package."""
    return f"import importlib.metadata as m; print(', '.join(p + ' ' + m.version(p) for p in {packages!r}))"


def describe(project_python: Path, bench_python: Path, hugo_binary: Path, project: Path) -> dict[str, str]:
    """Machine and software versions, for the head of RESULTS.md."""
    project_versions = _versions_script(["broadsheet", "Markdown", "Jinja2", "PyYAML", "nh3"])
    bench_versions = _versions_script(["pelican", "Markdown", "Jinja2"])
    commit = command_output(["git", "-C", str(project), "log", "-1", "--format=%h %s"])
    dirty = command_output(["git", "-C", str(project), "status", "--porcelain", "--", "src", "templates"])
    return {
        "CPU": f"{cpu_model(Path('/proc/cpuinfo').read_text())}, nproc {os.cpu_count()}",
        "memory": f"{mem_total_gib(Path('/proc/meminfo').read_text()):.1f} GiB",
        "system": f"{platform.system()} {platform.release()}",
        "Python (broadsheet)": command_output([str(project_python), "-VV"]),
        "broadsheet environment": command_output([str(project_python), "-c", project_versions]),
        "broadsheet commit": commit
        + ("" if dirty in ("", "?") else " (with uncommitted changes in src/ or templates/)"),
        "bench environment": command_output([str(bench_python), "-c", bench_versions]),
        "Hugo": command_output([str(hugo_binary), "version"]),
    }
