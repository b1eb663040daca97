"""Helpers of the scripts that render the template: export a tree, render it, compare renders."""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import copier

ROOT = Path(__file__).resolve().parents[1]


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
    """Render `answers` from a template folder that is not a git repository.

    The answers file records where the template came from; that path becomes `<template>`, so
    that renders of two copies of the template compare equal.
    """
    copier.run_copy(
        str(template), destination, data=answers, defaults=True, unsafe=True, quiet=True
    )
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


def differences(
    before: dict[str, bytes],
    after: dict[str, bytes],
    labels: tuple[str, str] = ("the revision", "the working tree"),
) -> list[str]:
    found = []
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            found.append(f"  only in {labels[0]}: {name}")
        elif name not in before:
            found.append(f"  only in {labels[1]}: {name}")
        elif before[name] != after[name]:
            diff = difflib.unified_diff(
                before[name].decode(errors="replace").splitlines(),
                after[name].decode(errors="replace").splitlines(),
                lineterm="",
                n=1,
            )
            found.append(f"  differs: {name}\n" + "\n".join(f"    {line}" for line in diff))
    return found
