/**
 * Placeholder settings for the API's modules, which create SDK clients and read their settings
 * at import: scripts/openapi.ts imports them to describe the routes, and calls nothing. Values
 * already set are kept.
 */
import { EnvironmentVariables } from '../service/settings';

process.env['AWS_REGION'] ??= 'us-east-1';
for (const name of Object.values(EnvironmentVariables)) {
  process.env[name] ??= '1';
}
