"""The owning team's inner loop: `make test` of a rendered project against one synth of its app.

Renders every service with every environment (or uses --project), installs it, then measures:
- one `python app.py` synth (jsii start-up plus every stack), median of --runs;
- `make test` wall time, median of --runs, and the peak resident memory of its whole process tree
  (pytest, the jsii Node process, moto's server), sampled from /proc.

    .venv/bin/python benchmarks/rendered_test_loop.py [--project PATH] [--runs 3]
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
from pathlib import Path

import copier

ROOT = Path(__file__).resolve().parents[1]
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
    """Wall time and peak process-tree memory of one command."""
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
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
        sys.exit(f"{' '.join(command)} failed with exit code {returncode}")
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = environment()
    with tempfile.TemporaryDirectory() as tmp:
        project = args.project
        if project is None:
            project = Path(tmp) / "service"
            copier.run_copy(
                str(ROOT),
                project,
                data=ALL_SERVICES,
                defaults=True,
                unsafe=True,
                vcs_ref="HEAD",
                quiet=True,
            )
            subprocess.run(
                ["make", "install"], cwd=project, env=env, check=True, stdout=subprocess.DEVNULL
            )
        synth_env = {
            **env,
            "CDK_OUTDIR": str(Path(tmp) / "cdk.out"),
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        }
        synths = [
            timed([str(project / ".venv/bin/python"), "app.py"], project, synth_env)
            for _ in range(args.runs)
        ]
        tests = [timed(["make", "test"], project, env) for _ in range(args.runs)]
    synth = statistics.median(t for t, _ in synths)
    test = statistics.median(t for t, _ in tests)
    peak = max(p for _, p in tests)
    synth_peak = max(p for _, p in synths)
    print(f"python app.py synth: median {synth:.2f} s, peak memory {synth_peak / 2**20:.0f} MiB")
    print(f"make test:           median {test:.2f} s  ({test / synth:.2f}x the synth; target 2.5x)")
    print(
        f"make test peak memory of the process tree: {peak / 2**20:.0f} MiB (target under 1024 MiB)"
    )


if __name__ == "__main__":
    main()
