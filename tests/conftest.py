"""Fixtures of the template's test suite.

Each answer set is rendered once per session per language, and each rendered project installed
once; the tests then run the project's own commands, as its owner's CI would. TypeScript
renders share one `node_modules`: every render's package-lock.json is the same but for the
project's name, so the first render installs it with `npm ci` and the others take a hard-linked
copy.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ANSWER_SET_DIR = Path(__file__).parent / "answer_sets"

# Answer sets kept as data: the defaults, no services at all, then one file per combination.
ANSWER_SETS: dict[str, dict[str, Any]] = {"defaults": {}, "no-services": {"services": []}}
ANSWER_SETS.update(
    {path.stem: yaml.safe_load(path.read_text()) for path in sorted(ANSWER_SET_DIR.glob("*.yml"))}
)
# The same answers in TypeScript, named `typescript-<answer set>`. Every one is rendered (the
# file table and the parity of the two languages cover them all); the matrix below is also
# installed, tested and linked: each service alone, all of them, the defaults and none.
TYPESCRIPT = "typescript-"
ANSWER_SETS.update(
    {
        TYPESCRIPT + name: {**answers, "language": "typescript"}
        for name, answers in ANSWER_SETS.items()
    }
)
TYPESCRIPT_MATRIX = [
    TYPESCRIPT + name
    for name in (
        "defaults",
        "no-services",
        "api",
        "dynamodb",
        "s3",
        "ecs",
        "eventbridge",
        "all-services",
    )
]
PROJECTS = [name for name in ANSWER_SETS if not name.startswith(TYPESCRIPT)] + TYPESCRIPT_MATRIX

# What a rendered project's tools create beside the rendered files; never compared or inspected.
GENERATED = frozenset(
    {
        ".git",
        ".venv",
        ".tools",
        "node_modules",
        "cdk.out",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
    }
)

GATES_REPORT: dict[str, dict[str, Any]] = {}


def project_files(root: Path) -> set[str]:
    """The files of a rendered project, as relative paths, without what its tools generated."""
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not GENERATED.intersection(path.relative_to(root).parts)
    }


def project_env() -> dict[str, str]:
    """The environment a team's shell would have: no virtualenv of ours, uv on the PATH."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["CDK_DISABLE_CLI_TELEMETRY"] = "true"
    # Rendered projects share one dependency set: one mypy cache serves them all (a cold mypy run
    # over aws-cdk-lib's stubs takes minutes; a warm one seconds). mypy revalidates what changed.
    env["MYPY_CACHE_DIR"] = str(Path(tempfile.gettempdir()) / "aws-service-template-mypy-cache")
    return env


@dataclass
class CommandResult:
    command: str
    returncode: int
    output: str

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


def run(command: str, cwd: Path, timeout: int = 900) -> CommandResult:
    completed = subprocess.run(
        command,
        cwd=cwd,
        shell=True,
        env=project_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    return CommandResult(command, completed.returncode, completed.stdout)


@dataclass
class RenderedProject:
    name: str
    answers: dict[str, Any]
    path: Path
    installed: CommandResult
    _results: dict[str, CommandResult] = field(default_factory=dict)

    def make(self, target: str) -> CommandResult:
        """`make <target>` in the project, run once per session."""
        if target not in self._results:
            self._results[target] = run(f"make {target}", self.path)
        return self._results[target]

    @property
    def templates(self) -> dict[str, dict[str, Any]]:
        synth = self.make("synth")
        assert synth.returncode == 0, synth.tail()
        return {
            path.name.removesuffix(".template.json"): json.loads(path.read_text())
            for path in sorted((self.path / "cdk.out").glob("*.template.json"))
        }

    @property
    def resource_types(self) -> set[str]:
        """The AWS resource types of every synthesized stack."""
        return {
            resource["Type"]
            for template in self.templates.values()
            for resource in template["Resources"].values()
            if resource["Type"].startswith("AWS::")
        }

    def report(self, **counts: Any) -> None:
        GATES_REPORT.setdefault(self.name, {}).update(counts)


class Renders:
    """Each answer set rendered at most once per session, on first use."""

    def __init__(self, copie_session: Any) -> None:
        self._copie = copie_session
        self._paths: dict[str, Path] = {}

    def __getitem__(self, name: str) -> Path:
        if name not in self._paths:
            result = self._copie.copy(extra_answers=ANSWER_SETS[name])
            if result.exception is not None:
                raise result.exception
            self._paths[name] = Path(result.project_dir)
        return self._paths[name]


@pytest.fixture(scope="session")
def renders(copie_session: Any) -> Renders:
    return Renders(copie_session)


class Projects:
    """Each answer set rendered and installed at most once per session, on first use."""

    def __init__(self, renders: Renders) -> None:
        self._renders = renders
        self._projects: dict[str, RenderedProject] = {}
        self._node_modules: Path | None = None

    def __getitem__(self, name: str) -> RenderedProject:
        if name not in self._projects:
            path = self._renders[name]
            self._projects[name] = RenderedProject(
                name, ANSWER_SETS[name], path, self._install(path)
            )
        return self._projects[name]

    def _install(self, path: Path) -> CommandResult:
        if not (path / "tsconfig.json").exists() or self._node_modules is None:
            installed = run("make install", path)
            if (path / "tsconfig.json").exists() and installed.returncode == 0:
                self._node_modules = path / "node_modules"
            return installed
        # The lock differs from the installed one only in the project's name (a test checks it),
        # so the tree `npm ci` made there is this project's too; the Python tools install as usual.
        return run(f"cp -al {self._node_modules} node_modules && uv sync --locked", path)


@pytest.fixture(scope="session")
def projects(renders: Renders) -> Projects:
    return Projects(renders)


@pytest.fixture(scope="session", params=PROJECTS)
def project(request: pytest.FixtureRequest, projects: Projects) -> RenderedProject:
    return projects[request.param]


def passed_count(output: str) -> int:
    """Tests passed, summed over the pytest sessions the output reports (jest's test count, not
    its count of suites)."""
    return sum(
        int(count)
        for count in re.findall(r"^(?!Test Suites:).*?(\d+) passed", output, re.MULTILINE)
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keeps each answer set's tests, in both languages, on one pytest-xdist worker.

    `make test` runs the suite with `--dist loadgroup`: a worker renders and installs an answer
    set once, and no other worker renders it again.
    """
    for item in items:
        callspec = getattr(item, "callspec", None)
        names = [
            value
            for value in (callspec.params.values() if callspec else ())
            if isinstance(value, str) and value in ANSWER_SETS
        ]
        if names:
            item.add_marker(pytest.mark.xdist_group(names[0].removeprefix(TYPESCRIPT)))


def pytest_sessionfinish(session: pytest.Session) -> None:
    # A pytest-xdist worker hands its quality gates to the controller, which reports them.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["gates_report"] = json.dumps(GATES_REPORT)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for name, counts in json.loads(node.workeroutput.get("gates_report", "{}")).items():
        GATES_REPORT.setdefault(name, {}).update(counts)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not GATES_REPORT:
        return
    terminalreporter.section("quality gates of the rendered projects")
    for name, counts in sorted(GATES_REPORT.items()):
        summary = ", ".join(f"{key}={value}" for key, value in sorted(counts.items()))
        terminalreporter.write_line(f"{name}: {summary}")
