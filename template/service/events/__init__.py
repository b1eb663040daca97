"""Events this service publishes to its EventBridge bus."""
