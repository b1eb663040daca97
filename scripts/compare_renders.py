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
import itertools
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from rendering import ROOT, differences, export_revision, export_working_tree, render, tree

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
