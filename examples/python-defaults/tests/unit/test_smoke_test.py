"""The smoke test's logic, offline: checks from a stub of the stack's outputs, HTTP stubbed too."""

import json
from pathlib import Path

import pytest

from scripts.smoke_test import Check, Response, checks, main, outputs_from_file, run

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
