"""A person at a terminal: the real `copier copy`, driven through a pseudo-terminal."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from conftest import ROOT

DOWN, SPACE, ENTER, CLEAR_LINE = "\x1b[B", " ", "\r", "\x15"  # Ctrl-U clears the input line


@pytest.fixture
def terminal(tmp_path: Path):
    copier = shutil.which("copier", path=str(Path(sys.executable).parent))
    assert copier, "copier is not installed next to the test interpreter"
    destination = tmp_path / "payments-service"
    child = pexpect.spawn(
        copier,
        ["copy", "--trust", "--vcs-ref", "HEAD", str(ROOT), str(destination)],
        env={**os.environ, "TERM": "xterm", "COLUMNS": "160", "LINES": "50"},
        dimensions=(50, 160),
        encoding="utf-8",
        timeout=60,
    )
    yield child, destination
    child.close(force=True)


def test_person_corrects_a_wrong_name_and_picks_services_with_arrow_keys(terminal) -> None:
    child, destination = terminal

    child.expect("Service name")
    child.send(CLEAR_LINE + "Payments_Service")
    child.expect("service_name must be kebab-case")
    child.send(CLEAR_LINE + "payments-service" + ENTER)

    child.expect("Language of the CDK app")
    child.send(ENTER)  # Python

    child.expect("AWS services to include")
    # Defaults are the API and DynamoDB; move down to the S3 bucket and select it too.
    child.send(DOWN + DOWN)
    child.send(SPACE)
    child.send(ENTER)

    child.expect("Environments to deploy")
    child.send(ENTER)
    for question in (
        "AWS account of each environment",
        "AWS region",
        "GitHub repository",
        "Owning team",
        "OIDC provider",
        "How the table pays",
        "How often the bucket's files are read",
        "Browser origins",
        "Who signs callers in",
        "Prod's monthly AWS budget",
    ):
        child.expect(question)
        child.send(ENTER)

    child.expect("is ready in")
    child.expect(pexpect.EOF)
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert answers["service_name"] == "payments-service"
    assert answers["services"] == ["api", "dynamodb", "s3"]
    assert answers["environments"] == ["dev", "prod"]
    assert answers["aws_accounts"] == {}
    assert (destination / "infra" / "settings.py").is_file()
    assert (
        'SERVICE_NAME = "payments-service"' in (destination / "infra" / "settings.py").read_text()
    )
