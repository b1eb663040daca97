"""User profiles: create one, read one."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from service.handlers.routes.dependencies import repository
from service.logic.users import register_user
from service.models.users import USER_ID_PATTERN, NewUser, User

router = Router()  # type: ignore[no-untyped-call]


@router.post("/users")
def create_user(new_user: Annotated[NewUser, Body()]) -> Response[User]:
    user = register_user(repository, new_user)
    return Response(
        status_code=HTTPStatus.CREATED, content_type=content_types.APPLICATION_JSON, body=user
    )


@router.get("/users/<user_id>")
def get_user(user_id: Annotated[str, Path(pattern=USER_ID_PATTERN)]) -> User:
    return repository.get_user(user_id)
