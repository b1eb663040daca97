/** Jest's global setup of the infrastructure tests: the project's app, synthesized once per run. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { App } from 'aws-cdk-lib';

import { buildApp, featureFlags } from '../../infra/app';
import { ASSEMBLY_DIRECTORY, SYNTH_ERROR } from './harness';

export default function synthesize(): void {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-assembly-'));
  // The test workers start after this and inherit the environment.
  process.env[ASSEMBLY_DIRECTORY] = outdir;
  // A deprecated CDK API fails the synth: an upgrade's deprecations show up here first.
  process.env['JSII_DEPRECATED'] = 'fail';
  try {
    // Synth throws if cdk-nag or the tag policy finds anything: every test that reads the
    // assembly then fails with the report, while the other projects' tests still run.
    buildApp(new App({ outdir, context: featureFlags() })).synth();
  } catch (error) {
    process.env[SYNTH_ERROR] = error instanceof Error ? error.message : String(error);
  }
}
