"""The service stack in every environment."""

from aws_cdk.assertions import Template

from infra.settings import ENVIRONMENTS


def test_alarm_topic_refuses_unencrypted_transport(service_template: Template) -> None:
    service_template.resource_count_is("AWS::SNS::Topic", 1)
    service_template.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Action": "sns:Publish",
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ]
            }
        },
    )


def test_every_function_logs_a_sample_of_its_invocations_at_debug_at_the_environments_rate(
    service_template: Template, environment: str
) -> None:
    functions = [
        function["Properties"]
        for function in service_template.find_resources("AWS::Lambda::Function").values()
        if function["Properties"].get("Handler", "").startswith("service.handlers.")
    ]
    assert functions
    rate = ENVIRONMENTS[environment].log_sample_rate
    assert 0 < rate <= 1
    for function in functions:
        variables = function["Environment"]["Variables"]
        assert variables["POWERTOOLS_LOGGER_SAMPLE_RATE"] == str(rate), function["Handler"]
