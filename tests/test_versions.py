"""One table of versions: the copies that cannot read it agree with it.

Template files read `versions` from extensions/service_context.py. The lock files are written by
scripts/update_lock_files.py and the template's own pyproject.toml is read by uv and by its
Makefile, so each holds a copy of a pin; these tests fail when a copy drifts from the table.
"""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from conftest import ROOT
from test_extensions import ext

TEMPLATE = ROOT / "template"
VERSIONS = ext.VERSIONS


LOCK_INCLUDES = ROOT / "includes" / "locks"


def _branch(template_file: str, language: str) -> str:
    """One language's copy of a lock file: the lock template includes the render's language's
    copy, which holds no other Jinja than {{ service_name }} inside strings."""
    include = f"{{% include pathjoin('includes', 'locks', language, '{template_file}') %}}\n"
    assert (TEMPLATE / template_file).read_text() == include
    return (LOCK_INCLUDES / language / template_file).read_text()


def _uv_lock_version(package: str, language: str = "python") -> str:
    lock = tomllib.loads(_branch("uv.lock.jinja", language))
    return next(p["version"] for p in lock["package"] if p["name"] == package)


@pytest.mark.parametrize("template_file", ["uv.lock.jinja", "package-lock.json.jinja"])
@pytest.mark.parametrize("language", ["python", "typescript"])
def test_lock_files_hold_no_jinja_but_the_service_name(template_file: str, language: str) -> None:
    # The rendered locks of two answer sets then differ in the name alone, which lets the
    # template's tests install TypeScript's node_modules once and share it.
    expressions = set(re.findall(r"\{[{%].*?[}%]\}", _branch(template_file, language)))
    assert expressions <= {"{{ service_name }}"}


def test_uv_lock_holds_the_powertools_version() -> None:
    assert _uv_lock_version("aws-lambda-powertools") == VERSIONS["powertools"]


def test_both_languages_lock_the_same_python_tools() -> None:
    for tool in ("cfn-lint", "check-jsonschema", "moto", "zizmor"):
        assert _uv_lock_version(tool, "typescript") == _uv_lock_version(tool), tool


@pytest.mark.parametrize("language", ["python", "typescript"])
def test_package_lock_holds_the_cdk_cli_version(language: str) -> None:
    lock = json.loads(_branch("package-lock.json.jinja", language))
    assert lock["packages"]["node_modules/aws-cdk"]["version"] == VERSIONS["cdk_cli"]
    assert lock["packages"][""]["devDependencies"]["aws-cdk"] == VERSIONS["cdk_cli"]


@pytest.mark.parametrize(
    ("package", "key"),
    [
        ("uv", "uv"),
        ("copier", "copier"),
        ("copier-template-extensions", "copier_template_extensions"),
    ],
)
def test_template_dev_dependencies_pin_the_tables_versions(package: str, key: str) -> None:
    # The template's own tools: the template-update workflow runs the Copier its tests run, and
    # the Makefile bootstraps the uv pinned here.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert f"{package}=={VERSIONS[key]}" in project["dependency-groups"]["dev"]


def test_powertools_layer_parameter_is_built_from_the_table() -> None:
    assert ext.derive({})["powertools_layer_parameter"] == (
        f"/aws/service/powertools/python/arm64/python{VERSIONS['python_runtime']}/"
        f"{VERSIONS['powertools']}"
    )


def test_lambda_runtime_names_the_cdk_constant_of_the_runtime() -> None:
    assert ext.derive({})["lambda_runtime"] == "PYTHON_" + VERSIONS["python_runtime"].replace(
        ".", "_"
    )


def test_template_readme_states_the_runtime_of_the_table() -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"Python {VERSIONS['python_runtime']} arm64 function" in readme


# A pin written out in a template file instead of read from `versions`: `name==1.2.3`, a
# YAML or JSON `version`-like key with a literal number, a Lambda runtime or a Python image.
_LITERAL_PIN = re.compile(
    r"==\d+\.\d+|Runtime\.PYTHON_\d|python:\d"
    r"|(?:python-version|node-version|version|\"aws-cdk\"):\s*\"?\d+(?:\.\d+)*\"?\s*$",
    re.MULTILINE,
)
_LOCK_FILES = {"uv.lock.jinja", "package-lock.json.jinja"}


def test_template_files_pin_no_version_of_their_own() -> None:
    sources = [ROOT / "includes", TEMPLATE]
    offenders = {
        path.relative_to(ROOT).as_posix(): _LITERAL_PIN.findall(path.read_text())
        for source in sources
        for path in source.rglob("*.jinja")
        if path.name not in _LOCK_FILES
    }
    assert {path: pins for path, pins in offenders.items() if pins} == {}


def test_container_image_builds_with_the_projects_esbuild() -> None:
    # The TypeScript image bundles its app with esbuild from container/'s own lock (the build
    # context is container/): the same version as the project's, which the template pins.
    project = re.search(r'"esbuild": "([^"]+)"', (TEMPLATE / "package.json.jinja").read_text())
    assert project is not None
    container = TEMPLATE / "container"
    package = json.loads((container / "package.json.jinja").read_text())
    lock = json.loads((container / "package-lock.json.jinja").read_text())
    assert package["devDependencies"]["esbuild"] == project[1]
    assert lock["packages"][""]["devDependencies"]["esbuild"] == project[1]
    assert lock["packages"]["node_modules/esbuild"]["version"] == project[1]


@pytest.mark.parametrize("key", ["python_image_digest", "node_image_digest"])
def test_base_image_digests_are_sha256_digests(key: str) -> None:
    # The digest of a multi-architecture index, as `docker buildx imagetools inspect` prints it.
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", VERSIONS[key]), VERSIONS[key]


@pytest.mark.parametrize(
    ("language", "image"),
    [
        ("python", f"python:{VERSIONS['python_runtime']}-slim@{VERSIONS['python_image_digest']}"),
        ("typescript", f"node:{VERSIONS['container_node']}-slim@{VERSIONS['node_image_digest']}"),
    ],
)
def test_every_stage_of_the_dockerfile_starts_from_the_pinned_image(
    language: str, image: str
) -> None:
    dockerfile = (TEMPLATE / "container" / "Dockerfile.jinja").read_text()
    python, typescript = dockerfile.split("{% else %}")
    branch = python if language == "python" else typescript
    [argument] = re.findall(r"^ARG (\w+)=(.+)$", branch, flags=re.MULTILINE)
    name, reference = argument
    rendered = reference.replace(
        "{{ versions.python_runtime }}", VERSIONS["python_runtime"]
    ).replace("{{ versions.container_node }}", VERSIONS["container_node"])
    for key in ("python_image_digest", "node_image_digest"):
        rendered = rendered.replace(f"{{{{ versions.{key} }}}}", VERSIONS[key])
    assert rendered == f"public.ecr.aws/docker/library/{image}"
    stages = re.findall(r"^FROM (.+)$", branch, flags=re.MULTILINE)
    assert len(stages) == 2, "a build stage and a runtime stage"
    assert all(f"${{{name}}}" in stage for stage in stages)
