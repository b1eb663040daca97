"""A user's profile, as the service accepts and returns it."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from service.models.text import Text

# Ids become parts of table keys (USER#<id>): letters, digits, '-' and '_' only, so no id can
# reach into another key.
USER_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class NewUser(BaseModel):
    """A profile to create (POST /users)."""

    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[str, Field(pattern=USER_ID_PATTERN)]
    email: Annotated[Text, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    name: Annotated[Text, Field(min_length=1, max_length=100)]


class User(NewUser):
    """A stored profile."""

    created_at: datetime
    order_count: int = 0
