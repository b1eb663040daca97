"""`copier update` never loses work: released versions update cleanly, owner edits survive,
conflicts surface as markers, and services come and go as if the project were copied anew.

A session fixture clones this repository into a temporary folder, overlays the working tree, and
tags every release named in CHANGELOG.md on its "Release x.y.z" commit (the newest entry on the
working tree), so the tests need no network.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier
import pytest
from conftest import GENERATED, ROOT, project_files, run
from test_extensions import ext

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout.strip()


@dataclass
class TemplateRepo:
    path: Path
    releases: list[str]  # oldest first; the last one is the working tree

    @property
    def current(self) -> str:
        return self.releases[-1]


def changelog_versions() -> list[str]:
    text = (ROOT / "CHANGELOG.md").read_text()
    return re.findall(r"^## (\d+\.\d+\.\d+)", text, re.MULTILINE)


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepo:
    path = tmp_path_factory.mktemp("template") / "aws-service-template"
    git(ROOT.parent, "clone", "--quiet", "--no-hardlinks", str(ROOT), str(path))
    # The working tree is the newest version, committed or not.
    for name in git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split(
        "\0"
    ):
        source = ROOT / name
        if name and source.is_file():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, path / name)
        elif name and not source.exists():
            (path / name).unlink(missing_ok=True)
    git(path, "add", "--all")
    if git(path, "status", "--porcelain"):
        git(path, "commit", "--quiet", "--message", "Working tree")

    newest_first = changelog_versions()
    assert newest_first, "CHANGELOG.md names no version"
    for version in newest_first[1:]:
        commit = git(
            path, "log", "--format=%H", "--fixed-strings", f"--grep=Release {version}", "-1"
        )
        assert commit, f"no 'Release {version}' commit in the history: is this a shallow clone?"
        git(path, "tag", "--force", f"v{version}", commit)
    git(path, "tag", "--force", f"v{newest_first[0]}", "HEAD")
    return TemplateRepo(path, list(reversed(newest_first)))


def copy(repo: TemplateRepo, destination: Path, version: str, **answers: Any) -> Path:
    copier.run_copy(
        str(repo.path),
        destination,
        data=answers,
        defaults=True,
        unsafe=True,
        vcs_ref=f"v{version}",
        quiet=True,
    )
    return destination


def commit_all(project: Path, message: str) -> None:
    if not (project / ".git").exists():
        git(project, "init", "--quiet", "--initial-branch", "main")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--allow-empty", "--message", message)


def update(project: Path, version: str | None = None, **answers: Any) -> None:
    copier.run_update(
        project,
        data=answers,
        defaults=True,
        unsafe=True,
        overwrite=True,
        conflict="inline",
        vcs_ref=f"v{version}" if version else None,
        quiet=True,
    )


def conflicts(project: Path) -> list[str]:
    found = []
    for path in project.rglob("*"):
        if GENERATED.intersection(path.relative_to(project).parts) or not path.is_file():
            continue
        if path.suffix == ".rej" or re.search(
            r"^(<<<<<<< |>>>>>>> )", path.read_text(errors="ignore"), re.MULTILINE
        ):
            found.append(str(path))
    return found


def tree_differences(left: Path, right: Path) -> list[str]:
    """Files that differ between two project trees, ignoring generated folders."""
    differences: list[str] = []

    def walk(comparison: filecmp.dircmp[str], prefix: str) -> None:
        differences.extend(
            f"{prefix}{name}"
            for name in comparison.left_only + comparison.right_only + comparison.diff_files
            if name not in GENERATED
        )
        for name, sub in comparison.subdirs.items():
            if name not in GENERATED:
                walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=list(GENERATED)), "")
    return sorted(differences)


def test_every_release_updates_to_the_current_version_without_conflicts(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    fresh = copy(template_repo, tmp_path / "fresh", template_repo.current)
    for version in template_repo.releases[:-1]:
        project = copy(template_repo, tmp_path / f"from-{version}", version)
        commit_all(project, f"Copied at {version}")
        update(project)
        assert not conflicts(project), version
        assert tree_differences(project, fresh) == [], version


@pytest.mark.rendered
def test_updated_project_passes_its_own_tests(template_repo: TemplateRepo, tmp_path: Path) -> None:
    if len(template_repo.releases) < 2:
        pytest.skip("only one release so far")
    project = copy(template_repo, tmp_path / "service", template_repo.releases[-2])
    commit_all(project, "Copied at the previous release")
    update(project)
    assert not conflicts(project)
    result = run("make install && make test", project)
    assert result.returncode == 0, result.tail()


@pytest.fixture
def upstream(template_repo: TemplateRepo, tmp_path: Path) -> TemplateRepo:
    """A private clone of the template, for tests that release versions of their own."""
    path = tmp_path / "upstream"
    git(tmp_path, "clone", "--quiet", str(template_repo.path), str(path))
    return TemplateRepo(path, list(template_repo.releases))


def release(repo: TemplateRepo, version: str, edits: dict[str, tuple[str, str]]) -> None:
    """Commit one replacement in each named template file, and tag it."""
    for name, (old, new) in edits.items():
        source = repo.path / "template" / name
        text = source.read_text()
        assert old in text, f"{old!r} not in {source}"
        source.write_text(text.replace(old, new, 1))
    git(repo.path, "commit", "--quiet", "--all", "--message", f"Release {version}")
    git(repo.path, "tag", f"v{version}")
    repo.releases.append(version)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


# A release that rewrites a line in the README and in each language's API handler and stack.
UPSTREAM_EDITS = {
    "README.md.jinja": ("You need Python 3.11 or newer", "You need Python 3.11+"),
    "service/handlers/api.py.jinja": ('"""', '"""HTTP API of the service. '),
    "infra/service_stack.py.jinja": (
        '"""The service in one environment',
        '"""The whole service in one environment',
    ),
    "service/handlers/api.ts.jinja": (
        " * Entry point of the HTTP API",
        " * HTTP API of the service. Entry point of the HTTP API",
    ),
    "infra/service-stack.ts.jinja": (
        "/** The service in one environment",
        "/** The whole service in one environment",
    ),
}
# Per language: the API handler, the service stack, and how a comment starts.
EDITED_FILES = {
    "python": ("service/handlers/api.py", "infra/service_stack.py", "#"),
    "typescript": ("service/handlers/api.ts", "infra/service-stack.ts", "//"),
}


