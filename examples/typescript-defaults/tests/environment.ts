/**
 * Set-up shared by every test: the AWS SDK talks to the local emulator, never to AWS.
 *
 * Loaded before each test file (jest's setupFiles) and by the emulator's global set-up, before
 * any handler is imported: handlers create their SDK clients and read their settings at import.
 */
import { EnvironmentVariables } from '../service/settings';

// The integration tests' global set-up points AWS_ENDPOINT_URL at the emulator it started; the
// other tests get an address where nothing listens, so that no request can reach AWS.
process.env['AWS_ENDPOINT_URL'] ??= 'http://127.0.0.1:9';
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_SERVICE_NAME: 'orders-service',
  POWERTOOLS_METRICS_NAMESPACE: 'OrdersService',
  POWERTOOLS_TRACE_DISABLED: 'true',
  // Metrics and logs of the handlers under test would only clutter the test output.
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  // What the stack passes to the functions; the integration tests create these resources in
  // the emulator.
  [EnvironmentVariables.TABLE_NAME]: 'orders-service-test',
});
