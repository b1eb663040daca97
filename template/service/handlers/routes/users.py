"""The caller's own profile: create it once, read it. The user id is the token's subject."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from service.handlers.caller import caller_id
from service.handlers.routes.dependencies import repository
from service.logic.users import register_user
from service.models.users import NewUser, User

router = Router()  # type: ignore[no-untyped-call]


@router.post("/me", status_code=HTTPStatus.CREATED)
def create_profile(new_user: Annotated[NewUser, Body()]) -> User:
    return register_user(repository, caller_id(router.current_event), new_user)


@router.get("/me")
def get_profile() -> User:
    return repository.get_user(caller_id(router.current_event))
