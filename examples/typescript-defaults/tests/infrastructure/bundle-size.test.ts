/**
 * Every function's bundle, as synth wrote it: small, because the AWS SDK comes with the runtime
 * and Powertools with its layer, and esbuild shakes off the rest.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';

import type { Template } from 'aws-cdk-lib/assertions';

import { ENVIRONMENT_NAMES, SERVICE_NAME } from '../../infra/settings';
import { assemblyDirectory, serviceTemplate } from './harness';
import { resources, textAt } from './resources';

const MAX_BUNDLE_BYTES = 20 * 1024;

/** The size of each of the service's own functions' bundle, by the function's logical id. */
function bundleSizes(template: Template): Map<string, number> {
  const functions = resources(template, 'AWS::Lambda::Function', {
    Environment: { Variables: { POWERTOOLS_SERVICE_NAME: SERVICE_NAME } },
  });
  return new Map(
    [...functions].map(([logicalId, fn]) => {
      // A bundled asset's S3 key is its hash, which names its folder in the assembly.
      const hash = textAt(fn.Properties, 'Code', 'S3Key').replace(/\.zip$/, '');
      const bundle = path.join(assemblyDirectory(), `asset.${hash}`, 'index.mjs');
      return [logicalId, statSync(bundle).size];
    }),
  );
}

describe.each(ENVIRONMENT_NAMES)('the functions of %s', (environment) => {
  test('each bundle is an ES module of at most 20 KB', () => {
    const sizes = bundleSizes(serviceTemplate(environment));
    expect(sizes.size).toBeGreaterThan(0);
    // Any function over the limit, with its size.
    expect([...sizes].filter(([, size]) => size > MAX_BUNDLE_BYTES)).toEqual([]);
  });
});
