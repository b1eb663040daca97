"""Wall time of `copier copy` of every service, against a one-file Copier template.

.venv/bin/python benchmarks/render_time.py [--runs 7] [--typescript] [--ref COMMIT]

Ours: the last commit of this repository (`--vcs-ref HEAD`), rendered with
tests/answer_sets/all-services.yml (every service and environment) and the defaults otherwise.
The floor: a git repository made here, whose copier.yml asks one question (`name`, default
"demo") and whose one file is README.md.jinja; it costs what any Copier run costs (start-up,
the clone of the template, the questions, one rendered file), so the ratio is what our template
adds on top.

Each run is a fresh `copier copy --trust --defaults -q --vcs-ref HEAD` process of the Copier in
this venv; the templates take turns (floor, ours, floor, ours, ...), so that a busy moment of
the machine falls on both; each result is the median of the runs. The CPU time of each process
(with its git subprocesses) is printed beside the wall time: on a busy machine, the wall times
of a long and a short process stretch unevenly, their CPU times much less.

--ref renders another commit of this repository (before/after comparisons).
"""

from __future__ import annotations

import argparse
import os
import resource
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


def clone_of(folder: Path, ref: str = "HEAD") -> Path:
    """A commit of this repository (the last one by default), cloned as Copier would fetch it
    from a remote: packed.

    A local clone hard-links the repository's loose objects (thousands in a working clone that
    `git gc` has not packed yet); Copier's own clone of the template would copy and delete them
    all, a cost of this machine's repository, not of the template.
    """
    subprocess.run(["git", "clone", "-q", "--no-local", str(ROOT), str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "checkout", "-q", "--detach", ref], check=True)
    return folder


def copy_times(template: Path, destination: Path, *options: str) -> tuple[float, float]:
    """Wall time and CPU time (user and system, with its git subprocesses) of one
    `copier copy` process."""
    command = [str(COPIER), "copy", "--trust", "--defaults", "-q", "--vcs-ref", "HEAD"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*command, *options, str(template), str(destination)], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def samples(
    runs: int, languages: tuple[str, ...], ref: str = "HEAD"
) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) of each copy, by template: "floor", then each language of ours."""
    with tempfile.TemporaryDirectory(prefix="render-time-") as tmp:
        work = Path(tmp)
        floor = make_floor_template(work / "floor")
        ours = clone_of(work / "ours", ref)
        times: dict[str, list[tuple[float, float]]] = {
            "floor": [],
            **{lang: [] for lang in languages},
        }
        for run in range(runs):
            times["floor"].append(copy_times(floor, work / f"floor-{run}"))
            for lang in languages:
                times[lang].append(
                    copy_times(
                        ours,
                        work / f"{lang}-{run}",
                        "--data-file",
                        str(ANSWER_SET),
                        "--data",
                        f"language={lang}",
                    )
                )
        return times


def _median(times: list[tuple[float, float]], which: int = 0) -> float:
    return statistics.median(sample[which] for sample in times)


def measure(runs: int = RUNS, languages: tuple[str, ...] = ("python",)) -> list[Row]:
    """One row per language: medians of `runs` interleaved copies of ours and of the floor."""
    times = samples(runs, languages)
    return [
        Row(
            work=f"copier copy, all services ({LANGUAGES[lang]})",
            ours_s=_median(times[lang]),
            floor_s=_median(times["floor"]),
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
    parser.add_argument("--ref", default="HEAD", help="the commit of this repository to render")
    args = parser.parse_args()
    languages = ("python", "typescript") if args.typescript else ("python",)
    times = samples(args.runs, languages, args.ref)
    floor_wall, floor_cpu = _median(times["floor"]), _median(times["floor"], 1)
    for lang in languages:
        wall, cpu = _median(times[lang]), _median(times[lang], 1)
        verdict = "met" if wall / floor_wall <= TARGET else "missed"
        print(
            f"copier copy, all services ({LANGUAGES[lang]}): {wall:.2f} s, one-file template "
            f"{floor_wall:.2f} s: {wall / floor_wall:.2f}x (target {TARGET}x: {verdict}; "
            f"medians of {args.runs}); CPU time {cpu:.2f} s against {floor_cpu:.2f} s: "
            f"{cpu / floor_cpu:.2f}x"
        )


if __name__ == "__main__":
    main()
