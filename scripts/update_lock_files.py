"""Regenerate the lock files that rendered projects install from.

Rendered projects share one dependency set whatever the answers, so one lock per language
serves them all: this script renders the defaults, locks them with uv and npm, and writes the
results back into template/ with the service name turned into a template variable.

    uv run python scripts/update_lock_files.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import copier

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template"
PLACEHOLDER = "lock-file-placeholder-service"
LOCKS = {
    # rendered file -> template file
    "uv.lock": "uv.lock.jinja",
    "package-lock.json": "package-lock.json.jinja",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        copier.run_copy(
            str(ROOT),
            project,
            data={
                "service_name": PLACEHOLDER,
                "services": ["api", "dynamodb", "s3", "ecs", "eventbridge"],
            },
            defaults=True,
            unsafe=True,
            vcs_ref="HEAD",
            quiet=True,
        )
        for rendered in LOCKS:
            (project / rendered).unlink(missing_ok=True)
        subprocess.run(["uv", "lock", "--upgrade"], cwd=project, check=True)
        subprocess.run(
            ["npm", "install", "--package-lock-only", "--no-audit", "--no-fund"],
            cwd=project,
            check=True,
        )
        for rendered, template_name in LOCKS.items():
            text = (project / rendered).read_text()
            if "{{" in text or "{%" in text:
                sys.exit(f"{rendered} holds Jinja delimiters; wrap it in {{% raw %}} by hand")
            (TEMPLATE / template_name).write_text(text.replace(PLACEHOLDER, "{{ service_name }}"))
            print(f"wrote template/{template_name}")


if __name__ == "__main__":
    main()
