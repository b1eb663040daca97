"""Sets up the repository's GitHub environments from a CI identity stack: `make github-setup`.

For each environment whose roles the stack holds, with the `gh` CLI: the GitHub environment,
with required reviewers for every environment after the first in promotion order and deployments
from `main` only; its variable AWS_DEPLOY_ROLE_ARN; and the repository variable
AWS_DIFF_ROLE_ARN_<ENV> that the pipeline's diff job (which runs in no environment) reads.
Run it with credentials for the stack's account; run it again after changing reviewers.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from scripts.stack_outputs import stack_outputs

ROLE_OUTPUT = re.compile(r"(?P<kind>Deploy|Diff)RoleArn(?P<environment>[A-Z][a-z]+)")


@dataclass(frozen=True)
class Call:
    """One `gh` command, with the JSON it reads on stdin, if any."""

    args: tuple[str, ...]
    body: dict[str, Any] | None = None
    # Skipped when this API path's answer, filtered by the jq expression, lists the value.
    skip_if_listed: tuple[str, str, str] | None = None


def roles(outputs: dict[str, str]) -> dict[str, dict[str, str]]:
    """{environment: {"Deploy": arn, "Diff": arn}} from the CI identity stack's outputs."""
    found: dict[str, dict[str, str]] = {}
    for key, value in outputs.items():
        if match := ROLE_OUTPUT.fullmatch(key):
            found.setdefault(match["environment"].lower(), {})[match["kind"]] = value
    return found


def plan(
    outputs: dict[str, str],
    *,
    repository: str,
    promotion_order: list[str],
    reviewer_ids: list[int],
) -> list[Call]:
    """The `gh` calls that set up the environments whose roles these outputs hold."""
    by_environment = roles(outputs)
    calls = []
    for environment in promotion_order:
        if environment not in by_environment:
            continue  # its roles are in another account's CI identity stack
        arns = by_environment[environment]
        gated = environment != promotion_order[0]
        calls.append(
            Call(
                (
                    "api",
                    "--method",
                    "PUT",
                    f"repos/{repository}/environments/{environment}",
                    "--input",
                    "-",
                ),
                {
                    "reviewers": [{"type": "User", "id": i} for i in reviewer_ids] if gated else [],
                    "deployment_branch_policy": {
                        "protected_branches": False,
                        "custom_branch_policies": True,
                    },
                },
            )
        )
        calls.append(
            Call(
                (
                    "api",
                    "--method",
                    "POST",
                    f"repos/{repository}/environments/{environment}/deployment-branch-policies",
                    "-f",
                    "name=main",
                    "-f",
                    "type=branch",
                ),
                skip_if_listed=(
                    f"repos/{repository}/environments/{environment}/deployment-branch-policies",
                    ".branch_policies[].name",
                    "main",
                ),
            )
        )
        calls.append(
            Call(
                (
                    "variable",
                    "set",
                    "AWS_DEPLOY_ROLE_ARN",
                    "--repo",
                    repository,
                    "--env",
                    environment,
                    "--body",
                    arns["Deploy"],
                )
            )
        )
        calls.append(
            Call(
                (
                    "variable",
                    "set",
                    f"AWS_DIFF_ROLE_ARN_{environment.upper()}",
                    "--repo",
                    repository,
                    "--body",
                    arns["Diff"],
                )
            )
        )
    return calls


def gh(*args: str, body: dict[str, Any] | None = None, check: bool = True) -> str:
    result = subprocess.run(  # noqa: S603 (gh with arguments built above)
        ["gh", *args],  # noqa: S607 (gh from the PATH, as the user runs it)
        input=json.dumps(body) if body is not None else None,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise SystemExit(f"gh {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def reviewer_ids(logins: list[str]) -> list[int]:
    """GitHub user ids of the reviewers; the signed-in gh user when none are named."""
    paths = [f"users/{login}" for login in logins] or ["user"]
    return [int(gh("api", path, "--jq", ".id")) for path in paths]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True, help="the CI identity stack")
    parser.add_argument("--repository", required=True, help="owner/name")
    parser.add_argument(
        "--environments", required=True, help="every environment, in promotion order"
    )
    parser.add_argument("--reviewers", default="", help="GitHub logins, comma-separated")
    arguments = parser.parse_args(argv)
    calls = plan(
        stack_outputs(arguments.stack),
        repository=arguments.repository,
        promotion_order=arguments.environments.split(),
        reviewer_ids=reviewer_ids([r for r in arguments.reviewers.split(",") if r]),
    )
    if not calls:
        print(f"{arguments.stack} holds no deploy roles: is it deployed?")
        return 1
    for call in calls:
        if call.skip_if_listed:
            path, jq, value = call.skip_if_listed
            if value in gh("api", path, "--jq", jq, check=False).split():
                continue  # set up by an earlier run
        print("gh", " ".join(call.args))
        gh(*call.args, body=call.body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
