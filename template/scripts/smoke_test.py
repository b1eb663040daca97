"""After a deploy: does the environment answer? `make smoke ENV=<env>` runs this.

It reads the stack's outputs (the file `cdk deploy --outputs-file` wrote, or CloudFormation's
answer), then calls the health route of each front door the stack has: the HTTP API's `/health`,
and the container service's `/health` through its load balancer. Where the load balancer serves
HTTPS, its certificate names your domain, not the load balancer's address: the check is then that
plain HTTP redirects to HTTPS.

Where the stack has a Cognito user pool and the environment's settings say `smoke_signed_in`
(infra/settings.py), it also makes one signed-in round trip: it creates a throwaway user in the
pool (no invitation sent), gives it a random password, signs it in (ADMIN_USER_PASSWORD_AUTH) and
calls GET /me with its access token. A new user has no profile, so the function answers 404 in
its own error shape: the token passed the API's authorizer (without one it answers 401). The user
is deleted whatever happened. Any failure exits non-zero, which stops the pipeline's promotion.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scripts.stack_outputs import stack_outputs

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Response:
    status: int
    location: str
    body: str


@dataclass(frozen=True)
class Check:
    name: str
    url: str
    # Either a status and body fragment to find, or a redirect whose target starts with `redirect_to`.
    status: int
    expect_in_body: str = ""
    redirect_to: str = ""

    def problem(self, response: Response) -> str:
        """What is wrong with the response, or "" when it passes."""
        if response.status != self.status:
            return f"answered {response.status}, expected {self.status}"
        if self.redirect_to and not response.location.startswith(self.redirect_to):
            return f"redirected to {response.location!r}, expected {self.redirect_to}..."
        if self.expect_in_body and self.expect_in_body not in response.body:
            return f"body {response.body[:200]!r} lacks {self.expect_in_body!r}"
        return ""


def checks(outputs: dict[str, str]) -> list[Check]:
    """The health checks the stack's outputs call for (output keys start with the construct's id)."""
    found = []
    for key, value in sorted(outputs.items()):
        if key.startswith("ApiUrl"):
            found.append(
                Check("API /health", value.rstrip("/") + "/health", 200, expect_in_body='"ok"')
            )
        elif key.startswith("ContainerUrl"):
            host = urlsplit(value).netloc
            if value.startswith("https://"):
                found.append(
                    Check(
                        "load balancer redirects HTTP to HTTPS",
                        f"http://{host}/health",
                        301,
                        redirect_to=f"https://{host}",
                    )
                )
            else:
                found.append(Check("container /health", f"http://{host}/health", 200))
    return found


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, headers: Mapping[str, str] | None = None) -> Response:
    """GET the URL once, without following redirects."""
    opener = urllib.request.build_opener(_NoRedirects)
    # The URLs are the stack's outputs (http and https), never a file: or custom scheme.
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return Response(
                answer.status, answer.headers.get("Location", ""), answer.read().decode()
            )
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers.get("Location", ""), error.read().decode())


@dataclass(frozen=True)
class SignedInCheck:
    """One call to the API as a throwaway user of the stack's user pool."""

    api_url: str
    user_pool_id: str
    client_id: str

    @property
    def call(self) -> Check:
        # A new user has no profile: 404 in the function's error shape ({"statusCode": ...}).
        return Check(
            "API GET /me signed in",
            self.api_url.rstrip("/") + "/me",
            404,
            expect_in_body='"statusCode"',
        )


def signed_in_check(outputs: dict[str, str]) -> SignedInCheck | None:
    """The round trip the outputs allow: an API and a user pool with its app client."""

    def output(prefix: str) -> str:
        return next((v for k, v in sorted(outputs.items()) if k.startswith(prefix)), "")

    api_url = output("ApiUrl")
    user_pool_id = output("UserPoolUserPoolId")
    client_id = output("UserPoolUserPoolClientId")
    if not (api_url and user_pool_id and client_id):
        return None
    return SignedInCheck(api_url, user_pool_id, client_id)


def throwaway_credentials() -> tuple[str, str]:
    """A user name (the pool signs in with e-mail addresses) and a password its policy accepts."""
    # example.com is reserved (RFC 2606): no mail is sent anyway (MessageAction SUPPRESS).
    user = f"smoke-test-{secrets.token_hex(8)}@example.com"
    # 32 random URL-safe characters, then one of each class the password policy requires.
    return user, secrets.token_urlsafe(24) + "aA1!"


