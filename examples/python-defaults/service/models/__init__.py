"""Input and output schemas of the handlers and events, as pydantic models."""
