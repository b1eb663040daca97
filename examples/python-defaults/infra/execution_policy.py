"""What CloudFormation may do when it deploys a service stack: its execution policy.

`cdk bootstrap --cloudformation-execution-policies` gives CloudFormation's execution role these
policies instead of AdministratorAccess. Their actions are the ones CloudFormation's resource
handlers call to create, read, update and delete the resource types the stack holds, as
CloudFormation's resource schemas list them (cfn-lint ships the schemas). A new resource type in a
service stack adds its actions the next time the CI identity stack is deployed.
"""

import functools
import re

from aws_cdk import CfnResource, Stack
from cfnlint.data import AdditionalSpecs
from cfnlint.helpers import load_resource
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

HANDLERS = ("create", "read", "update", "delete")
# An IAM action: a service prefix and an action name. Some schemas also list entries that are
# not (such as `s3:REST.PUT.OBJECT`): IAM refuses them, and they grant nothing.
IAM_ACTION = re.compile(r"[a-z0-9-]+:[A-Za-z0-9]+\*?")
# CloudFormation invokes a custom resource's provider function with the execution role.
CUSTOM_RESOURCE_ACTIONS = frozenset({"lambda:InvokeFunction"})
# Resources that CloudFormation handles itself, calling nothing with the execution role.
CLOUDFORMATION_OWN_TYPES = frozenset({"AWS::CDK::Metadata"})
# A few schemas list actions by wildcard; the execution policy names each action instead (from
# the Service Authorization Reference). A new wildcard fails synth until it is listed here.
WILDCARD_ACTIONS = {
    "application-autoscaling:Describe*": (
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingActivities",
        "application-autoscaling:DescribeScalingPolicies",
        "application-autoscaling:DescribeScheduledActions",
    ),
    "dynamodb:Describe*": (
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:DescribeContributorInsights",
        "dynamodb:DescribeKinesisStreamingDestination",
        "dynamodb:DescribeTable",
        "dynamodb:DescribeTableReplicaAutoScaling",
        "dynamodb:DescribeTimeToLive",
    ),
}
# A managed policy holds at most 6,144 characters (whitespace aside); each part stays below it,
# leaving room for the statement around the actions.
POLICY_ACTION_CHARACTERS = 5000


@functools.cache
def iam_actions() -> frozenset[str]:
    """Every action IAM knows, in lower case, from the service reference cfn-lint ships."""
    services = load_resource(AdditionalSpecs, "Policies.json")
    return frozenset(
        f"{service}:{action}" for service, data in services.items() for action in data["Actions"]
    )


def resource_types(stack: Stack) -> set[str]:
    return {
        node.cfn_resource_type for node in stack.node.find_all() if isinstance(node, CfnResource)
    }


def handler_actions(region: str, resource_type: str) -> frozenset[str]:
    """The actions CloudFormation calls to manage one resource type in the region."""
    if (
        resource_type.startswith("Custom::")
        or resource_type == "AWS::CloudFormation::CustomResource"
    ):
        return CUSTOM_RESOURCE_ACTIONS
    if resource_type in CLOUDFORMATION_OWN_TYPES:
        return frozenset()
    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource_type).schema
    handlers = schema.get("handlers", {})
    actions = {
        action
        for handler in HANDLERS
        for action in handlers.get(handler, {}).get("permissions", [])
        if IAM_ACTION.fullmatch(action)
    }
    if not actions:
        raise ValueError(f"{resource_type}: its resource schema lists no handler permissions")
    return frozenset(actions)


def deployment_actions(stack: Stack, region: str) -> list[str]:
    """Every action CloudFormation needs to deploy the stack, sorted; never a wildcard."""
    listed = {action for t in resource_types(stack) for action in handler_actions(region, t)}
    unknown = sorted(a for a in listed if "*" in a and a not in WILDCARD_ACTIONS)
    if unknown:
        raise ValueError(f"name the actions of {unknown} in WILDCARD_ACTIONS")
    # Some schemas still list actions IAM renamed or never had (s3:PutBucketReplication): they
    # grant nothing, and IAM's own names for them are listed too.
    actions = {a for a in listed if "*" not in a and a.lower() in iam_actions()}
    actions.update(
        a for wildcard in listed & set(WILDCARD_ACTIONS) for a in WILDCARD_ACTIONS[wildcard]
    )
    return sorted(actions)


def in_parts(actions: list[str]) -> list[list[str]]:
    """The actions split into lists that each fit one managed policy."""
    parts: list[list[str]] = [[]]
    size = 0
    for action in actions:
        if parts[-1] and size + len(action) + 3 > POLICY_ACTION_CHARACTERS:
            parts.append([])
            size = 0
        parts[-1].append(action)
        size += len(action) + 3
    return parts
