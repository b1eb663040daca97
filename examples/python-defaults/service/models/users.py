"""A user's profile, as the service accepts and returns it."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from service.models.text import Text


class NewUser(BaseModel):
    """The caller's profile to create (POST /me); their user id is their token's subject."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    email: Annotated[Text, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    name: Annotated[Text, Field(min_length=1, max_length=100)]


class User(NewUser):
    """A stored profile."""

    user_id: str
    created_at: datetime
    order_count: int = 0
