"""The caller is the subject of the verified token, and only a subject fit for a user id will do."""

from typing import Any

import pytest
from aws_lambda_powertools.event_handler.exceptions import UnauthorizedError
from aws_lambda_powertools.utilities.data_classes.api_gateway_proxy_event import (
    APIGatewayProxyEventV2,
)

from service.handlers.caller import caller_id


def _event(authorizer: Any) -> APIGatewayProxyEventV2:
    return APIGatewayProxyEventV2({"requestContext": {"authorizer": authorizer}})


@pytest.mark.parametrize(
    "subject",
    ["0f5e9c2a-8b1d-4c7e-9a3f-2d6b8e1c4a70", "auth0|65f1c0ffee", "00u1a2b3c4D5e6F7g8h9"],
    ids=["cognito", "auth0", "okta"],
)
def test_the_caller_is_the_tokens_subject(subject: str) -> None:
    assert caller_id(_event({"jwt": {"claims": {"sub": subject}, "scopes": None}})) == subject


@pytest.mark.parametrize(
    "authorizer",
    [
        None,
        {},
        {"jwt": None},
        {"jwt": {"claims": {"email": "alice@example.com"}}},
        {"jwt": {"claims": {"sub": ""}}},
        {"jwt": {"claims": {"sub": "alice/../bob"}}},
        {"jwt": {"claims": {"sub": "alice#PROFILE"}}},
        {"jwt": {"claims": {"sub": "alice\n"}}},
        {"jwt": {"claims": {"sub": "a" * 129}}},
        {"jwt": {"claims": {"sub": ["alice"]}}},
    ],
    ids=[
        "no authorizer",
        "empty authorizer",
        "no claims",
        "no subject",
        "empty subject",
        "path",
        "key separator",
        "newline",
        "too long",
        "not a string",
    ],
)
def test_a_request_without_a_usable_subject_is_unauthorized(authorizer: Any) -> None:
    with pytest.raises(UnauthorizedError):
        caller_id(_event(authorizer))
