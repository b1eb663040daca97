"""Input and output schemas of the handlers and events, as pydantic models.

The API's models are built at their first use, not at import (`defer_build`): a cold start builds
only the models of the route it answers.
"""
