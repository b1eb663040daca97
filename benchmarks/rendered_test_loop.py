"""The owning team's inner loop: `make test` of a rendered project against one synth of its app.

Renders every service with every environment (or uses --project), installs it, then measures:
- one `python app.py` synth (jsii start-up plus every stack), median of --runs;
- `make test` wall time, median of --runs, and the peak resident memory of its whole process tree
  (pytest, the jsii Node process, moto's server), sampled from /proc.

    .venv/bin/python benchmarks/rendered_test_loop.py [--project PATH] [--runs 3]

`measure()` gives the same as one row of `make bench`: make test against the synth, target 2.0x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import copier

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0
WORK = "make test (Python, all services) vs one synth"
ALL_SERVICES = {
    "services": ["api", "dynamodb", "s3", "ecs", "eventbridge"],
    "environments": ["dev", "staging", "prod"],
}


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env["PATH"]])
    return env


def tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall time and peak process-tree memory of one command; its output's end if it fails."""
    peak = 0
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_bytes(process.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        returncode = process.wait()
        elapsed = time.perf_counter() - start
        done.set()
        sampler.join()
        if returncode:
            output.seek(0)
            tail = output.read().decode(errors="replace").splitlines()[-40:]
            sys.exit("\n".join([*tail, f"{' '.join(command)} failed with exit code {returncode}"]))
    return elapsed, peak


@dataclass(frozen=True)
class Loop:
    synth_s: float
    synth_peak_bytes: int
    test_s: float
    test_peak_bytes: int


def render(directory: Path) -> Path:
    """Every service and environment rendered from this checkout's HEAD into the directory."""
    project = directory / "service"
    copier.run_copy(
        str(ROOT),
        project,
        data=ALL_SERVICES,
        defaults=True,
        unsafe=True,
        vcs_ref="HEAD",
        quiet=True,
    )
    return project


@contextmanager
def rendered_project(project: Path | None, env: dict[str, str]) -> Iterator[Path]:
    """The project given, or every service rendered and installed in a temporary directory."""
    if project is not None:
        yield project
        return
    with tempfile.TemporaryDirectory() as tmp:
        rendered = render(Path(tmp))
        subprocess.run(
            ["make", "install"], cwd=rendered, env=env, check=True, stdout=subprocess.DEVNULL
        )
        yield rendered


def loop(project: Path, runs: int, env: dict[str, str]) -> Loop:
    """Median wall times (and peak memory) of one synth and of `make test`, side by side."""
    with tempfile.TemporaryDirectory() as tmp:
        synth_env = {
            **env,
            "CDK_OUTDIR": str(Path(tmp) / "cdk.out"),
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        }
        # Alternated, so that a change in the machine's load weighs on both alike.
        synths, tests = [], []
        for _ in range(runs):
            synths.append(timed([str(project / ".venv/bin/python"), "app.py"], project, synth_env))
            tests.append(timed(["make", "test"], project, env))
    return Loop(
        synth_s=statistics.median(t for t, _ in synths),
        synth_peak_bytes=max(p for _, p in synths),
        test_s=statistics.median(t for t, _ in tests),
        test_peak_bytes=max(p for _, p in tests),
    )


def measure(project: Path | None = None, runs: int = 3) -> list[dict[str, object]]:
    """The row of `make bench`: `make test` of every service, against one synth of the app."""
    env = environment()
    with rendered_project(project, env) as path:
        result = loop(path, runs, env)
    return [dict(work=WORK, ours_s=result.test_s, floor_s=result.synth_s, target=TARGET)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = environment()
    with rendered_project(args.project, env) as project:
        result = loop(project, args.runs, env)
    synth, test = result.synth_s, result.test_s
    print(
        f"python app.py synth: median {synth:.2f} s, "
        f"peak memory {result.synth_peak_bytes / 2**20:.0f} MiB"
    )
    print(
        f"make test:           median {test:.2f} s  ({test / synth:.2f}x the synth; target {TARGET}x)"
    )
    print(
        "make test peak memory of the process tree: "
        f"{result.test_peak_bytes / 2**20:.0f} MiB (target under 1024 MiB)"
    )


if __name__ == "__main__":
    main()
