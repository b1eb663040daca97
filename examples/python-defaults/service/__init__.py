"""Lambda code of orders-service: handlers (thin), logic (rules), dal (DynamoDB), models (schemas)."""
