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

/** Reads every setting, then reports every problem at once, so that one deploy fixes them all. */
class Reader {
  readonly problems: string[] = [];

  constructor(private readonly environment: NodeJS.ProcessEnv) {}

  required(name: string): string {
    const value = this.environment[name];
    if (!value) {
      this.problems.push(`environment variable ${name} is not set`);
      return '';
    }
    return value;
  }
}

export function apiSettings(environment: NodeJS.ProcessEnv = process.env): ApiSettings {
  const read = new Reader(environment);
  const settings: ApiSettings = {
    tableName: read.required(EnvironmentVariables.TABLE_NAME),
  };
  if (read.problems.length > 0) {
    throw new InvalidSettingsError(read.problems);
  }
  return settings;
}
