"""Wall time of `copier copy` of every service, against a one-file Copier template.

.venv/bin/python benchmarks/render_time.py [--runs 7] [--typescript]

Ours: the last commit of this repository (`--vcs-ref HEAD`), rendered with
tests/answer_sets/all-services.yml (every service and environment) and the defaults otherwise.
The floor: a git repository made here, whose copier.yml asks one question (`name`, default
"demo") and whose one file is README.md.jinja; it costs what any Copier run costs (start-up,
the clone of the template, the questions, one rendered file), so the ratio is what our template
adds on top.

Each run is a fresh `copier copy --trust --defaults -q --vcs-ref HEAD` process of the Copier in
this venv; the templates take turns (floor, ours, floor, ours, ...), so that a busy moment of
the machine falls on both; each result is the median of the runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parents[1]
ANSWER_SET = ROOT / "tests" / "answer_sets" / "all-services.yml"
TARGET = 2.0
RUNS = 7
LANGUAGES = {"python": "Python", "typescript": "TypeScript"}
# The Copier next to this Python: the venv's console script, as a user runs it.
COPIER = Path(sys.executable).with_name("copier")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


class Row(TypedDict):
    work: str
    ours_s: float
    floor_s: float
    target: float


def make_floor_template(folder: Path) -> Path:
    """A committed one-question, one-file Copier template."""
    folder.mkdir()
    (folder / "copier.yml").write_text("name:\n  type: str\n  default: demo\n")
    (folder / "README.md.jinja").write_text("# {{ name }}\n\nA one-file template.\n")
    env = {**os.environ, **GIT_ENV}
    for command in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "One file"],
    ):
        subprocess.run(command, cwd=folder, env=env, check=True)
    return folder


def clone_of_head(folder: Path) -> Path:
    """This repository's last commit, cloned as Copier would fetch it from a remote: packed.

    A local clone hard-links the repository's loose objects (thousands in a working clone that
    `git gc` has not packed yet); Copier's own clone of the template would copy and delete them
    all, a cost of this machine's repository, not of the template.
    """
    subprocess.run(["git", "clone", "-q", "--no-local", str(ROOT), str(folder)], check=True)
    return folder


def copy_seconds(template: Path, destination: Path, *options: str) -> float:
    """Wall time of one `copier copy` process."""
    command = [str(COPIER), "copy", "--trust", "--defaults", "-q", "--vcs-ref", "HEAD"]
    start = time.perf_counter()
    subprocess.run([*command, *options, str(template), str(destination)], check=True)
    return time.perf_counter() - start


def measure(runs: int = RUNS, languages: tuple[str, ...] = ("python",)) -> list[Row]:
    """One row per language: medians of `runs` interleaved copies of ours and of the floor."""
    with tempfile.TemporaryDirectory(prefix="render-time-") as tmp:
        work = Path(tmp)
        floor = make_floor_template(work / "floor")
        ours = clone_of_head(work / "ours")
        samples: dict[str, list[float]] = {"floor": [], **{lang: [] for lang in languages}}
        for run in range(runs):
            samples["floor"].append(copy_seconds(floor, work / f"floor-{run}"))
            for lang in languages:
                samples[lang].append(
                    copy_seconds(
                        ours,
                        work / f"{lang}-{run}",
                        "--data-file",
                        str(ANSWER_SET),
                        "--data",
                        f"language={lang}",
                    )
                )
        floor_s = statistics.median(samples["floor"])
        return [
            Row(
                work=f"copier copy, all services ({LANGUAGES[lang]})",
                ours_s=statistics.median(samples[lang]),
                floor_s=floor_s,
                target=TARGET,
            )
            for lang in languages
        ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--typescript", action="store_true", help="also time the TypeScript render")
    args = parser.parse_args()
    languages = ("python", "typescript") if args.typescript else ("python",)
    for row in measure(args.runs, languages):
        ratio = row["ours_s"] / row["floor_s"]
        verdict = "met" if ratio <= row["target"] else "missed"
        print(
            f"{row['work']}: {row['ours_s']:.2f} s, one-file template {row['floor_s']:.2f} s: "
            f"{ratio:.2f}x (target {row['target']}x: {verdict}; medians of {args.runs})"
        )


if __name__ == "__main__":
    main()
