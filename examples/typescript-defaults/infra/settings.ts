/**
 * What the service is, and what differs between its environments, as data.
 *
 * Constructs read these settings; none of them branches on an environment's name.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Mfa } from 'aws-cdk-lib/aws-cognito';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const SERVICE_NAME = 'orders-service';
export const STACK_PREFIX = 'OrdersService';
export const TEAM = 'platform';
export const GITHUB_REPOSITORY = 'acme/orders-service';
export const ALLOWED_ORIGINS: readonly string[] = ['https://app.example.com'];
// Prod's monthly budget in US dollars; each environment's is its monthlyBudgetShare of it.
export const MONTHLY_BUDGET_USD = 100;
// Where AWS Budgets and Cost Explorer resources live, whatever REGION.
export const COST_REGION = 'us-east-1';

export type EnvironmentName = 'dev' | 'prod';

export interface EnvironmentSettings {
  readonly name: EnvironmentName;
  /** The AWS account the stack is pinned to; undefined: the account of the deploying credentials. */
  readonly account: string | undefined;
  /** `cdk bootstrap --qualifier` of the bootstrap roles that deploy this environment, and only it. */
  readonly bootstrapQualifier: string;
  /** What deleting the stack does to the data stores, logs and secrets. */
  readonly removalPolicy: RemovalPolicy;
  /** CloudFormation refuses to delete the stack where the data is protected. */
  readonly terminationProtection: boolean;
  /** The log groups' retention, as CDK's enum. */
  readonly logRetention: RetentionDays;
  /** Days every log is kept. */
  readonly logRetentionDays: number;
  /** The functions' and container's log level. */
  readonly logLevel: string;
  /** Share of function invocations that log at DEBUG whatever the log level (Powertools' log sampling). */
  readonly logSampleRate: number;
  /** Errors per 5 minutes that raise an alarm. */
  readonly alarmErrorThreshold: number;
  /** Concurrent executions reserved for each function. */
  readonly reservedConcurrency: number;
  /** Warm instances of the API function's alias `live`; 0 for none. */
  readonly provisionedConcurrency: number;
  /** P99 duration above which a function's alarm fires. */
  readonly alarmP99DurationMs: number;
  /** Memory of the API function (and its CPU, which Lambda scales with it); `make power-tune FUNCTION=api` measures the best. */
  readonly apiMemoryMib: number;
  /** Steady requests per second the API stage admits. */
  readonly apiThrottleRateLimit: number;
  /** Requests the API stage admits in a burst. */
  readonly apiThrottleBurstLimit: number;
  /** Continuous backups of the table. */
  readonly pointInTimeRecovery: boolean;
  /** The table refuses deletion. */
  readonly deletionProtection: boolean;
  /** Whether users must sign in with a second factor (an authenticator app). */
  readonly userPoolMfa: Mfa;
  /** The user pool refuses deletion. */
  readonly userPoolDeletionProtection: boolean;
  /** `make smoke` also signs a throwaway user in and calls the API with its token (the deploy role may then create, sign in and delete users of the pool). */
  readonly smokeSignedIn: boolean;
  /** The environment's monthly AWS Budgets budget, as a share of `monthly_budget_usd` (the cost stack's MONTHLY_BUDGET_USD). */
  readonly monthlyBudgetShare: number;
  /** Percentages of the budget that the month's actual spend alerts at. */
  readonly budgetActualAlertsPercent: readonly number[];
  /** Percentages of the budget that the month's forecast spend alerts at. */
  readonly budgetForecastAlertsPercent: readonly number[];
}

/** Every environment's settings, by name, in promotion order. */
export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentSettings>> = Object.freeze({
  dev: Object.freeze<EnvironmentSettings>({
    name: 'dev',
    account: undefined,
    bootstrapQualifier: 'de54cdfbca',
    removalPolicy: RemovalPolicy.DESTROY,
    terminationProtection: false,
    logRetention: RetentionDays.TWO_WEEKS,
    logRetentionDays: 14,
    logLevel: 'DEBUG',
    logSampleRate: 0.5,
    alarmErrorThreshold: 5,
    reservedConcurrency: 10,
    provisionedConcurrency: 0,
    alarmP99DurationMs: 2500,
    apiMemoryMib: 512,
    apiThrottleRateLimit: 20,
    apiThrottleBurstLimit: 40,
    pointInTimeRecovery: false,
    deletionProtection: false,
    userPoolMfa: Mfa.OPTIONAL,
    userPoolDeletionProtection: false,
    smokeSignedIn: true,
    monthlyBudgetShare: 0.25,
    budgetActualAlertsPercent: [100],
    budgetForecastAlertsPercent: [150],
  }),
  prod: Object.freeze<EnvironmentSettings>({
    name: 'prod',
    account: undefined,
    bootstrapQualifier: 'pe54cdfbca',
    removalPolicy: RemovalPolicy.RETAIN,
    terminationProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    logRetentionDays: 365,
    logLevel: 'INFO',
    logSampleRate: 0.01,
    alarmErrorThreshold: 1,
    reservedConcurrency: 100,
    provisionedConcurrency: 2,
    alarmP99DurationMs: 1500,
    apiMemoryMib: 512,
    apiThrottleRateLimit: 500,
    apiThrottleBurstLimit: 1000,
    pointInTimeRecovery: true,
    deletionProtection: true,
    userPoolMfa: Mfa.REQUIRED,
    userPoolDeletionProtection: true,
    smokeSignedIn: false,
    monthlyBudgetShare: 1.0,
    budgetActualAlertsPercent: [80, 100],
    budgetForecastAlertsPercent: [100],
  }),
});

export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = ['dev', 'prod'];

/** The settings of the environment with this name; anything else is a mistake worth stopping on. */
export function environmentSettings(name: string): EnvironmentSettings {
  const settings = Object.values(ENVIRONMENTS).find((candidate) => candidate.name === name);
  if (settings === undefined) {
    throw new Error(`unknown environment '${name}': one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  return settings;
}

/** A CI identity stack: the deploy roles of the environments in one account. */
export interface CiIdentity {
  readonly stackName: string;
  readonly account: string | undefined;
  readonly environments: readonly EnvironmentName[];
}

export const CI_IDENTITIES: readonly CiIdentity[] = [
  {
    stackName: 'OrdersService-ci',
    account: undefined,
    environments: ['dev', 'prod'],
  },
];

/** A cost stack: the budgets of the environments in one account, and its anomaly monitor. */
export interface CostStack {
  readonly stackName: string;
  readonly account: string | undefined;
  readonly environments: readonly EnvironmentName[];
}

export const COST_STACKS: readonly CostStack[] = [
  {
    stackName: 'OrdersService-cost',
    account: undefined,
    environments: ['dev', 'prod'],
  },
];

export function stackName(environment: string): string {
  return `${STACK_PREFIX}-${environment}`;
}
