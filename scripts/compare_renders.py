"""Render the same answers from a git revision and from the working tree, and compare the trees.

A change that only moves template files (or reshapes how they are selected) must leave every
render byte-identical; this script is the check. It renders every answer set of the test suite
(the defaults, no services, tests/answer_sets/*.yml), and with --all-service-subsets each of the
32 service combinations as well, from `REV` (default HEAD) and from the working tree, committed
or not, and prints every path that differs.

    .venv/bin/python scripts/compare_renders.py [--rev v0.2.0] [--all-service-subsets]

Exit status: 0 when every tree is identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import difflib
import io
import itertools
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import copier
import yaml

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("api", "dynamodb", "s3", "ecs", "eventbridge")


def answer_sets(all_service_subsets: bool) -> dict[str, dict[str, Any]]:
    sets: dict[str, dict[str, Any]] = {"defaults": {}, "no-services": {"services": []}}
    for path in sorted((ROOT / "tests" / "answer_sets").glob("*.yml")):
        sets[path.stem] = yaml.safe_load(path.read_text())
    if all_service_subsets:
        for size in range(len(SERVICES) + 1):
            for subset in itertools.combinations(SERVICES, size):
                sets["services=" + "+".join(subset)] = {
                    "services": list(subset),
                    "environments": ["dev", "staging", "prod"],
                }
    return sets


def export_revision(rev: str, destination: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")


def export_working_tree(destination: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def render(template: Path, destination: Path, answers: dict[str, Any]) -> None:
    copier.run_copy(
        str(template), destination, data=answers, defaults=True, unsafe=True, quiet=True
    )
    # The answers file records where the template came from: the one expected difference.
    answers_file = destination / ".copier-answers.yml"
    answers_file.write_text(answers_file.read_text().replace(str(template), "<template>"))


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    } | {
        path.relative_to(root).as_posix() + "/": b""
        for path in root.rglob("*")
        if path.is_dir() and not any(path.iterdir())
    }


def differences(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    found = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            found.append(f"  only in the revision: {name}")
        elif name not in before:
            found.append(f"  only in the working tree: {name}")
        elif before[name] != after[name]:
            diff = difflib.unified_diff(
                before[name].decode(errors="replace").splitlines(),
                after[name].decode(errors="replace").splitlines(),
                lineterm="",
                n=1,
            )
            found.append(f"  differs: {name}\n" + "\n".join(f"    {line}" for line in diff))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="HEAD", help="git revision to compare against")
    parser.add_argument("--all-service-subsets", action="store_true")
    arguments = parser.parse_args()

    failed = 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export_revision(arguments.rev, tmp / "revision")
        export_working_tree(tmp / "working-tree")
        for name, answers in answer_sets(arguments.all_service_subsets).items():
            renders = {}
            for side in ("revision", "working-tree"):
                destination = tmp / "renders" / side / name
                render(tmp / side, destination, answers)
                renders[side] = tree(destination)
            found = differences(renders["revision"], renders["working-tree"])
            print(f"{name}: {'identical' if not found else f'{len(found)} differences'}")
            for line in found:
                print(line)
            failed += bool(found)
    print(f"{failed} answer sets differ from {arguments.rev}" if failed else "all identical")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
