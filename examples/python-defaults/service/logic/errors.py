"""What the rules refuse. The API answers each with a 4xx; nothing here is a server error."""


class DomainError(Exception):
    """A request the rules refuse, with a message fit for the caller."""


class NotFoundError(DomainError):
    pass


class ConflictError(DomainError):
    pass


class UserNotFoundError(NotFoundError):
    def __init__(self, user_id: str) -> None:
        super().__init__(f"user {user_id} does not exist")


class OrderNotFoundError(NotFoundError):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} does not exist")


class UserAlreadyExistsError(ConflictError):
    def __init__(self, user_id: str) -> None:
        super().__init__(f"user {user_id} already exists")


class OrderAlreadyExistsError(ConflictError):
    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} already exists")


class ConcurrentUpdateError(ConflictError):
    def __init__(self) -> None:
        super().__init__("another request changed the same data at the same time; retry")
