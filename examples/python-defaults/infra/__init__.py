"""Infrastructure of orders-service, as CDK constructs and stacks."""
