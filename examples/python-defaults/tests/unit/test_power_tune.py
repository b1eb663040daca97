"""`make power-tune`, offline: CloudFormation and Step Functions stubbed with botocore's Stubber."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from scripts.power_tune import (
    FUNCTIONS,
    INVOCATIONS,
    POWER_VALUES,
    TOOL_OUTPUT,
    TOOL_STACK,
    PowerTuningError,
    Service,
    execution_input,
    function_arn,
    main,
    payload,
    state_machine_arn,
    tune,
)

STACK = "OrdersService-dev"
STACK_ID = f"arn:aws:cloudformation:eu-west-1:111122223333:stack/{STACK}/0a1b2c3d"
FUNCTION = next(iter(FUNCTIONS))
FUNCTION_NAME = f"{STACK}-{FUNCTIONS[FUNCTION]}-AbCdEf123456"
MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:powerTuningStateMachine-x1"
EXECUTION = "arn:aws:states:eu-west-1:111122223333:execution:powerTuningStateMachine-x1:run-1"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
RESULTS = {
    "power": 512,
    "cost": 0.0000008332,
    "duration": 23.77,
    "stateMachine": {
        "executionCost": 0.0003,
        "lambdaCost": 0.0011,
        "visualization": "https://lambda-power-tuning.show/#gAAAAQACAAQABsAL;IQnh;EanfNBGp",
    },
}


def _client(service: Service) -> Any:
    return boto3.client(
        service,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def cloudformation() -> Iterator[tuple[Any, Stubber]]:
    client = _client("cloudformation")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def stepfunctions() -> Iterator[tuple[Any, Stubber]]:
    client = _client("stepfunctions")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _resource(logical_id: str, physical_id: str, resource_type: str) -> dict[str, Any]:
    return {
        "LogicalResourceId": logical_id,
        "PhysicalResourceId": physical_id,
        "ResourceType": resource_type,
        "LastUpdatedTimestamp": NOW,
        "ResourceStatus": "CREATE_COMPLETE",
    }


def _stack(name: str, outputs: dict[str, str] | None = None) -> dict[str, Any]:
    stack: dict[str, Any] = {
        "StackName": name,
        "StackId": STACK_ID,
        "CreationTime": NOW,
        "StackStatus": "CREATE_COMPLETE",
    }
    if outputs is not None:
        stack["Outputs"] = [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()]
    return {"Stacks": [stack]}


def _stack_resources(stubber: Stubber, *resources: dict[str, Any]) -> None:
    # Two pages: the paginator must follow NextToken.
    stubber.add_response(
        "list_stack_resources",
        {"StackResourceSummaries": list(resources[:1]), "NextToken": "page-2"},
        {"StackName": STACK},
    )
    stubber.add_response(
        "list_stack_resources",
        {"StackResourceSummaries": list(resources[1:])},
        {"StackName": STACK, "NextToken": "page-2"},
    )


def _execution(status: str, **fields: Any) -> dict[str, Any]:
    return {
        "executionArn": EXECUTION,
        "stateMachineArn": MACHINE,
        "status": status,
        "startDate": NOW,
        **fields,
    }


def test_the_function_is_found_among_the_stacks_resources(
    cloudformation: tuple[Any, Stubber],
) -> None:
    client, stubber = cloudformation
    _stack_resources(
        stubber,
        _resource(
            "LogRetentionaae0aa3c5b4d4f87",
            "OrdersService-dev-LogRetention-1",
            "AWS::Lambda::Function",
        ),
        _resource(FUNCTIONS[FUNCTION] + "Role0A1B2C3D", "role", "AWS::IAM::Role"),
        _resource(FUNCTIONS[FUNCTION] + "5F4E3D2C", FUNCTION_NAME, "AWS::Lambda::Function"),
    )
    stubber.add_response("describe_stacks", _stack(STACK), {"StackName": STACK})
    assert function_arn(client, STACK, FUNCTION) == (
        f"arn:aws:lambda:eu-west-1:111122223333:function:{FUNCTION_NAME}"
    )


def test_an_unknown_function_is_refused_with_the_known_ones(
    cloudformation: tuple[Any, Stubber],
) -> None:
    client, _ = cloudformation
    with pytest.raises(
        PowerTuningError, match="unknown function 'nope': FUNCTION is one of"
    ) as error:
        function_arn(client, STACK, "nope")
    assert all(name in str(error.value) for name in FUNCTIONS)


def test_a_stack_without_the_function_asks_for_a_deploy(
    cloudformation: tuple[Any, Stubber],
) -> None:
    client, stubber = cloudformation
    _stack_resources(stubber, _resource("Other5F4E3D2C", "other", "AWS::Lambda::Function"))
    stubber.add_response("describe_stacks", _stack(STACK), {"StackName": STACK})
    with pytest.raises(PowerTuningError, match=f"holds no {FUNCTION} function: deploy it first"):
        function_arn(client, STACK, FUNCTION)


def test_a_missing_stack_is_reported_in_one_line(cloudformation: tuple[Any, Stubber]) -> None:
    client, stubber = cloudformation
    stubber.add_client_error(
        "list_stack_resources", "ValidationError", f"Stack with id {STACK} does not exist"
    )
    with pytest.raises(PowerTuningError, match=f"cannot read the stack {STACK}: Stack with id"):
        function_arn(client, STACK, FUNCTION)


def test_a_given_state_machine_is_used_as_is(cloudformation: tuple[Any, Stubber]) -> None:
    client, _ = cloudformation
    assert state_machine_arn(client, MACHINE) == MACHINE


def test_the_state_machine_comes_from_the_tools_stack(cloudformation: tuple[Any, Stubber]) -> None:
    client, stubber = cloudformation
    stubber.add_response(
        "describe_stacks", _stack(TOOL_STACK, {TOOL_OUTPUT: MACHINE}), {"StackName": TOOL_STACK}
    )
    assert state_machine_arn(client, None) == MACHINE


@pytest.mark.parametrize("outputs", [None, {"SomethingElse": "x"}])
def test_without_the_tool_the_message_says_how_to_get_it(
    cloudformation: tuple[Any, Stubber], outputs: dict[str, str] | None
) -> None:
    client, stubber = cloudformation
    if outputs is None:
        stubber.add_client_error(
            "describe_stacks", "ValidationError", f"Stack with id {TOOL_STACK} does not exist"
        )
    else:
        stubber.add_response("describe_stacks", _stack(TOOL_STACK, outputs))
    with pytest.raises(PowerTuningError, match="set POWER_TUNING_STATE_MACHINE_ARN, or deploy"):
        state_machine_arn(client, None)


def test_the_payload_is_the_functions_file_or_an_empty_event(tmp_path: Path) -> None:
    (tmp_path / "api.json").write_text('{"rawPath": "/health"}')
    assert payload("api", tmp_path) == {"rawPath": "/health"}
    assert payload("daily-report", tmp_path) == {}
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(PowerTuningError, match=r"broken\.json is not JSON"):
        payload("broken", tmp_path)


def test_the_input_names_the_function_sizes_invocations_and_strategy() -> None:
    tuning_input = execution_input("arn:fn", {"a": 1}, "speed")
    assert tuning_input == {
        "lambdaARN": "arn:fn",
        "powerValues": list(POWER_VALUES),
        "num": INVOCATIONS,
        "payload": {"a": 1},
        "strategy": "speed",
    }


def test_tune_waits_for_the_execution_and_returns_its_results(
    stepfunctions: tuple[Any, Stubber],
) -> None:
    client, stubber = stepfunctions
    tuning_input = execution_input("arn:fn", {}, "cost")
    stubber.add_response(
        "start_execution",
        {"executionArn": EXECUTION, "startDate": NOW},
        {"stateMachineArn": MACHINE, "input": json.dumps(tuning_input)},
    )
    stubber.add_response("describe_execution", _execution("RUNNING"), {"executionArn": EXECUTION})
    stubber.add_response(
        "describe_execution",
        _execution("SUCCEEDED", output=json.dumps({"results": RESULTS})),
        {"executionArn": EXECUTION},
    )
    waits: list[float] = []
    assert tune(client, MACHINE, tuning_input, sleep=waits.append) == RESULTS
    assert len(waits) == 1


def test_a_failed_execution_says_why(stepfunctions: tuple[Any, Stubber]) -> None:
    client, stubber = stepfunctions
    stubber.add_response("start_execution", {"executionArn": EXECUTION, "startDate": NOW})
    stubber.add_response(
        "describe_execution",
        _execution("FAILED", error="Lambda.Unknown", cause="The function errored on its payload"),
    )
    with pytest.raises(PowerTuningError, match=r"the tuning failed: Lambda\.Unknown: The function"):
        tune(client, MACHINE, {}, sleep=lambda _: None)


def test_main_prints_the_chosen_size_and_the_charts(
    cloudformation: tuple[Any, Stubber],
    stepfunctions: tuple[Any, Stubber],
    capsys: pytest.CaptureFixture[str],
) -> None:
    (cloudformation_client, cloudformation_stub), (stepfunctions_client, stepfunctions_stub) = (
        cloudformation,
        stepfunctions,
    )
    _stack_resources(
        cloudformation_stub,
        _resource(FUNCTIONS[FUNCTION] + "5F4E3D2C", FUNCTION_NAME, "AWS::Lambda::Function"),
    )
    cloudformation_stub.add_response("describe_stacks", _stack(STACK), {"StackName": STACK})
    stepfunctions_stub.add_response(
        "start_execution", {"executionArn": EXECUTION, "startDate": NOW}
    )
    stepfunctions_stub.add_response(
        "describe_execution", _execution("SUCCEEDED", output=json.dumps(RESULTS))
    )
    clients = {"cloudformation": cloudformation_client, "stepfunctions": stepfunctions_client}
    argv = [FUNCTION, "--stack", STACK, "--state-machine-arn", MACHINE]
    assert main(argv, clients.__getitem__) == 0
    printed = capsys.readouterr().out
    assert "Cost strategy: 512 MiB" in printed
    assert RESULTS["stateMachine"]["visualization"] in printed  # type: ignore[index]
    assert f"set {FUNCTION.replace('-', '_')}_memory_mib in infra/settings.py" in printed


def test_main_without_the_tool_fails_with_the_reason(
    cloudformation: tuple[Any, Stubber],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("POWER_TUNING_STATE_MACHINE_ARN", raising=False)
    client, stubber = cloudformation
    _stack_resources(
        stubber, _resource(FUNCTIONS[FUNCTION] + "5F4E3D2C", FUNCTION_NAME, "AWS::Lambda::Function")
    )
    stubber.add_response("describe_stacks", _stack(STACK), {"StackName": STACK})
    stubber.add_client_error("describe_stacks", "ValidationError", "does not exist")
    assert main([FUNCTION, "--stack", STACK], lambda _: client) == 1
    assert "power-tune: no AWS Lambda Power Tuning state machine" in capsys.readouterr().err
