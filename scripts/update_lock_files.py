"""Regenerate the lock files that rendered projects install from.

Rendered projects share one dependency set per language whatever the answers, so one lock per
language and tool serves them all: this script renders every service in each language, locks
them with uv and npm, and writes the results into includes/locks/<language>/, with the service
name turned into a template variable. template/uv.lock.jinja and template/package-lock.json.jinja
include the render's language's copy, so that a render compiles only its own language's locks.

    uv run python scripts/update_lock_files.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import copier

ROOT = Path(__file__).resolve().parents[1]
LOCK_INCLUDES = ROOT / "includes" / "locks"
PLACEHOLDER = "lock-file-placeholder-service"
LANGUAGES = ("python", "typescript")
LOCKS = {
    # rendered file -> the file each language's copy is written to, and included by template/
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
        locks = {language: locked(language, Path(tmp)) for language in LANGUAGES}
    for language, texts in locks.items():
        for rendered, include_name in LOCKS.items():
            include = LOCK_INCLUDES / language / include_name
            include.write_text(texts[rendered])
            print(f"wrote {include.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
