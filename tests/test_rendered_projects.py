"""Every answer set renders a project whose own commands pass, and which meets the quality gates."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import GENERATED, RenderedProject, passed_count, run
from test_extensions import ext

pytestmark = pytest.mark.rendered

# APIs that support no resource-level permissions: the only actions allowed on Resource "*".
ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "ecr:GetAuthorizationToken",
    "ec2:DescribeNetworkInterfaces",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
}


def test_install_from_the_lock_files(project: RenderedProject) -> None:
    assert project.installed.returncode == 0, project.installed.tail()


def test_make_test(project: RenderedProject) -> None:
    result = project.make("test")
    project.report(tests_passed=passed_count(result.output))
    assert result.returncode == 0, result.tail()


def test_make_lint(project: RenderedProject) -> None:
    result = project.make("lint")
    assert result.returncode == 0, result.tail()


def test_make_synth(project: RenderedProject) -> None:
    result = project.make("synth")
    assert result.returncode == 0, result.tail()


def test_stacks_are_named_per_environment(project: RenderedProject) -> None:
    answers = yaml.safe_load((project.path / ".copier-answers.yml").read_text())
    prefix = "".join(word.capitalize() for word in answers["service_name"].split("-"))
    # One CI identity stack per account: `<Pascal>-ci`, or `<Pascal>-ci-<account>` with accounts.
    accounts = answers.get("aws_accounts") or {}
    ci_stacks = {f"{prefix}-ci-{account}" for account in accounts.values()} or {f"{prefix}-ci"}
    # And one cost stack per account, beside its CI identity, where the partition has Budgets.
    in_govcloud = answers["aws_region"].startswith("us-gov-")
    cost_stacks = set() if in_govcloud else {name.replace("-ci", "-cost", 1) for name in ci_stacks}
    expected = {f"{prefix}-{env}" for env in answers["environments"]} | ci_stacks | cost_stacks
    assert set(project.templates) == expected


def test_cfn_lint_finds_nothing(project: RenderedProject) -> None:
    templates = sorted(str(p) for p in (project.path / "cdk.out").glob("*.template.json"))
    assert templates, "make synth wrote no templates"
    result = run(".venv/bin/cfn-lint --format parseable " + " ".join(templates), project.path)
    findings = [line for line in result.output.splitlines() if line.strip()]
    project.report(cfn_lint_findings=len(findings))
    assert not findings, result.tail()
    assert result.returncode == 0, result.tail()


def test_region_data_covers_every_resource_type_the_project_renders(
    project: RenderedProject,
) -> None:
    # extensions/regions.toml says which regions lack which types: a new type needs new data
    # (scripts/update_region_data.py).
    rendered = project.resource_types
    assert rendered <= set(ext.REGION_DATA["checked_types"])


def test_workflows_match_the_github_schema(project: RenderedProject) -> None:
    result = run(
        ".venv/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml",
        project.path,
    )
    assert result.returncode == 0, result.tail()


def test_zizmor_finds_nothing_in_the_workflows(project: RenderedProject) -> None:
    result = run(
        ".venv/bin/zizmor --offline --no-progress --format plain .github/workflows", project.path
    )
    project.report(zizmor_findings=0 if result.returncode == 0 else "some")
    assert result.returncode == 0, result.tail()


def _policy_statements(templates: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []

    def visit(where: str, node: Any) -> None:
        if isinstance(node, dict):
            statements = node.get("Statement")
            if isinstance(statements, list) and "Version" in node:
                found.extend((where, s) for s in statements)
            for key, value in node.items():
                visit(f"{where}.{key}", value)
        elif isinstance(node, list):
            for item in node:
                visit(where, item)

    for stack, template in templates.items():
        for logical_id, resource in template.get("Resources", {}).items():
            visit(f"{stack}/{logical_id}", resource.get("Properties", {}))
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_no_iam_statement_allows_a_wildcard_action(project: RenderedProject) -> None:
    statements = _policy_statements(project.templates)
    offenders = [
        (where, action)
        for where, statement in statements
        if statement.get("Effect") == "Allow"
        for action in _as_list(statement.get("Action", []))
        if isinstance(action, str) and "*" in action
    ]
    project.report(policy_statements=len(statements))
    assert not offenders


def _is_cloudformation_execution_statement(statement: dict[str, Any]) -> bool:
    """The CI identity's execution policies: CloudFormation's resource-handler actions, which name
    no resource before the deploy, held to the project's region. Nothing else may use `*` this way."""
    return (
        str(statement.get("Sid", "")).startswith("ResourceHandlersInTheRegion")
        and not any(
            str(action).startswith("iam:") for action in _as_list(statement.get("Action", []))
        )
        and "aws:RequestedRegion" in statement.get("Condition", {}).get("StringEquals", {})
    )


