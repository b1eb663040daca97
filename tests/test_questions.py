"""Every question accepts what the answers contract allows and refuses the rest, writing nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from conftest import ROOT

ACCEPTED: list[tuple[str, Any]] = [
    ("service_name", "orders-service"),
    ("service_name", "abc"),
    ("service_name", "a" * 32),
    ("service_name", "payments2-api"),
    ("language", "python"),
    ("services", []),
    ("services", ["api", "dynamodb", "s3", "ecs", "eventbridge"]),
    ("environments", ["prod"]),
    ("environments", ["dev", "staging", "prod"]),
    ("aws_region", "eu-west-1"),
    ("aws_region", "us-gov-west-1"),
    ("aws_region", "ap-southeast-2"),
    ("github_repository", "acme/orders-service"),
    ("github_repository", "Acme-Corp/orders.service_v2"),
    ("team", "platform"),
    ("team", "Data Platform"),
    ("allowed_origins", "https://app.example.com, http://localhost:3000"),
    ("container_port", 8080),
    ("container_architecture", "arm64"),
    ("container_architecture", "x86_64"),
    ("aws_accounts", {}),
    ("aws_accounts", {"dev": "111111111111", "prod": "222222222222"}),
    ("aws_accounts", {"dev": "111111111111", "prod": "111111111111"}),
    ("certificate_arn", ""),
    (
        "certificate_arn",
        "arn:aws:acm:us-east-1:123456789012:certificate/0b1f8a2e-6c3d-4e5f-9a7b-1c2d3e4f5a6b",
    ),
    ("auth_provider", "oidc"),
    ("oidc_issuer_url", "https://login.example.com/tenant-1/"),
    ("oidc_issuer_url", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"),
    ("oidc_audience", "api://orders-service"),
    ("oidc_audience", "0oa1b2c3d4"),
    ("s3_access_pattern", "known"),
    ("s3_access_pattern", "unknown"),
    ("monthly_budget_usd", 1),
    ("monthly_budget_usd", 250),
    ("monthly_budget_usd", 1_000_000),
]

REFUSED: list[tuple[str, Any, str]] = [
    ("service_name", "Orders_Service", "kebab-case"),
    ("service_name", "1orders", "start with a letter"),
    ("service_name", "ab", "3 to 32 characters"),
    ("service_name", "a" * 33, "3 to 32 characters"),
    ("service_name", "orders-", "kebab-case"),
    ("service_name", "orders--service", "kebab-case"),
    ("aws_region", "mars-1", "AWS region name"),
    ("aws_region", "US-EAST-1", "lower case"),
    ("github_repository", "acme", "owner/name"),
    ("github_repository", "a/b/c", "owner/name"),
    ("github_repository", "acme/orders service", "no spaces"),
    ("github_repository", "-acme/orders", "hyphen"),
    ("environments", [], "at least one"),
    ("environments", ["dev", "qa"], "'qa' is not in ['dev', 'staging', 'prod']"),
    ("services", ["api", "lambda"], "'lambda' is not in ['api'"),
    ("language", "go", "'go' is not in ['python', 'typescript']"),
    ("team", "", "Team tag"),
    ("team", "platform!", "Team tag"),
    ("allowed_origins", "*", "allowed_origins"),
    ("allowed_origins", "https://app.example.com/path", "no path"),
    ("container_port", 80, "between 1024 and 65535"),
    ("container_architecture", "amd64", "'amd64' is not in ['arm64', 'x86_64']"),
    ("container_architecture", "ARM64", "'ARM64' is not in ['arm64', 'x86_64']"),
    ("container_architecture", "arm64\n", "is not in ['arm64', 'x86_64']"),
    ("container_architecture", " x86_64", "is not in ['arm64', 'x86_64']"),
    ("container_architecture", "", "is not in ['arm64', 'x86_64']"),
    ("container_architecture", 64, "is not in ['arm64', 'x86_64']"),
    # A trailing newline used to pass `$` and break the strings it was rendered into.
    ("service_name", "orders-service\n", "kebab-case"),
    ("team", "platform\n", "Team tag"),
    ("aws_region", "us-east-1\n", "AWS region name"),
    ("aws_region", "zz-north-9", "not a region CloudFormation offers"),
    ("aws_region", "cn-north-1", "aws-cn partition"),
    ("aws_region", "us-iso-east-1", "aws-iso partition"),
    ("github_repository", "acme/orders-service\n", "may only hold letters"),
    ("allowed_origins", "https://app.example.com\n", "host name"),
    ("allowed_origins", "http://localhost:99999", "a port is a number from 1 to 65535"),
    ("allowed_origins", "http://127.0.0.1:0", "a port is a number from 1 to 65535"),
    ("allowed_origins", "https://..", "host name"),
    ("allowed_origins", "https://-", "host name"),
    ("allowed_origins", "http://256.1.1.1", "IPv4"),
    ("allowed_origins", "https://app.example.com,,https://b.example.com", "breaks the rule"),
    ("team", "platform ", "not ending in a space"),
    ("aws_accounts", {"dev": "111111111111"}, "['prod'] have no account"),
    ("aws_accounts", {"dev": "11111111111", "prod": "222222222222"}, "not 12 digits"),
    ("aws_accounts", {"dev": 111111111111, "prod": "222222222222"}, "not 12 digits in quotes"),
    (
        "aws_accounts",
        {"dev": "111111111111", "prod": "222222222222", "qa": "333333333333"},
        "['qa'] are not chosen environments",
    ),
    ("aws_accounts", ["111111111111"], "a mapping"),
    (
        "certificate_arn",
        "arn:aws:acm:eu-west-1:123456789012:certificate/0b1f8a2e-6c3d-4e5f-9a7b-1c2d3e4f5a6b",
        "project's region",
    ),
    (
        "certificate_arn",
        "arn:aws-us-gov:acm:us-east-1:123456789012:certificate/0b1f8a2e-6c3d-4e5f-9a7b-1c2d3e4f5a6b",
        "arn:aws:acm:us-east-1",
    ),
    (
        "certificate_arn",
        "arn:aws:acm:us-east-1:123456789012:certificate/not-a-uuid",
        "ACM certificate ARN",
    ),
    ("certificate_arn", "arn:aws:iam::123456789012:server-certificate/site", "ACM certificate ARN"),
    ("auth_provider", "none", "'none' is not in ['cognito', 'oidc']"),
    # Required with oidc: the empty default is refused, so `--defaults` cannot skip it.
    ("oidc_issuer_url", "", "required with auth_provider oidc"),
    ("oidc_issuer_url", "http://login.example.com", "https://"),
    ("oidc_issuer_url", "https://login.example.com/?tenant=1", "no query or fragment"),
    ("oidc_issuer_url", "https://login.example.com/#x", "no query or fragment"),
    ("oidc_issuer_url", "https://Login.Example.com", "host name"),
    ("oidc_issuer_url", "https://login.example.com:0", "a port is a number"),
    ("oidc_issuer_url", "https://login.example.com/\n", "no query or fragment"),
    ("oidc_issuer_url", "https://login.example.com/" + "a" * 250, "at most 255 characters"),
    ("oidc_audience", "", "required with auth_provider oidc"),
    ("oidc_audience", " api://orders", "no space at either end"),
    ("oidc_audience", "api://orders\n", "printable ASCII"),
    ("s3_access_pattern", "sometimes", "'sometimes' is not in ['known', 'unknown']"),
    ("monthly_budget_usd", 0, "from 1 to 1,000,000"),
    ("monthly_budget_usd", -100, "from 1 to 1,000,000"),
    ("monthly_budget_usd", 1_000_001, "from 1 to 1,000,000"),
    ("monthly_budget_usd", 10**9, "from 1 to 1,000,000"),
]

# Follow-up questions are asked only when their service is chosen.
CONTEXT = {
    "allowed_origins": {"services": ["s3"]},
    "s3_access_pattern": {"services": ["s3"]},
    "container_port": {"services": ["ecs"]},
    "container_architecture": {"services": ["ecs"]},
    "certificate_arn": {"services": ["ecs"]},
    "auth_provider": {
        "services": ["api"],
        "oidc_issuer_url": "https://login.example.com",
        "oidc_audience": "orders",
    },
    "oidc_issuer_url": {"services": ["api"], "auth_provider": "oidc", "oidc_audience": "orders"},
    "oidc_audience": {
        "services": ["api"],
        "auth_provider": "oidc",
        "oidc_issuer_url": "https://login.example.com",
    },
}


def render(destination: Path, answers: dict[str, Any]) -> None:
    copier.run_copy(
        str(ROOT),
        destination,
        data=answers,
        defaults=True,
        unsafe=True,
        vcs_ref="HEAD",
        quiet=True,
    )


@pytest.mark.parametrize(("question", "answer"), ACCEPTED)
def test_accepted_answer_is_recorded(tmp_path: Path, question: str, answer: Any) -> None:
    destination = tmp_path / "service"
    render(destination, {**CONTEXT.get(question, {}), question: answer})
    recorded = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert recorded[question] == answer


@pytest.mark.parametrize(("question", "answer", "message"), REFUSED)
def test_refused_answer_names_the_question_and_writes_nothing(
    tmp_path: Path, question: str, answer: Any, message: str
) -> None:
    destination = tmp_path / "service"
    with pytest.raises(ValueError, match=question) as refusal:
        render(destination, {**CONTEXT.get(question, {}), question: answer})
    assert message in str(refusal.value)
    assert not destination.exists()


@pytest.mark.parametrize("answer", ["a hundred", "1 000", "100 USD", ""])
def test_a_budget_that_is_not_a_whole_number_is_refused_and_writes_nothing(
    tmp_path: Path, answer: str
) -> None:
    # The question's type is int: Copier casts the answer before the validator sees it, and
    # refuses what int() cannot read with int()'s own message, which quotes the answer.
    destination = tmp_path / "service"
    with pytest.raises(ValueError, match="invalid literal for int") as refusal:
        render(destination, {"monthly_budget_usd": answer})
    assert repr(answer) in str(refusal.value)
    assert not destination.exists()


@pytest.mark.parametrize("answer", ["250", " 250", "250\n"])
def test_a_budget_given_as_text_is_recorded_as_the_whole_number(
    tmp_path: Path, answer: str
) -> None:
    destination = tmp_path / "service"
    render(destination, {"monthly_budget_usd": answer})
    recorded = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert recorded["monthly_budget_usd"] == 250


@pytest.mark.parametrize(("services", "budget"), [(["api", "dynamodb"], 100), (["ecs"], 400)])
def test_the_default_budget_covers_what_the_services_cost_at_rest(
    tmp_path: Path, services: list[str], budget: int
) -> None:
    destination = tmp_path / "service"
    render(destination, {"services": services})
    recorded = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert recorded["monthly_budget_usd"] == budget


def test_relative_template_path_is_recorded_as_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT.parent)
    render(tmp_path / "service", {})
    answers = yaml.safe_load((tmp_path / "service" / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == str(ROOT)


def test_a_block_scalar_in_a_data_file_is_refused_in_one_line(tmp_path: Path) -> None:
    # `team: |` in YAML ends the value with a newline.
    data_file = tmp_path / "answers.yml"
    data_file.write_text("team: |\n  platform\n")
    copier_cli = Path(sys.executable).parent / "copier"
    result = subprocess.run(
        [
            copier_cli,
            "copy",
            "--trust",
            "--defaults",
            "--data-file",
            data_file,
            ROOT,
            tmp_path / "service",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    refusal = [line for line in result.stderr.splitlines() if "Team tag" in line]
    assert refusal, result.stderr
    assert "'platform\\n'" in refusal[-1]
    assert not (tmp_path / "service").exists()
