"""Liveness: answers without calling any dependency, for uptime checks."""

from aws_lambda_powertools.event_handler.api_gateway import Router

router = Router()  # type: ignore[no-untyped-call]


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