def test_wildcard_resources_only_for_apis_without_resource_level_permissions(
    project: RenderedProject,
) -> None:
    offenders = [
        (where, statement.get("Action"))
        for where, statement in _policy_statements(project.templates)
        if statement.get("Effect") == "Allow"
        and "*" in _as_list(statement.get("Resource", []))
        and not set(_as_list(statement.get("Action", [])))
        <= ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS
        and not _is_cloudformation_execution_statement(statement)
    ]
    assert not offenders


def test_every_nag_acknowledgement_gives_a_reason(project: RenderedProject) -> None:
    reasons = _acknowledgements(project.path)
    project.report(nag_acknowledgements=len(reasons))
    assert all(len(reason) >= 40 for reason in reasons), reasons


def _acknowledgements(path: Path) -> list[str]:
    """Reasons passed to acknowledge(...) in the project's infrastructure code: the strings after
    the rule id, in either language's quotes."""
    sources = [
        p
        for pattern in ("*.py", "*.ts")
        for p in path.rglob(pattern)
        if not {".venv", "node_modules", "tests"}.intersection(p.relative_to(path).parts)
    ]
    reasons: list[str] = []
    for source in sources:
        text = source.read_text()
        # A call's arguments: anything but parentheses, or a pair of them (two levels deep).
        calls = r"(?<![.\w])(?<!def )(?<!function )acknowledge\(((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)"
        for call in re.finditer(calls, text):
            strings = re.findall(
                r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'|`([^`]*)`", call.group(1)
            )
            if len(strings) >= 2:
                reasons.append("".join("".join(parts) for parts in strings[1:]))
    return reasons


def test_rendered_files_hold_no_template_leftovers(project: RenderedProject) -> None:
    problems = []
    for path in _rendered_files(project.path):
        name = str(path.relative_to(project.path))
        if name.endswith(".lock") or name.endswith("-lock.json"):
            continue
        text = path.read_text()
        if name.endswith(".jinja"):
            problems.append(f"{name}: .jinja suffix left")
        if re.search(r"(?<!\$)\{\{|\{%", text):
            problems.append(f"{name}: Jinja delimiters left")
        if "\n\n\n\n" in text or (path.suffix != ".py" and "\n\n\n" in text):
            problems.append(f"{name}: a run of blank lines")
        if re.search(r"[ \t]+$", text, re.MULTILINE):
            problems.append(f"{name}: trailing whitespace")
    for directory in _rendered_directories(project.path):
        if not any(directory.iterdir()):
            problems.append(f"{directory.relative_to(project.path)}/: an empty folder")
    assert not problems


def _rendered_files(root: Path) -> list[Path]:
    return [path for path in _rendered_paths(root) if path.is_file()]


def _rendered_directories(root: Path) -> list[Path]:
    return [path for path in _rendered_paths(root) if path.is_dir()]


def _rendered_paths(root: Path) -> list[Path]:
    return [
        path for path in root.rglob("*") if not GENERATED.intersection(path.relative_to(root).parts)
    ]


def test_answers_file_records_an_absolute_template_source(project: RenderedProject) -> None:
    answers = yaml.safe_load((project.path / ".copier-answers.yml").read_text())
    assert Path(answers["_src_path"]).is_absolute()


def test_tag_policy_allows_exactly_the_chosen_values(project: RenderedProject) -> None:
    answers = yaml.safe_load((project.path / ".copier-answers.yml").read_text())
    policy = json.loads((project.path / "policies" / "tag-policy.json").read_text())
    chosen = [env for env in ("dev", "staging", "prod") if env in answers["environments"]]
    allowed = {key: tag["tag_value"]["@@assign"] for key, tag in policy["tags"].items()}
    assert allowed == {
        "service": [answers["service_name"]],
        "env": [*chosen, "shared"],
        "team": [answers["team"]],
    }


def test_tag_policy_enforces_exactly_the_types_the_project_creates(
    project: RenderedProject,
) -> None:
    # Every synthesized type that tag policies can enforce is enforced, and nothing else.
    rendered = project.resource_types
    table = ext.tag_policy_table()
    unsorted = rendered - set(table) - set(ext.tag_policy_not_enforceable())
    assert not unsorted, (
        f"say in extensions/tag_policy.toml whether tag policies enforce {unsorted}"
    )
    expected = sorted(table[t].paths[0] for t in rendered & set(table))
    policy = json.loads((project.path / "policies" / "tag-policy.json").read_text())
    for key, tag in policy["tags"].items():
        assert tag["enforced_for"]["@@assign"] == expected, key
    project.report(tag_policy_enforced_types=len(expected))


