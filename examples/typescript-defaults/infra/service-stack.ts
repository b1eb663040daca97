/** The service in one environment: each concern is a construct, composed here. */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

import { Api } from './constructs/api';
import { Dashboard } from './constructs/dashboard';
import { Data } from './constructs/data';
import { Monitoring } from './constructs/monitoring';
import { UserPool } from './constructs/user-pool';
import type { EnvironmentSettings } from './settings';

export interface ServiceStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
}

export class ServiceStack extends Stack {
  readonly monitoring: Monitoring;
  readonly data: Data;
  readonly userPool: UserPool;
  readonly api: Api;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.monitoring = new Monitoring(this, 'Monitoring', { settings });
    this.data = new Data(this, 'Data', { settings, monitoring: this.monitoring });
    this.userPool = new UserPool(this, 'UserPool', { settings });
    this.api = new Api(this, 'Api', {
      settings,
      monitoring: this.monitoring,
      authorizer: this.userPool.authorizer,
      data: this.data,
    });
    // Last: it shows every alarm and resource created above.
    this.dashboard = new Dashboard(this, 'Dashboard', {
      settings,
      monitoring: this.monitoring,
      api: this.api,
      data: this.data,
    });
  }
}