@pytest.mark.parametrize("language", list(EDITED_FILES))
def test_owner_edits_survive_an_update_that_changes_other_lines(
    upstream: TemplateRepo, tmp_path: Path, language: str
) -> None:
    handler_file, stack_file, comment = EDITED_FILES[language]
    project = copy(upstream, tmp_path / "service", upstream.current, language=language)
    commit_all(project, "Copied")
    append(project / "README.md", "\n## On call\n\nPage the platform team.\n")
    append(project / handler_file, f"\n{comment} Owner's note: keep this handler thin.\n")
    append(project / stack_file, f"\n{comment} Owner's note: new constructs go above.\n")
    commit_all(project, "Owner's edits")

    release(upstream, "99.0.0", UPSTREAM_EDITS)
    update(project, "99.0.0")

    assert not conflicts(project)
    readme = (project / "README.md").read_text()
    assert "You need Python 3.11+" in readme
    assert "## On call" in readme
    handler = (project / handler_file).read_text()
    assert "HTTP API of the service. " in handler
    assert "keep this handler thin" in handler
    stack = (project / stack_file).read_text()
    assert "The whole service in one environment" in stack
    assert "new constructs go above" in stack


def test_conflicting_edit_surfaces_as_inline_markers(
    upstream: TemplateRepo, tmp_path: Path
) -> None:
    project = copy(upstream, tmp_path / "service", upstream.current)
    commit_all(project, "Copied")
    readme = project / "README.md"
    readme.write_text(
        readme.read_text().replace("You need Python 3.11 or newer", "You need Python 3.13")
    )
    commit_all(project, "Owner's edit")

    release(upstream, "99.0.0", {"README.md.jinja": UPSTREAM_EDITS["README.md.jinja"]})
    update(project, "99.0.0")

    text = readme.read_text()
    assert conflicts(project) == [str(readme)]
    assert "You need Python 3.13" in text
    assert "You need Python 3.11+" in text


def test_updates_never_touch_a_starting_point(upstream: TemplateRepo, tmp_path: Path) -> None:
    project = copy(upstream, tmp_path / "service", upstream.current)
    commit_all(project, "Copied")
    logic = project / "service" / "logic" / "orders.py"
    untouched = project / "service" / "models" / "orders.py"
    append(logic, "\n\n# Owner's rule: orders ship within a day.\n")
    commit_all(project, "Owner's edit")
    before = {path: path.read_text() for path in (logic, untouched)}

    release(
        upstream,
        "99.0.0",
        {
            "service/logic/orders.py": ('"""', '"""Upstream rewrite. '),
            "service/models/orders.py": ('"""', '"""Upstream rewrite. '),
            **UPSTREAM_EDITS,
        },
    )
    update(project, "99.0.0")

    assert not conflicts(project)
    assert {path: path.read_text() for path in (logic, untouched)} == before
    # Managed files still take the release.
    assert (
        "The whole service in one environment"
        in (project / "infra" / "service_stack.py").read_text()
    )


