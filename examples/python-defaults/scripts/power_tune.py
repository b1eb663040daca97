"""Measure a deployed function at each memory size: `make power-tune FUNCTION=<name> ENV=<env>`.

It runs AWS Lambda Power Tuning, the state machine deployed once per account (README: Power
tuning), against one of the stack's functions: the state machine invokes the function INVOCATIONS
times at each of POWER_VALUES (MiB) with the payload in power-tuning/<function>.json ({} without
one), then reports the size that the strategy prefers (the cheapest, the fastest, or a balance)
and a link to its cost and speed charts. The invocations are real, side effects included.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from infra.contract import REGION

# The stack's functions by the name `make power-tune` takes, each with the start of its logical
# id in the stack (its construct's path; the CDK appends a hash).
FUNCTIONS = {
    "api": "ApiHandlerFunction",
}
PAYLOADS = Path(__file__).resolve().parents[1] / "power-tuning"
# The stack `aws serverlessrepo create-cloud-formation-change-set --stack-name
# aws-lambda-power-tuning` creates (the README's command), and its output.
TOOL_STACK = "serverlessrepo-aws-lambda-power-tuning"
TOOL_OUTPUT = "StateMachineARN"
POWER_VALUES = (128, 256, 512, 1024, 1536, 2048, 3008)
# Invocations per memory size, one after the other: the sizes run side by side, within the
# reserved concurrency of every environment.
INVOCATIONS = 50
STRATEGIES = ("cost", "speed", "balanced")
POLL_SECONDS = 5


class PowerTuningError(Exception):
    """Why the tuning cannot run or did not finish, in one line."""


# What the AWS SDK raises: an error answer (no such stack, access denied), or no answer at all
# (no credentials, no network).
AWS_ERRORS = (BotoCoreError, ClientError)


def _error_message(error: BotoCoreError | ClientError) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Message", error))
    return str(error)


def function_arn(cloudformation: Any, stack: str, function: str) -> str:
    """The ARN of one of the stack's functions, found among the stack's resources."""
    if function not in FUNCTIONS:
        raise PowerTuningError(
            f"unknown function {function!r}: FUNCTION is one of {', '.join(FUNCTIONS)}"
        )
    logical_id = re.compile(re.escape(FUNCTIONS[function]) + "[0-9A-F]{8}")
    try:
        pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack)
        names = [
            resource["PhysicalResourceId"]
            for page in pages
            for resource in page["StackResourceSummaries"]
            if resource["ResourceType"] == "AWS::Lambda::Function"
            and logical_id.fullmatch(resource["LogicalResourceId"])
        ]
        [described] = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except AWS_ERRORS as error:
        raise PowerTuningError(f"cannot read the stack {stack}: {_error_message(error)}") from error
    if not names:
        raise PowerTuningError(f"the stack {stack} holds no {function} function: deploy it first")
    # arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>
    _, partition, _, region, account, _ = described["StackId"].split(":", 5)
    return f"arn:{partition}:lambda:{region}:{account}:function:{names[0]}"


def state_machine_arn(cloudformation: Any, given: str | None) -> str:
    """The state machine given, or the one the README's command deployed."""
    if given:
        return given
    missing = (
        "no AWS Lambda Power Tuning state machine: set POWER_TUNING_STATE_MACHINE_ARN, or "
        f"deploy the tool as the stack {TOOL_STACK} (README: Power tuning)"
    )
    try:
        [described] = cloudformation.describe_stacks(StackName=TOOL_STACK)["Stacks"]
    except AWS_ERRORS as error:
        raise PowerTuningError(f"{missing}; {_error_message(error)}") from error
    outputs: dict[str, str] = {
        output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])
    }
    if TOOL_OUTPUT not in outputs:
        raise PowerTuningError(f"{missing}; {TOOL_STACK} has no output {TOOL_OUTPUT}")
    return outputs[TOOL_OUTPUT]


def payload(function: str, folder: Path = PAYLOADS) -> Any:
    """The event each invocation gets: power-tuning/<function>.json, or {}."""
    path = folder / f"{function}.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise PowerTuningError(f"{path} is not JSON: {error}") from error


def execution_input(lambda_arn: str, event: Any, strategy: str) -> dict[str, Any]:
    """The state machine's input (the tool's README: "State machine input")."""
    return {
        "lambdaARN": lambda_arn,
        "powerValues": list(POWER_VALUES),
        "num": INVOCATIONS,
        "payload": event,
        "strategy": strategy,
    }


def tune(
    stepfunctions: Any,
    machine: str,
    tuning_input: Mapping[str, Any],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Start an execution, wait for it, and return its results."""
    try:
        execution = stepfunctions.start_execution(
            stateMachineArn=machine, input=json.dumps(tuning_input)
        )["executionArn"]
        print(f"Started {execution}; it takes a few minutes.", flush=True)
        while (described := stepfunctions.describe_execution(executionArn=execution))[
            "status"
        ] == "RUNNING":
            sleep(POLL_SECONDS)
    except AWS_ERRORS as error:
        raise PowerTuningError(f"cannot run {machine}: {_error_message(error)}") from error
    if described["status"] != "SUCCEEDED":
        reason = ": ".join(filter(None, (described.get("error"), described.get("cause"))))
        raise PowerTuningError(f"the tuning {described['status'].lower()}: {reason or execution}")
    output = json.loads(described["output"])
    # Newer releases of the tool wrap the results in `results`.
    results: dict[str, Any] = output.get("results", output)
    return results


def report(function: str, strategy: str, results: Mapping[str, Any]) -> str:
    """What to read in the results, and where to set the memory size they suggest."""
    setting = function.replace("-", "_") + "_memory_mib"
    return "\n".join(
        (
            f"{strategy.capitalize()} strategy: {results['power']} MiB "
            f"(about {float(results['duration']):.1f} ms and ${float(results['cost']):.10f} "
            "per invocation)",
            f"Cost and speed at every size: {results['stateMachine']['visualization']}",
            f"To use it, set {setting} in infra/settings.py.",
        )
    )


Service = Literal["cloudformation", "stepfunctions"]


def aws_client(service: Service) -> Any:
    # The stacks' region; the tool's state machine must be deployed there too.
    return boto3.client(service, region_name=REGION)


def main(argv: list[str] | None = None, clients: Callable[[Service], Any] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("function", help=f"one of {', '.join(FUNCTIONS)}")
    parser.add_argument("--stack", required=True, help="the deployed stack, e.g. the dev stack")
    parser.add_argument("--strategy", choices=STRATEGIES, default="cost")
    parser.add_argument(
        "--state-machine-arn",
        default=os.environ.get("POWER_TUNING_STATE_MACHINE_ARN"),
        help=f"the tool's state machine; by default the output {TOOL_OUTPUT} of {TOOL_STACK}",
    )
    arguments = parser.parse_args(argv)
    clients = clients or aws_client
    try:
        cloudformation = clients("cloudformation")
        lambda_arn = function_arn(cloudformation, arguments.stack, arguments.function)
        machine = state_machine_arn(cloudformation, arguments.state_machine_arn)
        tuning_input = execution_input(lambda_arn, payload(arguments.function), arguments.strategy)
        print(f"Tuning {lambda_arn} with {machine}", flush=True)
        results = tune(clients("stepfunctions"), machine, tuning_input)
    except PowerTuningError as error:
        print(f"power-tune: {error}", file=sys.stderr)
        return 1
    print(report(arguments.function, arguments.strategy, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
