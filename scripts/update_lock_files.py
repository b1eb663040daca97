"""Regenerate the lock files that rendered projects install from.

Rendered projects share one dependency set per language whatever the answers, so one lock per
language and tool serves them all: this script renders every service in each language, locks
them with uv and npm, and writes the results back into template/ as one branch per language,
with the service name turned into a template variable.

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
LANGUAGES = ("python", "typescript")
LOCKS = {
    # rendered file -> template file
    "uv.lock": "uv.lock.jinja",
    "package-lock.json": "package-lock.json.jinja",
}


def locked(language: str, tmp: Path) -> dict[str, str]:
    """Each lock file of an all-services render in `language`, freshly resolved."""
    project = tmp / language
    copier.run_copy(
        str(ROOT),
        project,
        data={
            "service_name": PLACEHOLDER,
            "language": language,
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
    locks = {}
    for rendered in LOCKS:
        text = (project / rendered).read_text()
        if "{{" in text or "{%" in text:
            sys.exit(
                f"{language} {rendered} holds Jinja delimiters; wrap it in {{% raw %}} by hand"
            )
        locks[rendered] = text.replace(PLACEHOLDER, "{{ service_name }}")
    return locks


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        python, typescript = (locked(language, Path(tmp)) for language in LANGUAGES)
    for rendered, template_name in LOCKS.items():
        (TEMPLATE / template_name).write_text(
            "{% if is_python %}\n"
            + python[rendered]
            + "{% else %}\n"
            + typescript[rendered]
            + "{% endif %}\n"
        )
        print(f"wrote template/{template_name}")


if __name__ == "__main__":
    main()
