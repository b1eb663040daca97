"""Where alarms go: one SNS topic per environment that the on-call subscribes to.

Monitoring also keeps every alarm it notifies on, for the dashboard's alarm status.
"""

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.compliance import acknowledge
from infra.settings import EnvironmentSettings


class Monitoring(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, settings: EnvironmentSettings
    ) -> None:
        super().__init__(scope, construct_id)
        self.alarm_topic = sns.Topic(
            self,
            "AlarmTopic",
            display_name=f"Alarms ({settings.name})",
            enforce_ssl=True,
        )
        acknowledge(
            self.alarm_topic,
            "AwsSolutions-SNS2",
            (
                "Alarm notifications carry only alarm names and states. CloudWatch cannot publish "
                "to a topic encrypted with the AWS managed SNS key, and a customer managed key "
                "would cost more than the data it protects."
            ),
        )
        self._action = cloudwatch_actions.SnsAction(self.alarm_topic)
        # Every alarm of the stack, in the order constructs passed them to notify_on.
        self.alarms: list[cloudwatch.Alarm] = []

    def notify_on(self, *alarms: cloudwatch.Alarm) -> None:
        """Send alarm and recovery notifications of these alarms to the on-call topic."""
        for alarm in alarms:
            alarm.add_alarm_action(self._action)
            alarm.add_ok_action(self._action)
        self.alarms.extend(alarms)
