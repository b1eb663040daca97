/**
 * Data-access layer: the only code that knows DynamoDB and how items are laid out in the table.
 *
 * One table serves every access pattern (single-table design). Keys are generic strings, PK/SK on
 * the table and GSI1PK/GSI1SK on its one index, GSI1; `ttl` (epoch seconds) makes an item expire.
 *
 * Access patterns:
 *
 * | Access pattern                    | Where | Key condition                                         |
 * | --------------------------------- | ----- | ----------------------------------------------------- |
 * | Create a user, once               | table | PK = USER#<userId>, SK = PROFILE; only if absent      |
 * | Get a user                        | table | PK = USER#<userId>, SK = PROFILE                      |
 * | Place an order (one transaction)  | table | put the order and its items, only if absent; add 1 to |
 * |                                   |       | the user's orderCount, only if the user exists        |
 * | A user's orders, newest first     | table | PK = USER#<userId>, SK begins_with ORDER#, descending |
 * | An order by its id                | GSI1  | GSI1PK = ORDER#<orderId>                              |
 * | An order's items                  | table | PK = ORDER#<orderId>, SK begins_with ITEM#            |
 * | Replay a request (idempotency)    | table | PK = IDEMPOTENCY, SK = <function>#<key hash>          |
 *
 * Items:
 *
 * | Entity      | PK              | SK                | GSI1PK          | GSI1SK          | ttl    |
 * | ----------- | --------------- | ----------------- | --------------- | --------------- | ------ |
 * | User        | USER#<userId>   | PROFILE           |                 |                 |        |
 * | Order       | USER#<userId>   | ORDER#<orderId>   | ORDER#<orderId> | ORDER#<orderId> |        |
 * | OrderItem   | ORDER#<orderId> | ITEM#<line, 001>  |                 |                 |        |
 * | Idempotency | IDEMPOTENCY     | <function>#<hash> |                 |                 | expiry |
 *
 * Order ids are ULIDs, which sort by creation time: reading SK descending lists newest first.
 */
export { Repository } from './repository';
