"""Users: a profile is created once, with the time it was created."""

from datetime import UTC, datetime
from typing import Protocol

from service.models.users import NewUser, User


class UserStore(Protocol):
    def create_user(self, user: User) -> None: ...


def register_user(
    store: UserStore, user_id: str, new_user: NewUser, *, now: datetime | None = None
) -> User:
    """Store the user's profile; raises UserAlreadyExistsError when they have one already."""
    user = User(user_id=user_id, **new_user.model_dump(), created_at=now or datetime.now(UTC))
    store.create_user(user)
    return user
