/** The service stack in every environment. */
import { ENVIRONMENT_NAMES, ENVIRONMENTS, SERVICE_NAME } from '../../infra/settings';
import { serviceTemplate } from './harness';
import { at, resources } from './resources';

describe.each(ENVIRONMENT_NAMES)('the %s service stack', (environment) => {
  test('the alarm topic refuses unencrypted transport', () => {
    const template = serviceTemplate(environment);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    });
  });

  test("every function logs a sample of its invocations at DEBUG, at the environment's rate", () => {
    const functions = resources(serviceTemplate(environment), 'AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: SERVICE_NAME } },
    });
    expect(functions.size).toBeGreaterThan(0);
    const rate = ENVIRONMENTS[environment].logSampleRate;
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThanOrEqual(1);
    for (const [id, fn] of functions) {
      const variables = at(fn.Properties, 'Environment', 'Variables');
      expect({ id, rate: at(variables, 'POWERTOOLS_LOGGER_SAMPLE_RATE') }).toEqual({
        id,
        rate: String(rate),
      });
    }
  });
});
