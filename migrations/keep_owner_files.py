"""After every `copier update`: keep the files it deleted that the team owns or changed.

Copier deletes each file that the previous render held and the new answers do not, whether or not
the team edited it: removing a service would silently take the team's work on that service with
it. This step, run in the project once the update is done, puts back every deleted file that is a
starting point (`_skip_if_exists`: the team's from the first copy on) or whose committed content
differs from what the previous template version rendered, and says which, and what to do.

    python keep_owner_files.py <template folder> <answers file>
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import copier
import yaml


def git(*args: str) -> bytes:
    return subprocess.run(["git", *args], check=True, capture_output=True).stdout


def deleted_files() -> list[str]:
    """Tracked files the update removed from the working tree."""
    listed = git("ls-files", "--deleted", "-z").decode()
    return sorted(name for name in listed.split("\0") if name)


def load_extension(template: Path) -> Any:
    path = template / "extensions" / "service_context.py"
    spec = importlib.util.spec_from_file_location("service_context", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def previous_render(answers: dict[str, Any], destination: Path) -> Path | None:
    """The project as the previous template version rendered it, or None if that fails."""
    try:
        copier.run_copy(
            str(answers["_src_path"]),
            destination,
            data={key: value for key, value in answers.items() if not key.startswith("_")},
            vcs_ref=answers.get("_commit"),
            defaults=True,
            unsafe=True,
            quiet=True,
        )
    except Exception as error:  # any failure: treat every deleted file as changed
        print(f"(could not render the previous version to compare: {error})", file=sys.stderr)
        return None
    return destination


def main(template: Path, answers_file: str) -> None:
    deleted = deleted_files()
    if not deleted:
        return
    table = load_extension(template).file_table()
    previous_answers = yaml.safe_load(git("show", f"HEAD:./{answers_file}"))
    kept: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        previous = previous_render(previous_answers, Path(tmp) / "previous")
        for name in deleted:
            committed = git("show", f"HEAD:./{name}")
            if table.is_starting_point(name):
                reason = "a starting point: yours since the first copy"
            elif previous is None or not (previous / name).is_file():
                reason = "not rendered by the template"
            elif (previous / name).read_bytes() != committed:
                reason = "you changed it"
            else:
                continue
            Path(name).parent.mkdir(parents=True, exist_ok=True)
            Path(name).write_bytes(committed)
            kept.append((name, reason))
    if not kept:
        return
    width = max(len(name) for name, _ in kept)
    print(
        f"\ncopier update kept {len(kept)} file(s) that the new answers no longer render:",
        *(f"  {name.ljust(width)}  ({reason})" for name, reason in kept),
        "They are no longer wired into the service and may import what the update removed, so",
        "`make test` and `make lint` can fail on them. Move what you still need into files that",
        "are rendered, then delete them: git rm " + " ".join(name for name, _ in kept),
        sep="\n",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
