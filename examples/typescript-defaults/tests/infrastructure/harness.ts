/**
 * The project's app, synthesized once per test run, and its templates for the assertions.
 *
 * Jest gives every test file modules of its own, so the global setup (synthesize.ts) synthesizes
 * the app once, before any test file runs, into a folder that the tests read the templates from.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { Template } from 'aws-cdk-lib/assertions';
import { stackName, type EnvironmentName } from '../../infra/settings';

// Where the global setup tells the test files about the synthesized assembly, or synth's failure.
export const ASSEMBLY_DIRECTORY = 'INFRASTRUCTURE_TESTS_ASSEMBLY';
export const SYNTH_ERROR = 'INFRASTRUCTURE_TESTS_SYNTH_ERROR';

/** The folder the global setup synthesized the app into; its failure fails every test using it. */
export function assemblyDirectory(): string {
  const error = process.env[SYNTH_ERROR];
  if (error !== undefined) {
    throw new Error(`synth failed: ${error}`);
  }
  const directory = process.env[ASSEMBLY_DIRECTORY];
  if (directory === undefined) {
    throw new Error('run the infrastructure tests through jest: its global setup synthesizes');
  }
  return directory;
}

const templates = new Map<string, Template>();

/** The synthesized template of a stack, by the stack's name. */
export function stackTemplate(name: string): Template {
  let template = templates.get(name);
  if (template === undefined) {
    const file = path.join(assemblyDirectory(), `${name}.template.json`);
    template = Template.fromJSON(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
    templates.set(name, template);
  }
  return template;
}

export function serviceTemplate(environment: EnvironmentName): Template {
  return stackTemplate(stackName(environment));
}
