"""Set-up shared by every test: the AWS SDK talks to the local emulator, never to AWS."""

import os
import socket

import pytest

from service.settings import EnvironmentVariables
from tests.api_client import ApiClient


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Set before any test module imports a handler, whose SDK clients read it at import: moto's
# server on 127.0.0.1 (started by the integration tests) and fake credentials.
os.environ.update(
    AWS_ENDPOINT_URL=f"http://127.0.0.1:{_free_port()}",
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="us-east-1",
    POWERTOOLS_SERVICE_NAME="orders-service",
    POWERTOOLS_METRICS_NAMESPACE="OrdersService",
    POWERTOOLS_TRACE_DISABLED="true",
)

# What the stack passes to the functions, whose settings read it at import too; the tests create
# these resources in the emulator.
os.environ.update(
    {
        EnvironmentVariables.TABLE_NAME: "orders-service-test",
    }
)


@pytest.fixture(scope="session")
def api() -> ApiClient:
    """The API's handler, called by a signed-in user, alice (`api.as_user` changes the caller).

    The handler is imported once the environment points its clients at the emulator.
    """
    from service.handlers.api import handler

    return ApiClient(handler, user_id="alice")
