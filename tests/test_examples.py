"""examples/ holds what users get: a template change that changes a render must update it."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_examples_are_current() -> None:
    checked = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_examples.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr + "\nRun `make examples`."
