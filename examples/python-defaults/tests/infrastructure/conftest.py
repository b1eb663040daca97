"""The project's app, synthesized once per session, and its templates for the assertions."""

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template
from aws_cdk.cx_api import CloudAssembly

from infra.app import build_app, feature_flags
from infra.settings import ENVIRONMENTS, stack_name


@pytest.fixture(scope="session")
def service_app() -> App:
    return build_app(App(context=feature_flags()))


@pytest.fixture(scope="session")
def cloud_assembly(service_app: App) -> CloudAssembly:
    # Synth raises if cdk-nag or the tag policy finds anything, failing every test that uses it.
    return service_app.synth()


@pytest.fixture(scope="session")
def templates(service_app: App, cloud_assembly: CloudAssembly) -> dict[str, Template]:
    """Synthesized template of every stack, by stack name, as the session's synth wrote it."""
    stacks = [child for child in service_app.node.children if isinstance(child, Stack)]
    return {stack.stack_name: Template.from_stack(stack) for stack in stacks}


@pytest.fixture(params=list(ENVIRONMENTS))
def environment(request: pytest.FixtureRequest) -> str:
    """Runs a test once per environment."""
    return str(request.param)


@pytest.fixture
def service_template(templates: dict[str, Template], environment: str) -> Template:
    return templates[stack_name(environment)]
