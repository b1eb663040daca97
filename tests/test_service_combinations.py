"""Every combination of the services renders code that its formatter, linter and type checker pass.

The answer sets install, test and lint a few combinations. The Jinja branches of all the others
are checked here, one language at a time: each of the 32 combinations is rendered with the
defaults for everything else, then one run of each tool covers them all. The tools are those of
the installed default projects, at the versions the rendered projects pin.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import copier
import pytest
from conftest import ROOT, TYPESCRIPT, CommandResult, Projects, run
from test_extensions import ext

# With the default projects' tests, whose installed tools these use: one worker installs them.
pytestmark = [pytest.mark.rendered, pytest.mark.xdist_group("defaults")]

COMBINATIONS = [
    list(services)
    for count in range(len(ext.SERVICES) + 1)
    for services in itertools.combinations(ext.SERVICES, count)
]


def _renders(root: Path) -> dict[Path, list[str]]:
    """Where each combination renders under root: a folder named after its services."""
    return {root / ("+".join(services) or "no-services"): services for services in COMBINATIONS}


def _render_every_combination(language: str, root: Path) -> Path:
    for destination, services in _renders(root).items():
        copier.run_copy(
            str(ROOT),
            destination,
            data={"services": services, "language": language},
            defaults=True,
            unsafe=True,
            quiet=True,
            vcs_ref="HEAD",
        )
    return root


def _passes(result: CommandResult) -> None:
    assert result.returncode == 0, result.tail(100)


@pytest.fixture(scope="module")
def python_renders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render_every_combination("python", tmp_path_factory.mktemp("python-combinations"))


@pytest.fixture(scope="module")
def typescript_renders(tmp_path_factory: pytest.TempPathFactory, projects: Projects) -> Path:
    root = _render_every_combination(
        "typescript", tmp_path_factory.mktemp("typescript-combinations")
    )
    # One dependency tree serves every render (their locks differ only in the project's name),
    # and one tsc program checks them all: each render keeps its own relative imports.
    (root / "node_modules").symlink_to(projects[TYPESCRIPT + "defaults"].path / "node_modules")
    some_render = root / "no-services"
    tsconfig = json.loads((some_render / "tsconfig.json").read_text())
    tsconfig["include"] = [
        f"{render.name}/{folder}" for render in _renders(root) for folder in tsconfig["include"]
    ]
    (root / "tsconfig.json").write_text(json.dumps(tsconfig))
    return root


@pytest.fixture(scope="module")
def ruff(projects: Projects) -> Path:
    return projects["defaults"].path / ".venv" / "bin" / "ruff"


def test_every_python_combination_is_formatted(python_renders: Path, ruff: Path) -> None:
    _passes(run(f"{ruff} format --check --no-cache .", python_renders))


def test_every_python_combination_passes_ruff(python_renders: Path, ruff: Path) -> None:
    _passes(run(f"{ruff} check --no-cache .", python_renders))


def test_every_typescript_combination_is_formatted(typescript_renders: Path) -> None:
    # A pattern per render: a glob from the root would also walk the linked dependency tree.
    patterns = " ".join(f"'{render.name}/**/*.ts'" for render in _renders(typescript_renders))
    _passes(run(f"node_modules/.bin/prettier --check {patterns}", typescript_renders))


def test_every_typescript_combination_type_checks(typescript_renders: Path) -> None:
    # noUnusedLocals and noUnusedParameters: an import a combination leaves unused fails too.
    _passes(run("node_modules/.bin/tsc --noEmit -p tsconfig.json", typescript_renders))
