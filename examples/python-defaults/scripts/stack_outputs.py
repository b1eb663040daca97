"""A deployed stack's outputs, read from CloudFormation: what the scripts act on."""

from __future__ import annotations

from typing import Any


def stack_outputs(stack: str) -> dict[str, str]:
    import boto3  # only here: the scripts' other paths need no SDK

    client: Any = boto3.client("cloudformation")
    [described] = client.describe_stacks(StackName=stack)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
