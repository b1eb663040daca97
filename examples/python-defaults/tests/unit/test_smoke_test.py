"""The smoke test's logic, offline: checks from a stub of the stack's outputs, HTTP stubbed too."""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from scripts.smoke_test import (
    Check,
    Response,
    SignedInCheck,
    checks,
    main,
    outputs_from_file,
    round_trip,
    run,
    signed_in_check,
    throwaway_credentials,
)

API_URL = "https://abc123.execute-api.eu-west-1.amazonaws.com/"
LOAD_BALANCER = "Servi-LoadB-1A2B3C.eu-west-1.elb.amazonaws.com"


def test_the_api_is_checked_on_its_health_route() -> None:
    [check] = checks({"ApiUrl8D4A1B2C": API_URL, "SomethingElse": "x"})
    assert check.url == API_URL + "health"
    assert check.problem(Response(200, "", '{"status": "ok"}')) == ""
    assert "answered 502" in check.problem(Response(502, "", "Bad Gateway"))
    assert "lacks" in check.problem(Response(200, "", "{}"))


def test_the_container_is_checked_through_the_load_balancer() -> None:
    [check] = checks({"ContainerUrl1F2E3D4C": f"http://{LOAD_BALANCER}"})
    assert check.url == f"http://{LOAD_BALANCER}/health"
    assert check.problem(Response(200, "", "")) == ""
    assert check.problem(Response(503, "", "")) != ""


def test_with_https_plain_http_must_redirect_to_https() -> None:
    [check] = checks({"ContainerUrl1F2E3D4C": f"https://{LOAD_BALANCER}"})
    assert check.url == f"http://{LOAD_BALANCER}/health"
    assert check.problem(Response(301, f"https://{LOAD_BALANCER}:443/health", "")) == ""
    assert check.problem(Response(200, "", "")) != ""
    assert "redirected to" in check.problem(Response(301, "http://elsewhere/", ""))


def test_run_reports_each_failure_and_an_unreachable_host() -> None:
    answers = {
        API_URL + "health": Response(200, "", '{"status": "ok"}'),
        f"http://{LOAD_BALANCER}/health": Response(503, "", ""),
    }

    def get(url: str) -> Response:
        if url not in answers:
            raise OSError("connection refused")
        return answers[url]

    all_checks = [
        *checks({"ApiUrlX": API_URL, "ContainerUrlY": f"http://{LOAD_BALANCER}"}),
        Check("elsewhere", "http://unreachable.invalid/health", 200),
    ]
    failures = run(all_checks, get)
    assert failures == [
        "container /health: answered 503, expected 200",
        "elsewhere: unreachable: connection refused",
    ]


def test_outputs_come_from_cdk_deploys_outputs_file(tmp_path: Path) -> None:
    path = tmp_path / "cdk-outputs.json"
    path.write_text(json.dumps({"Service-dev": {"ApiUrlX": API_URL}}))
    assert outputs_from_file(path, "Service-dev") == {"ApiUrlX": API_URL}
    with pytest.raises(KeyError):
        outputs_from_file(path, "Service-prod")


def test_a_stack_without_front_door_passes_without_calls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cdk-outputs.json"
    path.write_text(json.dumps({"Service-dev": {}}))
    assert main(["Service-dev", "--outputs-file", str(path)]) == 0
    assert "nothing to call" in capsys.readouterr().out


# --- the signed-in round trip ----------------------------------------------------------------

POOL_ID = "eu-west-1_AbC123"
SIGNED_IN = SignedInCheck(API_URL, POOL_ID, "client123")
USER, PASSWORD = "smoke-test-0123@example.com", "random-Password-1!"
NO_PROFILE = Response(404, "", '{"statusCode":404,"message":"user abc does not exist"}')


