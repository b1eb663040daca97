/** The service stack in every environment. */
import { ENVIRONMENT_NAMES } from '../../infra/settings';
import { serviceTemplate } from './harness';

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
});
