"""Data-access layer: the only code that knows DynamoDB and how items are laid out in the table.

One table serves every access pattern (single-table design). Keys are generic strings: PK/SK on
the table, GSI1PK/GSI1SK and GSI2PK/GSI2SK on its two indexes, GSI1 and GSI2; `ttl` (epoch
seconds) makes an item expire.

Access patterns:

| Access pattern                    | Where | Key condition                                         |
| --------------------------------- | ----- | ----------------------------------------------------- |
| Create a user, once               | table | PK = USER#<userId>, SK = PROFILE; only if absent      |
| Get a user                        | table | PK = USER#<userId>, SK = PROFILE                      |
| Place an order (one transaction)  | table | put the order and its items, only if absent; add 1 to |
|                                   |       | the user's orderCount, only if the user exists        |
| A user's orders, newest first     | table | PK = USER#<userId>, SK begins_with ORDER#, descending |
| An order by its id                | GSI1  | GSI1PK = ORDER#<orderId>                              |
| An order's items                  | table | PK = ORDER#<orderId>, SK begins_with ITEM#            |
| Confirm an order, once            | table | PK = USER#<userId>, SK = ORDER#<orderId>; only if its |
|                                   |       | status is placed                                      |
| The orders of a UTC day           | GSI2  | GSI2PK = DAY#<YYYY-MM-DD>, page by page               |
| Process a request once            | table | PK = IDEMPOTENCY, SK = <function>#<key hash>          |
| (idempotency)                     |       |                                                       |

Items:

| Entity      | PK              | SK                | GSI1PK / GSI1SK | GSI2PK / GSI2SK  | ttl    |
| ----------- | --------------- | ----------------- | --------------- | ---------------- | ------ |
| User        | USER#<userId>   | PROFILE           |                 |                  |        |
| Order       | USER#<userId>   | ORDER#<orderId>   | ORDER#<orderId> | DAY#<YYYY-MM-DD> |        |
|             |                 |                   | ORDER#<orderId> | ORDER#<orderId>  |        |
| OrderItem   | ORDER#<orderId> | ITEM#<line, 001>  |                 |                  |        |
| Idempotency | IDEMPOTENCY     | <function>#<hash> |                 |                  | expiry |

Order ids are ULIDs, which sort by creation time: reading SK descending lists newest first, and
GSI2SK ascending lists a day's orders in the order they were placed. An order also holds its
`status` (placed, then confirmed), the `correlationId` of the request that placed it and, when
that request was traced, its X-Ray `traceHeader`.
"""

from service.dal.repository import Repository

__all__ = ["Repository"]
