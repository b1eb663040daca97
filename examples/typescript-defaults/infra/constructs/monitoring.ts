/** Where alarms go: one SNS topic per environment that the on-call subscribes to. */
import type { IAlarmAction, Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { acknowledge } from '../compliance';
import type { EnvironmentSettings } from '../settings';

export interface MonitoringProps {
  readonly settings: EnvironmentSettings;
}

export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  /** Every alarm sent to the topic, in the order notifyOn got them. */
  readonly alarms: Alarm[] = [];
  private readonly action: IAlarmAction;

  constructor(scope: Construct, id: string, { settings }: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `Alarms (${settings.name})`,
      enforceSSL: true,
    });
    acknowledge(
      this.alarmTopic,
      'AwsSolutions-SNS2',
      'Alarm notifications carry only alarm names and states. CloudWatch cannot publish to a ' +
        'topic encrypted with the AWS managed SNS key, and a customer managed key would cost ' +
        'more than the data it protects.',
    );
    this.action = new SnsAction(this.alarmTopic);
  }

  /** Send alarm and recovery notifications of these alarms to the on-call topic. */
  notifyOn(...alarms: Alarm[]): void {
    for (const alarm of alarms) {
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
      this.alarms.push(alarm);
    }
  }
}