def test_an_update_recreates_a_deleted_starting_point(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    project = copy(template_repo, tmp_path / "service", template_repo.current)
    commit_all(project, "Copied")
    users = project / "service" / "logic" / "users.py"
    original = users.read_text()
    users.unlink()
    commit_all(project, "Owner deleted a starting point")

    update(project)

    assert users.read_text() == original


def test_removing_a_service_keeps_the_files_the_owner_changed_or_owns(
    template_repo: TemplateRepo, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    project = copy(template_repo, tmp_path / "service", template_repo.current)
    commit_all(project, "Copied with the defaults")
    edited = ["infra/constructs/data.py", "service/handlers/routes/orders.py"]
    for name in edited:
        append(project / name, "\n# Owner's note: keep this.\n")
    commit_all(project, "Owner's edits")

    update(project, services=["api"])

    for name in edited:
        assert (project / name).read_text().endswith("# Owner's note: keep this.\n"), name
    # A starting point stays, edited or not; an unedited managed file goes with its service.
    assert (project / "service" / "dal" / "repository.py").exists()
    assert not (project / "service" / "logic" / "ids.py").exists()
    assert not (project / "tests" / "infrastructure" / "test_data.py").exists()
    report = {
        line.split()[0]: line for line in capfd.readouterr().out.splitlines() if line[:2] == "  "
    }
    assert report["infra/constructs/data.py"].endswith("(you changed it)")
    assert report["service/handlers/routes/orders.py"].endswith("(you changed it)")
    assert report["service/dal/repository.py"].endswith(
        "(a starting point: yours since the first copy)"
    )
    assert "service/logic/ids.py" not in report


def test_removing_every_service_keeps_each_edited_file_and_deletes_the_rest(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    everything = ["api", "dynamodb", "s3", "ecs", "eventbridge"]
    project = copy(template_repo, tmp_path / "service", template_repo.current, services=everything)
    commit_all(project, "Copied with every service")
    bare = copy(template_repo, tmp_path / "bare", template_repo.current, services=[])
    going = sorted(project_files(project) - project_files(bare))
    # Every other file the removal takes: the owner edited it (starting points stay anyway).
    edited = going[::2]
    for name in edited:
        append(project / name, "\n")
    commit_all(project, "Owner's edits")

    update(project, services=[])

    table = ext.file_table()
    expected = sorted(set(edited) | {name for name in going if table.is_starting_point(name)})
    assert len(going) > 40
    assert sorted(project_files(project) - project_files(bare)) == expected


@pytest.mark.rendered
@pytest.mark.parametrize("language", ["python", "typescript"])
def test_adding_and_removing_services_matches_a_fresh_copy(
    template_repo: TemplateRepo, tmp_path: Path, language: str
) -> None:
    project = copy(template_repo, tmp_path / "service", template_repo.current, language=language)
    commit_all(project, "Copied with the defaults")

    for step, services in (
        ("added", ["api", "dynamodb", "s3", "eventbridge"]),
        ("removed", ["api", "s3"]),
    ):
        update(project, services=services)
        assert not conflicts(project), step
        fresh = copy(
            template_repo,
            tmp_path / f"fresh-{step}",
            template_repo.current,
            language=language,
            services=services,
        )
        # The update keeps the starting points of removed services and says so; the team
        # deletes them, as the message tells it to, once it has what it needs.
        kept = sorted(project_files(project) - project_files(fresh))
        assert all(ext.file_table().is_starting_point(name) for name in kept), step
        for name in kept:
            git(project, "rm", "--quiet", name)
        assert tree_differences(project, fresh) == [], step
        commit_all(project, f"Services {step}")
    tested = run("make install && make test", project)
    assert tested.returncode == 0, tested.tail()


def test_migration_renames_the_oidc_provider_answer(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    project = copy(template_repo, tmp_path / "service", "0.1.0", create_github_oidc_provider=False)
    assert "create_github_oidc_provider: false" in (project / ".copier-answers.yml").read_text()
    commit_all(project, "Copied at 0.1.0")

    update(project)

    answers = (project / ".copier-answers.yml").read_text()
    assert "create_github_oidc_provider" not in answers
    assert "github_oidc_provider: import" in answers
    ci_stack = (project / "infra" / "ci_identity_stack.py").read_text()
    assert "from_oidc_provider_arn" in ci_stack
    assert "OidcProviderNative(\n" not in ci_stack


def test_pre_commit_refuses_conflict_markers_and_rejected_hunks(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    project = copy(template_repo, tmp_path / "service", template_repo.current)
    commit_all(project, "Copied")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    hook_env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}

    def hooks(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "run", "--files", *files],
            cwd=project,
            env=hook_env,
            capture_output=True,
            text=True,
            check=False,
        )

    (project / "notes.md").write_text("# Notes\n\nNothing to resolve.\n")
    assert hooks("notes.md").returncode == 0

    (project / "notes.md").write_text(
        "<<<<<<< before updating\nmine\n=======\ntheirs\n>>>>>>> after updating\n"
    )
    refused = hooks("notes.md")
    assert refused.returncode != 0
    assert "no merge conflict markers" in refused.stdout

    (project / "Makefile.rej").write_text("@@ -1 +1 @@\n")
    refused = hooks("Makefile.rej")
    assert refused.returncode != 0
    assert "rejected update hunks" in refused.stdout
