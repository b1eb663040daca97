"""The signed-in caller: the subject (`sub` claim) of the token API Gateway verified.

API Gateway's JWT authorizer refuses a request without a valid token before the function runs,
and passes the token's claims in the event (requestContext.authorizer.jwt.claims). Routes take
the caller's user id from here and nowhere else: never from the path or the body.
"""

import re

from aws_lambda_powertools.event_handler.exceptions import UnauthorizedError
from aws_lambda_powertools.utilities.data_classes.api_gateway_proxy_event import (
    APIGatewayProxyEventV2,
)
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

# User ids become parts of table keys and of the bucket's key prefixes: a subject must be safe in
# both. Cognito's subjects are UUIDs; most OIDC issuers' fit too (Auth0's `auth0|...` included).
SUBJECT_PATTERN = r"[A-Za-z0-9_|-]{1,128}"
_SUBJECT = re.compile(SUBJECT_PATTERN)


def caller_id(event: BaseProxyEvent) -> str:
    """The caller's user id; UnauthorizedError (401) when the request has no usable subject."""
    subject = (
        event.request_context.authorizer.jwt_claim.get("sub")
        if isinstance(event, APIGatewayProxyEventV2)
        else None
    )
    if not isinstance(subject, str) or not _SUBJECT.fullmatch(subject):
        raise UnauthorizedError("sign in: the request carries no token with a usable subject")
    return subject
