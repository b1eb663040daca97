"""The service stack in every environment."""

from aws_cdk.assertions import Template


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
