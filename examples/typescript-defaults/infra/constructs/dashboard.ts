/**
 * The environment's CloudWatch dashboard, built with cdk-monitoring-constructs: the state of
 * every alarm of the stack first, then the golden signals of each part of the service.
 *
 * Where to look first when paged: the alarm that fired is in the top row, and the section of
 * its resource shows since when and how much. The stack's DashboardUrl output links to it.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { AlarmStatusWidget, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { DefaultDashboardFactory, MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';

import { SERVICE_NAME, STACK_PREFIX, type EnvironmentSettings } from '../settings';
import type { Api } from './api';
import type { Data } from './data';
import type { ServiceFunction } from './function';
import type { Monitoring } from './monitoring';

// The alarm widget's tiles: four to a row of the dashboard's full width, below its title.
const ALARMS_PER_ROW = 4;

export interface DashboardProps {
  readonly settings: EnvironmentSettings;
  /** Holds every alarm of the stack by the time the dashboard is made. */
  readonly monitoring: Monitoring;
  readonly api: Api;
  readonly data: Data;
}

export class Dashboard extends Construct {
  private readonly facade: MonitoringFacade;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const { settings } = props;
    // The dashboard's own name: the library names its detail dashboard after the prefix.
    const name = `${STACK_PREFIX}-${settings.name}`;
    this.facade = new MonitoringFacade(this, 'Facade', {
      // Where the functions' Powertools metrics go (POWERTOOLS_METRICS_NAMESPACE).
      metricFactoryDefaults: { namespace: STACK_PREFIX },
      dashboardFactory: new DefaultDashboardFactory(this, 'Factory', {
        dashboardNamePrefix: name,
        createDashboard: true,
        createSummaryDashboard: false,
        createAlarmDashboard: false,
      }),
    });
    const facade = this.facade;
    facade.addLargeHeader(`${SERVICE_NAME} in ${settings.name}`);
    // Every alarm the stack sends to the on-call, all created before this construct.
    const { alarms } = props.monitoring;
    facade.addWidget(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms,
        width: 24,
        height: 1 + Math.ceil(alarms.length / ALARMS_PER_ROW),
      }),
    );
    facade.monitorApiGatewayV2HttpApi({
      api: props.api.httpApi,
      humanReadableName: 'HTTP API',
      alarmFriendlyName: 'HttpApi',
    });
    // The API's function, by the construct it serves.
    const functions = new Map<string, ServiceFunction>([['Api', props.api.handler]]);
    this.monitorFunctions(functions);
    facade.monitorDynamoTable({
      table: props.data.table,
      humanReadableName: 'DynamoDB table',
      alarmFriendlyName: 'Table',
    });

    const region = Stack.of(this).region;
    new CfnOutput(this, 'Url', {
      value: `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`,
      description: 'CloudWatch dashboard of the service in this environment',
    });
  }

  /** Errors, duration, invocations and throttles of each function, then what they run at once. */
  private monitorFunctions(functions: ReadonlyMap<string, ServiceFunction>): void {
    for (const [name, serviceFunction] of functions) {
      this.facade.monitorLambdaFunction({
        lambdaFunction: serviceFunction.function,
        humanReadableName: `${name} function`,
        alarmFriendlyName: name,
        // No function of this service reads a stream.
        isIterator: false,
      });
    }
    this.facade.monitorCustom({
      humanReadableName: 'Concurrency and cold starts',
      alarmFriendlyName: 'ConcurrencyAndColdStarts',
      metricGroups: [
        {
          title: 'Concurrent executions',
          metrics: [...functions].map(([name, serviceFunction]) =>
            serviceFunction.function.metric('ConcurrentExecutions', {
              statistic: Stats.MAXIMUM,
              label: name,
            }),
          ),
        },
        {
          // What Powertools' metrics utility records on each cold start.
          title: 'Cold starts',
          metrics: [...functions].map(
            ([name, serviceFunction]) =>
              new Metric({
                namespace: STACK_PREFIX,
                metricName: 'ColdStart',
                dimensionsMap: {
                  function_name: serviceFunction.function.functionName,
                  service: SERVICE_NAME,
                },
                statistic: Stats.SUM,
                label: name,
              }),
          ),
        },
      ],
    });
  }
}
