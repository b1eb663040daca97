"""Users, orders and order items in the service's table (layout: see the package docstring)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from service.logic.errors import (
    ConcurrentUpdateError,
    DomainError,
    OrderAlreadyExistsError,
    OrderNotFoundError,
    UserAlreadyExistsError,
    UserNotFoundError,
)
from service.models.orders import Order, OrderItem, OrderPage, OrderStatus
from service.models.users import User

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
    )

    Item = dict[str, AttributeValueTypeDef]

GSI1 = "GSI1"
GSI2 = "GSI2"
PROFILE = "PROFILE"
USER = "USER#"
ORDER = "ORDER#"
ITEM = "ITEM#"
DAY = "DAY#"


def _s(value: str) -> AttributeValueTypeDef:
    return {"S": value}


def _n(value: int) -> AttributeValueTypeDef:
    return {"N": str(value)}


def _user_key(user_id: str) -> Item:
    return {"PK": _s(USER + user_id), "SK": _s(PROFILE)}


def _error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


class Repository:
    """Reads and writes the service's entities; raises the domain's errors, not DynamoDB's."""

    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # -- users -------------------------------------------------------------------------------

    def create_user(self, user: User) -> None:
        """Store a new profile; UserAlreadyExistsError if the user id is taken."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **_user_key(user.user_id),
                    "type": _s("User"),
                    "userId": _s(user.user_id),
                    "email": _s(user.email),
                    "name": _s(user.name),
                    "createdAt": _s(user.created_at.isoformat()),
                    "orderCount": _n(user.order_count),
                },
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                raise UserAlreadyExistsError(user.user_id) from None
            raise

    def get_user(self, user_id: str) -> User:
        response = self._client.get_item(TableName=self._table, Key=_user_key(user_id))
        if "Item" not in response:
            raise UserNotFoundError(user_id)
        item = response["Item"]
        return User(
            user_id=item["userId"]["S"],
            email=item["email"]["S"],
            name=item["name"]["S"],
            created_at=datetime.fromisoformat(item["createdAt"]["S"]),
            order_count=int(item["orderCount"]["N"]),
        )

    # -- orders ------------------------------------------------------------------------------

    def create_order(
        self,
        order: Order,
        items: Sequence[OrderItem],
        *,
        correlation_id: str,
        trace_header: str | None = None,
    ) -> None:
        """Store the order and its items and count it on the user's profile, all or nothing.

        The order item keeps the correlation id of the request that placed it, and its X-Ray trace
        header when traced: whatever reacts to the new order (the table's stream) carries them on.
        UserNotFoundError if the user has no profile, OrderAlreadyExistsError if the order id is
        taken, ConcurrentUpdateError if another transaction touched the same items meanwhile.
        """
        writes: list[TransactWriteItemTypeDef] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": _user_key(order.user_id),
                    "UpdateExpression": "ADD orderCount :one",
                    "ConditionExpression": "attribute_exists(PK)",
                    "ExpressionAttributeValues": {":one": _n(1)},
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _order_item(order, correlation_id, trace_header),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
        ]
        writes += [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _order_line_item(order.order_id, item),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
            for item in items
        ]
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            domain_error = _cancellation_error(error, order)
            if domain_error is None:
                raise
            raise domain_error from None

    def list_orders(self, user_id: str, *, limit: int, after: str | None = None) -> OrderPage:
        """A page of the user's orders, newest first, starting after the order id `after`."""
        query: QueryInputTypeDef = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": _s(USER + user_id), ":prefix": _s(ORDER)},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after:
            query["ExclusiveStartKey"] = {"PK": _s(USER + user_id), "SK": _s(ORDER + after)}
        response = self._client.query(**query)
        last = response.get("LastEvaluatedKey")
        return OrderPage(
            orders=[_order(item) for item in response["Items"]],
            next_token=last["SK"]["S"].removeprefix(ORDER) if last else None,
        )

    def get_order(self, order_id: str) -> Order:
        # GSI1 is eventually consistent: an order placed a moment ago may not be found yet.
        response = self._client.query(
            TableName=self._table,
            IndexName=GSI1,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": _s(ORDER + order_id)},
            Limit=1,
        )
        if not response["Items"]:
            raise OrderNotFoundError(order_id)
        return _order(response["Items"][0])

    def orders_created_on(self, day: date, *, page_size: int = 100) -> Iterator[list[Order]]:
        """The orders created on a UTC day, oldest first, a page of at most `page_size` at a time."""
        # GSI2 is eventually consistent: an order placed a moment ago may not be listed yet.
        query: QueryInputTypeDef = {
            "TableName": self._table,
            "IndexName": GSI2,
            "KeyConditionExpression": "GSI2PK = :day",
            "ExpressionAttributeValues": {":day": _s(DAY + day.isoformat())},
            "Limit": page_size,
        }
        while True:
            response = self._client.query(**query)
            if response["Items"]:
                yield [_order(item) for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def confirm_order(self, user_id: str, order_id: str, *, now: datetime | None = None) -> bool:
        """Move a placed order to confirmed; False when it was confirmed already (nothing changes).

        OrderNotFoundError if the user has no such order.
        """
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"PK": _s(USER + user_id), "SK": _s(ORDER + order_id)},
                UpdateExpression="SET #status = :confirmed, confirmedAt = :now",
                ConditionExpression="#status = :placed",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":placed": _s(OrderStatus.PLACED),
                    ":confirmed": _s(OrderStatus.CONFIRMED),
                    ":now": _s((now or datetime.now(UTC)).isoformat()),
                },
                # The item as it was when the condition failed: absent if there is no such order.
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if _error_code(error) != "ConditionalCheckFailedException":
                raise
            if "Item" not in error.response:
                raise OrderNotFoundError(order_id) from None
            return False
        return True

    def list_order_items(self, order_id: str) -> list[OrderItem]:
        query: QueryInputTypeDef = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": _s(ORDER + order_id), ":prefix": _s(ITEM)},
        }
        items: list[OrderItem] = []
        while True:
            response = self._client.query(**query)
            items += [_order_line(item) for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                break
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if not items:
            raise OrderNotFoundError(order_id)
        return items


def _order_item(order: Order, correlation_id: str, trace_header: str | None) -> Item:
    item: Item = {
        "PK": _s(USER + order.user_id),
        "SK": _s(ORDER + order.order_id),
        "GSI1PK": _s(ORDER + order.order_id),
        "GSI1SK": _s(ORDER + order.order_id),
        # The orders of a UTC day, in the order they were placed (ULIDs sort by time).
        "GSI2PK": _s(DAY + order.created_at.astimezone(UTC).date().isoformat()),
        "GSI2SK": _s(ORDER + order.order_id),
        "type": _s("Order"),
        "orderId": _s(order.order_id),
        "userId": _s(order.user_id),
        "status": _s(order.status),
        "currency": _s(order.currency),
        "totalCents": _n(order.total_cents),
        "itemCount": _n(order.item_count),
        "createdAt": _s(order.created_at.isoformat()),
        "correlationId": _s(correlation_id),
    }
    if trace_header:
        item["traceHeader"] = _s(trace_header)
    return item


def _order(item: Item) -> Order:
    return Order(
        order_id=item["orderId"]["S"],
        user_id=item["userId"]["S"],
        status=OrderStatus(item["status"]["S"]),
        currency=item["currency"]["S"],
        total_cents=int(item["totalCents"]["N"]),
        item_count=int(item["itemCount"]["N"]),
        created_at=datetime.fromisoformat(item["createdAt"]["S"]),
    )


def _order_line_item(order_id: str, item: OrderItem) -> Item:
    return {
        "PK": _s(ORDER + order_id),
        "SK": _s(f"{ITEM}{item.line:03d}"),
        "type": _s("OrderItem"),
        "line": _n(item.line),
        "sku": _s(item.sku),
        "quantity": _n(item.quantity),
        "unitPriceCents": _n(item.unit_price_cents),
    }


def _order_line(item: Item) -> OrderItem:
    return OrderItem(
        line=int(item["line"]["N"]),
        sku=item["sku"]["S"],
        quantity=int(item["quantity"]["N"]),
        unit_price_cents=int(item["unitPriceCents"]["N"]),
    )


def _cancellation_error(error: ClientError, order: Order) -> DomainError | None:
    """The domain's reading of a cancelled order transaction, or None if it is not the caller's doing.

    DynamoDB gives one reason per write, in the order of the writes: the user's update first, then
    the order, then its items.
    """
    if _error_code(error) != "TransactionCanceledException":
        return None
    codes = [reason.get("Code", "None") for reason in error.response.get("CancellationReasons", [])]
    if codes[:1] == ["ConditionalCheckFailed"]:
        return UserNotFoundError(order.user_id)
    if "ConditionalCheckFailed" in codes[1:]:
        return OrderAlreadyExistsError(order.order_id)
    if "TransactionConflict" in codes:
        return ConcurrentUpdateError()
    return None
