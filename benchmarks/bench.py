"""`make bench`: every benchmark of the template, as one Markdown table.

Renders every service with every environment into a scratch directory and installs it, then
measures, each side by side with its floor in the same run:
- render: `copier copy` of that project against a one-file Copier template (render_time.py);
- test loop: its `make test` against one `python app.py` synth of it (rendered_test_loop.py);
- cold start: each handler's import plus first request against a hand-written handler making
  the same AWS calls (cold_start.py), and, for comparison with other templates, against a
  handler that only sets up Powertools.

    .venv/bin/python benchmarks/bench.py [--samples 7] [--project PATH]

Benchmarks are not tests: CI does not run them, and no test asserts a time. Record the table and
the machine it ran on in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
from pathlib import Path
from typing import Any

# Run as a script: its folder is on sys.path, so its sibling benchmarks import as modules.
import cold_start
import render_time
import rendered_test_loop

Row = dict[str, Any]


def machine() -> str:
    cpus = os.cpu_count()
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.machine()}, {cpus} cores, {memory_gib:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average {load}"
    )


def markdown(rows: list[Row]) -> str:
    lines = [
        "| work | ours | floor | ratio | target | pass/fail |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        ratio = row["ours_s"] / row["floor_s"]
        target = row["target"]
        verdict = "reported" if target is None else ("pass" if ratio <= target else "**fail**")
        lines.append(
            f"| {row['work']} | {_seconds(row['ours_s'])} | {_seconds(row['floor_s'])} "
            f"| {ratio:.2f}x | {'' if target is None else f'≤ {target:.2f}x'} | {verdict} |"
        )
    return "\n".join(lines)


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=7, help="runs of each measurement")
    parser.add_argument(
        "--project", type=Path, help="a rendered project with every service, installed"
    )
    args = parser.parse_args()
    rows: list[Row] = []
    rows += render_time.measure(runs=args.samples)
    with tempfile.TemporaryDirectory() as scratch:
        project = (
            args.project.resolve() if args.project else rendered_test_loop.render(Path(scratch))
        )
        if not args.project:
            subprocess.run(["make", "install"], cwd=project, check=True, capture_output=True)
        rows += rendered_test_loop.measure(project, runs=3)
        floors, against_hello = cold_start.measure(project, samples=args.samples)
        rows += floors + against_hello
    print(f"Machine: {machine()}\n")
    print(markdown(rows))


if __name__ == "__main__":
    main()
