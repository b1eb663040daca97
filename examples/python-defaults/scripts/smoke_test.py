"""After a deploy: does the environment answer? `make smoke ENV=<env>` runs this.

It reads the stack's outputs (the file `cdk deploy --outputs-file` wrote, or CloudFormation's
answer), then calls the health route of each front door the stack has: the HTTP API's `/health`,
and the container service's `/health` through its load balancer. Where the load balancer serves
HTTPS, its certificate names your domain, not the load balancer's address: the check is then that
plain HTTP redirects to HTTPS. Any failure exits non-zero, which stops the pipeline's promotion.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Response:
    status: int
    location: str
    body: str


@dataclass(frozen=True)
class Check:
    name: str
    url: str
    # Either a status and body fragment to find, or a redirect whose target starts with `redirect_to`.
    status: int
    expect_in_body: str = ""
    redirect_to: str = ""

    def problem(self, response: Response) -> str:
        """What is wrong with the response, or "" when it passes."""
        if response.status != self.status:
            return f"answered {response.status}, expected {self.status}"
        if self.redirect_to and not response.location.startswith(self.redirect_to):
            return f"redirected to {response.location!r}, expected {self.redirect_to}..."
        if self.expect_in_body and self.expect_in_body not in response.body:
            return f"body {response.body[:200]!r} lacks {self.expect_in_body!r}"
        return ""


def checks(outputs: dict[str, str]) -> list[Check]:
    """The health checks the stack's outputs call for (output keys start with the construct's id)."""
    found = []
    for key, value in sorted(outputs.items()):
        if key.startswith("ApiUrl"):
            found.append(
                Check("API /health", value.rstrip("/") + "/health", 200, expect_in_body='"ok"')
            )
        elif key.startswith("ContainerUrl"):
            host = urlsplit(value).netloc
            if value.startswith("https://"):
                found.append(
                    Check(
                        "load balancer redirects HTTP to HTTPS",
                        f"http://{host}/health",
                        301,
                        redirect_to=f"https://{host}",
                    )
                )
            else:
                found.append(Check("container /health", f"http://{host}/health", 200))
    return found


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str) -> Response:
    """GET the URL once, without following redirects."""
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(url, timeout=TIMEOUT_SECONDS) as answer:
            return Response(
                answer.status, answer.headers.get("Location", ""), answer.read().decode()
            )
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers.get("Location", ""), error.read().decode())


def run(all_checks: list[Check], get: Callable[[str], Response] = fetch) -> list[str]:
    """Run every check; the failures, one line each."""
    failures = []
    for check in all_checks:
        try:
            problem = check.problem(get(check.url))
        except OSError as error:
            problem = f"unreachable: {error}"
        print(f"{'FAIL' if problem else 'ok  '} {check.name}: {check.url} {problem}".rstrip())
        if problem:
            failures.append(f"{check.name}: {problem}")
    return failures


def outputs_from_file(path: Path, stack: str) -> dict[str, str]:
    """The stack's outputs from `cdk deploy --outputs-file` ({stack: {key: value}})."""
    return dict(json.loads(path.read_text())[stack])


def outputs_from_cloudformation(stack: str) -> dict[str, str]:
    import boto3  # only here: the pipeline's smoke test reads the outputs file and needs no SDK

    client: Any = boto3.client("cloudformation")
    [described] = client.describe_stacks(StackName=stack)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="the deployed stack, e.g. the dev stack")
    parser.add_argument(
        "--outputs-file", type=Path, help="JSON written by cdk deploy --outputs-file"
    )
    arguments = parser.parse_args(argv)
    outputs = (
        outputs_from_file(arguments.outputs_file, arguments.stack)
        if arguments.outputs_file
        else outputs_from_cloudformation(arguments.stack)
    )
    found = checks(outputs)
    if not found:
        print(f"{arguments.stack} has no HTTP front door: nothing to call.")
        return 0
    failures = run(found)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
