/**
 * The environment variables the stack sets on the functions, and the settings read from them.
 *
 * The names are spelled here only: the CDK constructs (infra/constructs/) import them to set the
 * variables, and the code and tests that read the variables import them from here too. Nothing
 * but the standard library is imported here, which keeps cold starts short and lets the CDK app
 * import it.
 *
 * A handler loads its settings once per execution environment, at import, and fails at once,
 * naming every variable that is missing or wrong. Powertools reads its own variables
 * (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, ...) itself.
 */

/** Names of the variables the stack sets on the functions that need them. */
export const EnvironmentVariables = {
  TABLE_NAME: 'TABLE_NAME',
} as const;

/** The name of one of those variables. */
export type EnvironmentVariable = (typeof EnvironmentVariables)[keyof typeof EnvironmentVariables];

/** What the API's function reads from its environment. */
export interface ApiSettings {
  readonly tableName: string;
}

/** Variables a function needs that are missing or unusable: the stack that deployed it is wrong. */
export class InvalidSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `${problems.join('; ')}; the service stack sets these variables on each function that ` +
        'needs them (see infra/constructs/)',
    );
    this.name = 'InvalidSettingsError';
  }
}

/** Reads variables, noting each problem: `check` then throws them all at once. */
class Reader {
  readonly problems: string[] = [];

  constructor(private readonly environment: NodeJS.ProcessEnv) {}

  // Each name is checked against EnvironmentVariables by its type, so the bundle need not carry
  // the table.
  required(name: EnvironmentVariable): string {
    const value = this.environment[name];
    if (!value) {
      this.problems.push(`environment variable ${name} is not set`);
      return '';
    }
    return value;
  }

  /** The settings, or InvalidSettingsError naming every problem: one deploy fixes them all. */
  check<Settings>(settings: Settings): Settings {
    if (this.problems.length > 0) {
      throw new InvalidSettingsError(this.problems);
    }
    return settings;
  }
}

export function apiSettings(environment: NodeJS.ProcessEnv = process.env): ApiSettings {
  const read = new Reader(environment);
  return read.check({
    tableName: read.required('TABLE_NAME'),
  });
}
