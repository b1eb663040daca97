"""Regenerate template/openapi.json.jinja, the API's OpenAPI document of every render with `api`.

The document depends on the language, on `dynamodb` (the users' and orders' routes), on `s3` (the
files' routes) and on the service name (its title). This script renders each combination with
`api`, installs each language once (the renders of a language share the first one's installed
dependencies), runs the render's own `make openapi`, and writes the documents back as one Jinja
branch each, with the service name turned into a template variable.

    uv run python scripts/update_openapi.py
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rendering import ROOT, render

TARGET = ROOT / "template" / "openapi.json.jinja"
PLACEHOLDER = "openapi-placeholder-service"
LANGUAGES = ("python", "typescript")
# What `make openapi` runs on, by language: installed once, then moved from render to render.
INSTALLED = {"python": ".venv", "typescript": "node_modules"}


def render_api(language: str, dynamodb: bool, s3: bool, destination: Path) -> None:
    services = ["api"] + (["dynamodb"] if dynamodb else []) + (["s3"] if s3 else [])
    render(
        ROOT,
        destination,
        {"service_name": PLACEHOLDER, "language": language, "services": services},
    )


def documents(language: str, tmp: Path) -> dict[tuple[bool, bool], str]:
    """The document of each combination of `dynamodb` and `s3` in `language`."""
    found = {}
    installed: Path | None = None
    for dynamodb, s3 in itertools.product((True, False), repeat=2):
        project = tmp / f"{language}-{int(dynamodb)}{int(s3)}"
        render_api(language, dynamodb, s3, project)
        if installed is None:
            subprocess.run(["make", "install"], cwd=project, check=True)
        else:
            shutil.move(installed / INSTALLED[language], project / INSTALLED[language])
            if language == "python":
                # The environment names the project it was made for; uv points it at this one.
                subprocess.run(["uv", "sync", "--locked", "--quiet"], cwd=project, check=True)
        installed = project
        subprocess.run(["make", "openapi"], cwd=project, check=True)
        text = (project / "openapi.json").read_text()
        if "{{" in text or "{%" in text:
            sys.exit(
                f"{language} openapi.json holds Jinja delimiters; wrap it in {{% raw %}} by hand"
            )
        found[dynamodb, s3] = text.replace(PLACEHOLDER, "{{ service_name }}")
        print(f"{language}: dynamodb={dynamodb} s3={s3}", file=sys.stderr)
    return found


def branches(found: dict[tuple[bool, bool], str]) -> str:
    conditions = {
        (True, True): "has.dynamodb and has.s3",
        (True, False): "has.dynamodb",
        (False, True): "has.s3",
    }
    text = ""
    for key, condition in conditions.items():
        text += ("{% if " if not text else "{% elif ") + condition + " %}\n" + found[key]
    return text + "{% else %}\n" + found[False, False] + "{% endif %}\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        python, typescript = (documents(language, Path(tmp)) for language in LANGUAGES)
        TARGET.write_text(
            "{% if is_python %}\n"
            + branches(python)
            + "{% else %}\n"
            + branches(typescript)
            + "{% endif %}\n"
        )
        # Before the temporary renders, and their installed dependencies, are deleted.
        print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