def round_trip(
    check: SignedInCheck,
    cognito: Any,
    get: Callable[[str, Mapping[str, str]], Response] = fetch,
    credentials: Callable[[], tuple[str, str]] = throwaway_credentials,
) -> list[str]:
    """Create a user, sign it in, call the API with its token, delete the user: the failures.

    `cognito` is a boto3 cognito-idp client (a stub in the unit tests); `get` calls a URL with
    headers. Each step prints one line, as the health checks do; the first failure skips the
    steps that need it, and the user is deleted in any case.
    """
    user, password = credentials()
    pool = check.user_pool_id
    failures: list[str] = []

    def step(name: str, action: Callable[[], str]) -> bool:
        try:
            problem = action()
        except Exception as error:  # an SDK or network error: reported, never raised
            problem = f"{type(error).__name__}: {error}"
        print(f"{'FAIL' if problem else 'ok  '} {name}: {user} {problem}".rstrip())
        if problem:
            failures.append(f"{name}: {problem}")
        return not problem

    def create() -> str:
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=user,
            UserAttributes=[
                {"Name": "email", "Value": user},
                {"Name": "email_verified", "Value": "true"},
            ],
            MessageAction="SUPPRESS",
        )
        return ""

    def set_password() -> str:
        cognito.admin_set_user_password(
            UserPoolId=pool, Username=user, Password=password, Permanent=True
        )
        return ""

    token = ""

    def sign_in() -> str:
        nonlocal token
        answer = cognito.admin_initiate_auth(
            UserPoolId=pool,
            ClientId=check.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user, "PASSWORD": password},
        )
        token = answer.get("AuthenticationResult", {}).get("AccessToken", "")
        if not token:
            return f"answered {answer.get('ChallengeName', 'no token')} instead of tokens"
        return ""

    def call_api() -> str:
        request = check.call
        try:
            return request.problem(get(request.url, {"Authorization": f"Bearer {token}"}))
        except OSError as error:
            return f"unreachable: {error}"

    def delete() -> str:
        cognito.admin_delete_user(UserPoolId=pool, Username=user)
        return ""

    created = step("create test user", create)
    try:
        if created and step("set its password", set_password) and step("sign it in", sign_in):
            step(check.call.name, call_api)
    finally:
        if created:
            step("delete test user", delete)
    return failures


def signs_in(environment: str) -> bool:
    """Whether the environment's settings ask for the signed-in round trip."""
    from infra.settings import ENVIRONMENTS  # only here: it needs the CDK, the health checks not

    return bool(getattr(ENVIRONMENTS[environment], "smoke_signed_in", False))


def cognito_client(user_pool_id: str) -> Any:
    import boto3  # only here: the health checks need no SDK

    # A pool's id starts with its region (us-east-1_AbC123).
    return boto3.client("cognito-idp", region_name=user_pool_id.partition("_")[0])


def run(all_checks: list[Check], get: Callable[[str], Response] = fetch) -> list[str]:
    """Run every check; the failures, one line each."""
    failures = []
    for check in all_checks:
        try:
            problem = check.problem(get(check.url))
        except OSError as error:
            problem = f"unreachable: {error}"
        print(f"{'FAIL' if problem else 'ok  '} {check.name}: {check.url} {problem}".rstrip())
        if problem:
            failures.append(f"{check.name}: {problem}")
    return failures


def outputs_from_file(path: Path, stack: str) -> dict[str, str]:
    """The stack's outputs from `cdk deploy --outputs-file` ({stack: {key: value}})."""
    return dict(json.loads(path.read_text())[stack])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="the deployed stack, e.g. the dev stack")
    parser.add_argument(
        "--outputs-file", type=Path, help="JSON written by cdk deploy --outputs-file"
    )
    parser.add_argument(
        "--environment",
        help="the stack's environment: its settings say whether a test user signs in",
    )
    arguments = parser.parse_args(argv)
    outputs = (
        outputs_from_file(arguments.outputs_file, arguments.stack)
        if arguments.outputs_file
        else stack_outputs(arguments.stack)
    )
    found = checks(outputs)
    if not found:
        print(f"{arguments.stack} has no HTTP front door: nothing to call.")
        return 0
    failures = run(found)
    signed_in = signed_in_check(outputs)
    if signed_in and arguments.environment and signs_in(arguments.environment):
        failures += round_trip(signed_in, cognito_client(signed_in.user_pool_id))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