class CognitoStub:
    """The four calls of a boto3 cognito-idp client the round trip makes, recorded."""

    def __init__(self, failing: str = "", answer: dict[str, Any] | None = None) -> None:
        self.failing = failing
        self.answer = answer or {"AuthenticationResult": {"AccessToken": "token123"}}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _call(self, name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((name, kwargs))
        if name == self.failing:
            raise RuntimeError(f"{name} denied")
        return self.answer if name == "admin_initiate_auth" else {}

    def admin_create_user(self, **kwargs: Any) -> dict[str, Any]:
        return self._call("admin_create_user", kwargs)

    def admin_set_user_password(self, **kwargs: Any) -> dict[str, Any]:
        return self._call("admin_set_user_password", kwargs)

    def admin_initiate_auth(self, **kwargs: Any) -> dict[str, Any]:
        return self._call("admin_initiate_auth", kwargs)

    def admin_delete_user(self, **kwargs: Any) -> dict[str, Any]:
        return self._call("admin_delete_user", kwargs)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


def _credentials() -> tuple[str, str]:
    return USER, PASSWORD


def test_the_round_trip_needs_the_api_and_the_user_pool_in_the_outputs() -> None:
    outputs = {
        "ApiUrl8D4A1B2C": API_URL,
        "UserPoolUserPoolId1A2B": POOL_ID,
        "UserPoolUserPoolClientId3C4D": "client123",
    }
    assert signed_in_check(outputs) == SIGNED_IN
    assert signed_in_check({"ApiUrl8D4A1B2C": API_URL}) is None
    assert SIGNED_IN.call.url == API_URL + "me"


def test_a_round_trip_creates_signs_in_calls_and_deletes_the_user() -> None:
    cognito = CognitoStub()
    seen: list[tuple[str, Mapping[str, str]]] = []

    def get(url: str, headers: Mapping[str, str]) -> Response:
        seen.append((url, headers))
        return NO_PROFILE

    assert round_trip(SIGNED_IN, cognito, get, _credentials) == []
    assert cognito.names == [
        "admin_create_user",
        "admin_set_user_password",
        "admin_initiate_auth",
        "admin_delete_user",
    ]
    created, password, sign_in, deleted = (kwargs for _, kwargs in cognito.calls)
    assert created["MessageAction"] == "SUPPRESS"
    assert created["Username"] == USER
    assert password == {
        "UserPoolId": POOL_ID,
        "Username": USER,
        "Password": PASSWORD,
        "Permanent": True,
    }
    assert sign_in["AuthFlow"] == "ADMIN_USER_PASSWORD_AUTH"
    assert sign_in["ClientId"] == "client123"
    assert sign_in["AuthParameters"] == {"USERNAME": USER, "PASSWORD": PASSWORD}
    assert deleted == {"UserPoolId": POOL_ID, "Username": USER}
    assert seen == [(API_URL + "me", {"Authorization": "Bearer token123"})]


@pytest.mark.parametrize(
    ("failing", "skipped"),
    [
        ("admin_set_user_password", ["admin_initiate_auth"]),
        ("admin_initiate_auth", []),
    ],
)
def test_a_failing_step_is_reported_and_the_user_still_deleted(
    failing: str, skipped: list[str]
) -> None:
    cognito = CognitoStub(failing=failing)
    calls: list[str] = []

    def get(url: str, headers: Mapping[str, str]) -> Response:
        calls.append(url)
        return NO_PROFILE

    [failure] = round_trip(SIGNED_IN, cognito, get, _credentials)
    assert f"{failing} denied" in failure
    assert calls == []
    assert cognito.names[-1] == "admin_delete_user"
    assert not set(skipped) & set(cognito.names)


def test_a_challenge_instead_of_tokens_fails_the_sign_in() -> None:
    cognito = CognitoStub(answer={"ChallengeName": "MFA_SETUP", "Session": "s"})
    failures = round_trip(SIGNED_IN, cognito, lambda url, headers: NO_PROFILE, _credentials)
    assert failures == ["sign it in: answered MFA_SETUP instead of tokens"]
    assert cognito.names[-1] == "admin_delete_user"


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (Response(401, "", '{"message":"Unauthorized"}'), "answered 401, expected 404"),
        (Response(404, "", '{"message":"Not Found"}'), "lacks"),
    ],
)
def test_the_user_is_deleted_when_the_api_call_fails(answer: Response, problem: str) -> None:
    cognito = CognitoStub()
    [failure] = round_trip(SIGNED_IN, cognito, lambda url, headers: answer, _credentials)
    assert failure.startswith("API GET /me signed in: ")
    assert problem in failure
    assert cognito.names[-1] == "admin_delete_user"


def test_the_user_is_deleted_when_the_api_is_unreachable() -> None:
    cognito = CognitoStub()

    def get(url: str, headers: Mapping[str, str]) -> Response:
        raise OSError("connection reset")

    assert round_trip(SIGNED_IN, cognito, get, _credentials) == [
        "API GET /me signed in: unreachable: connection reset"
    ]
    assert cognito.names[-1] == "admin_delete_user"


def test_a_user_that_was_not_created_is_not_deleted() -> None:
    cognito = CognitoStub(failing="admin_create_user")
    [failure] = round_trip(SIGNED_IN, cognito, lambda url, headers: NO_PROFILE, _credentials)
    assert failure == "create test user: RuntimeError: admin_create_user denied"
    assert cognito.names == ["admin_create_user"]


def test_a_failing_delete_is_reported() -> None:
    cognito = CognitoStub(failing="admin_delete_user")
    assert round_trip(SIGNED_IN, cognito, lambda url, headers: NO_PROFILE, _credentials) == [
        "delete test user: RuntimeError: admin_delete_user denied"
    ]


def test_a_random_user_and_password_each_time() -> None:
    (user, password), (other, _) = throwaway_credentials(), throwaway_credentials()
    assert user != other
    assert user.endswith("@example.com")
    assert len(password) >= 12
    assert any(c.islower() for c in password)
    assert any(c.isupper() for c in password)
    assert any(c.isdigit() for c in password)
    assert any(not c.isalnum() for c in password)
