"""Render the examples in examples/: what users get from the template, reviewed as a diff.

Each example is one answer set rendered from the working tree (committed or not). `make
examples` rewrites them; `--check` renders them afresh, prints what differs and exits 1 when an
example is stale (the template's tests run it).

    .venv/bin/python scripts/render_examples.py [--check]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from rendering import ROOT, differences, export_working_tree, render, tree

EXAMPLES_DIR = ROOT / "examples"
# Example folder -> answers (the rest are the questions' defaults).
EXAMPLES: dict[str, dict[str, Any]] = {
    "python-defaults": {},
    "typescript-defaults": {"language": "typescript"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    check = parser.parse_args().check

    stale = 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export_working_tree(tmp / "template")
        for name, answers in EXAMPLES.items():
            rendered = tmp / "examples" / name
            render(tmp / "template", rendered, answers)
            target = EXAMPLES_DIR / name
            if check:
                found = differences(
                    tree(target) if target.exists() else {},
                    tree(rendered),
                    labels=(f"examples/{name}", "a fresh render"),
                )
                stale += bool(found)
                print(f"examples/{name}: {'current' if not found else 'stale, run make examples'}")
                print("\n".join(found))
            else:
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(rendered, target)
                print(f"wrote examples/{name}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
