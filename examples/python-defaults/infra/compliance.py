"""Compliance at synth: the tagging policy, and acknowledgements of cdk-nag findings."""

import jsii
from aws_cdk import Acknowledgment, CfnResource, Stack, TagManager, Tags, Validations
from constructs import IConstruct, IValidation

from infra.settings import SERVICE_NAME, TEAM

REQUIRED_TAGS = ("Service", "Env", "Team")


def apply_tags(scope: IConstruct, *, env: str) -> None:
    tags = Tags.of(scope)
    tags.add("Service", SERVICE_NAME)
    tags.add("Env", env)
    tags.add("Team", TEAM)


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Accept a cdk-nag finding on this construct (and its children), for the reason given."""
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))


def _tag_manager(resource: CfnResource) -> TagManager | None:
    if TagManager.is_taggable_v2(resource):
        return resource.cdk_tag_manager  # type: ignore[attr-defined, no-any-return]
    if TagManager.is_taggable(resource):
        return resource.tags  # type: ignore[attr-defined, no-any-return]
    return None


@jsii.implements(IValidation)
class RequiredTagsValidation:
    """Fails synth, naming the resource, when a taggable resource misses a required tag."""

    def __init__(self, stack: Stack) -> None:
        self._stack = stack

    def validate(self) -> list[str]:
        errors = []
        for construct in self._stack.node.find_all():
            if not isinstance(construct, CfnResource):
                continue
            manager = _tag_manager(construct)
            if manager is None:
                continue
            present = manager.tag_values()
            missing = [key for key in REQUIRED_TAGS if key not in present]
            if missing:
                errors.append(
                    f"{construct.node.path} is missing required tags: {', '.join(missing)}"
                )
        return errors