# What the README's diagram must show for each service, and only for it.
DIAGRAM_LABEL = {
    "api": "HTTP API",
    "dynamodb": "DynamoDB table",
    "s3": "S3 bucket",
    "eventbridge": "EventBridge bus",
    "ecs": "Fargate service",
}
MERMAID_NODE = re.compile(
    r"^    ([A-Za-z]\w*)(\[[^\[\]()/]+\]|\(\[[^\[\]()]+\]\)|\[\([^\[\]()]+\)\]|\[/[^/\[\]]+/\])$"
)
MERMAID_EDGE = re.compile(r"^    ([A-Za-z]\w*) (-->|-\.->)(\|[^|]+\|)? ([A-Za-z]\w*)$")


def test_readme_diagram_is_valid_mermaid_naming_exactly_the_chosen_services(
    project: RenderedProject,
) -> None:
    answers = yaml.safe_load((project.path / ".copier-answers.yml").read_text())
    readme = (project.path / "README.md").read_text()
    blocks = re.findall(r"```mermaid\n(.*?)```", readme, re.DOTALL)
    if not answers["services"]:
        assert blocks == []
        return
    (block,) = blocks
    header, *lines = block.splitlines()
    assert header == "flowchart LR"
    labels: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    for line in lines:
        if node := MERMAID_NODE.match(line):
            labels[node.group(1)] = node.group(2).strip("[]()/")
        elif edge := MERMAID_EDGE.match(line):
            edges.append((edge.group(1), edge.group(4)))
        else:
            raise AssertionError(f"not a Mermaid flowchart node or edge: {line!r}")
    assert all(source in labels and target in labels for source, target in edges)
    shown = {service for service, label in DIAGRAM_LABEL.items() if label in labels.values()}
    assert shown == set(answers["services"])


# The service's tests (its code's, the scripts', against the emulator) need nothing of the CDK:
# loading it is most of a synth's start-up (seconds in Python, through jsii), on every run.
SERVICE_TESTS = ("tests/unit", "tests/integration")
CDK_PYTHON_PACKAGES = frozenset({"aws_cdk", "cdk_nag", "constructs", "jsii"})
CDK_NODE_PACKAGES = frozenset({"aws-cdk-lib", "cdk-nag", "constructs"})
# Collects the tests as `make test` runs them (each module and conftest imported), then prints the
# top-level packages collecting them loaded.
COLLECT_AND_LIST_PACKAGES = """
import json, sys
import pytest
pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[1:]])
print(json.dumps(sorted({name.partition(".")[0] for name in sys.modules})))
"""
# A TypeScript module's static imports: `import ... from`, `export ... from` and bare `import '...'`
# (not `import type`, which compiles to nothing). A dynamic import() loads only when it runs.
TS_IMPORT = re.compile(
    r"^(?:import|export)(?!\s+type\b)[^;'`]*?\bfrom\s+'([^']+)'|^import\s+'([^']+)'", re.MULTILINE
)


def python_packages_loaded(project: Path, folders: list[str]) -> set[str]:
    """The top-level packages loaded by collecting the tests of these folders."""
    result = run(
        f".venv/bin/python -c {shlex.quote(COLLECT_AND_LIST_PACKAGES)} {' '.join(folders)}",
        project,
    )
    assert result.returncode == 0, result.tail()
    return set(json.loads(result.output.splitlines()[-1]))


def node_packages_imported(project: Path, folders: list[str]) -> dict[str, str]:
    """Each package the TypeScript files of these folders import, directly or through the
    project's modules, and the first project module found importing it."""
    pending = [path for folder in folders for path in sorted((project / folder).rglob("*.ts"))]
    seen: set[Path] = set()
    packages: dict[str, str] = {}
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        for match in TS_IMPORT.finditer(module.read_text()):
            specifier = match.group(1) or match.group(2)
            if not specifier.startswith("."):
                scoped = specifier.startswith("@")
                package = "/".join(specifier.split("/")[: 2 if scoped else 1])
                packages.setdefault(package, module.relative_to(project).as_posix())
                continue
            target = (module.parent / specifier.removesuffix(".js")).resolve()
            found = [
                path
                for path in (target.with_name(target.name + ".ts"), target / "index.ts")
                if path.is_file()
            ]
            assert found, f"{module}: cannot resolve {specifier!r}"
            pending.append(found[0])
    return packages


def test_service_tests_load_nothing_of_the_cdk(project: RenderedProject) -> None:
    folders = [folder for folder in SERVICE_TESTS if (project.path / folder).is_dir()]
    if not folders:
        pytest.skip("no tests of the service's code")
    if (project.path / "tsconfig.json").exists():
        imported = node_packages_imported(project.path, folders)
        assert not CDK_NODE_PACKAGES & imported.keys(), {
            package: imported[package] for package in CDK_NODE_PACKAGES & imported.keys()
        }
    else:
        assert not CDK_PYTHON_PACKAGES & python_packages_loaded(project.path, folders)
