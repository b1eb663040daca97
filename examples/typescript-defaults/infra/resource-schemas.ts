/**
 * CloudFormation's resource schemas, as cfn-lint ships them.
 *
 * `make install` installs cfn-lint into .venv for `make lint`; its data holds every resource
 * type's schema per region: the property a type takes its tags in, and the actions its handlers
 * call. The tag check (compliance.ts) and the execution policies (execution-policy.ts) read them
 * here, as the Python render's read them through cfn-lint's own API.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const VENV_LIB = path.resolve(__dirname, '..', '.venv', 'lib');

export type Handler = 'create' | 'read' | 'update' | 'delete' | 'list';

export interface ResourceSchema {
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly tagging?: { readonly taggable?: boolean; readonly tagProperty?: string };
  readonly handlers?: Partial<Record<Handler, { readonly permissions?: readonly string[] }>>;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

let dataDirectory: string | undefined;

/** cfn-lint's data folder in .venv/lib/python3.x/site-packages. */
function cfnLintData(): string {
  if (dataDirectory === undefined) {
    const candidates = existsSync(VENV_LIB) ? readdirSync(VENV_LIB) : [];
    dataDirectory = candidates
      .map((python) => path.join(VENV_LIB, python, 'site-packages', 'cfnlint', 'data'))
      .find((candidate) => existsSync(candidate));
    if (dataDirectory === undefined) {
      throw new Error(`cfn-lint's resource schemas are missing from ${VENV_LIB}: run make install`);
    }
  }
  return dataDirectory;
}

// A region's resource types, each with the hash that names its schema's file.
type Provider = Readonly<Record<string, string>>;

const providers = new Map<string, Provider>();
const schemas = new Map<string, ResourceSchema>();

/**
 * The schema of a resource type in a region, or undefined where the region lacks the type.
 *
 * Each region's provider file maps a type to the hash of its schema file, as cfn-lint reads them;
 * custom resources all share CloudFormation's CustomResource schema.
 */
export function resourceSchema(region: string, resourceType: string): ResourceSchema | undefined {
  const type = resourceType.startsWith('Custom::')
    ? 'AWS::CloudFormation::CustomResource'
    : resourceType;
  let provider = providers.get(region);
  if (provider === undefined) {
    const directory = path.join(cfnLintData(), 'schemas', 'providers');
    const file = path.join(directory, `${region}.json`);
    // cfn-lint falls back to us-east-1's types for a region it has no file for.
    provider = readJson(
      existsSync(file) ? file : path.join(directory, 'us-east-1.json'),
    ) as Provider;
    providers.set(region, provider);
  }
  const hash = provider[type];
  if (hash === undefined) {
    return undefined;
  }
  let schema = schemas.get(hash);
  if (schema === undefined) {
    const file = path.join(cfnLintData(), 'schemas', 'resources', `${hash}.json`);
    schema = readJson(file) as ResourceSchema;
    schemas.set(hash, schema);
  }
  return schema;
}

let knownActions: ReadonlySet<string> | undefined;

/** Every action IAM knows, in lower case, from the service reference cfn-lint ships. */
export function iamActions(): ReadonlySet<string> {
  if (knownActions === undefined) {
    const file = path.join(cfnLintData(), 'AdditionalSpecs', 'Policies.json');
    const services = readJson(file) as Record<string, { Actions: Record<string, unknown> }>;
    knownActions = new Set(
      Object.entries(services).flatMap(([service, data]) =>
        Object.keys(data.Actions).map((action) => `${service}:${action}`.toLowerCase()),
      ),
    );
  }
  return knownActions;
}
