/** What every function of the service is told about logging, in every environment. */
import { ENVIRONMENT_NAMES, ENVIRONMENTS, SERVICE_NAME } from '../../infra/settings';
import { serviceTemplate } from './harness';
import { at, resources } from './resources';

describe.each(ENVIRONMENT_NAMES)('logging of the functions of %s', (environment) => {
  const settings = ENVIRONMENTS[environment];

  test("each logs at the environment's level, and a sample of its invocations at DEBUG", () => {
    const functions = resources(serviceTemplate(environment), 'AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: SERVICE_NAME } },
    });
    expect(functions.size).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      const variables = at(fn.Properties, 'Environment', 'Variables');
      expect({ id, variables }).toEqual({
        id,
        variables: expect.objectContaining({
          POWERTOOLS_LOG_LEVEL: settings.logLevel,
          POWERTOOLS_LOGGER_SAMPLE_RATE: String(settings.logSampleRate),
        }) as unknown,
      });
    }
  });

  test('the sample is a share of the invocations, never all of them', () => {
    expect(settings.logSampleRate).toBeGreaterThan(0);
    expect(settings.logSampleRate).toBeLessThan(1);
  });
});
