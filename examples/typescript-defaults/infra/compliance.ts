/** Compliance at synth: the tagging policy, and acknowledgements of cdk-nag findings. */
import { readFileSync } from 'node:fs';

import {
  Aspects,
  CfnResource,
  TagManager,
  Tags,
  Validations,
  type IAspect,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
  type PolicyViolation,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

import { REGION } from './contract';
import { resourceSchema } from './resource-schemas';
import { SERVICE_NAME, TEAM } from './settings';

export const REQUIRED_TAGS = ['Service', 'Env', 'Team'] as const;
export type RequiredTag = (typeof REQUIRED_TAGS)[number];

interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** The tags every resource of the environment's stack carries (IAM conditions match them). */
export function requiredTags(env: string): Readonly<Record<RequiredTag, string>> {
  return { Service: SERVICE_NAME, Env: env, Team: TEAM };
}

export function applyTags(scope: IConstruct, env: string): void {
  const tags = requiredTags(env);
  for (const [key, value] of Object.entries(tags)) {
    Tags.of(scope).add(key, value);
  }
  Aspects.of(scope).add(new TagPlainResources(tags));
}

/** Accept a cdk-nag finding on this construct (and its children), for the reason given. */
export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}

const tagProperties = new Map<string, string | undefined>();

/**
 * The property a resource type takes its tags in, or undefined when it takes none.
 *
 * Read from CloudFormation's resource schemas as cfn-lint ships them, so that the check knows
 * every type, including those the CDK creates without tag support.
 */
export function tagProperty(resourceType: string): string | undefined {
  if (!tagProperties.has(resourceType)) {
    // A type's tagging is the same wherever it exists; the cost stack's types live in us-east-1,
    // which some service regions lack. Custom resources take no tags.
    const schema =
      resourceSchema(REGION, resourceType) ?? resourceSchema('us-east-1', resourceType);
    const pointer = schema?.tagging?.tagProperty ?? '/properties/Tags';
    const name = pointer.replace(/^\/properties\//, '');
    const taggable = schema?.tagging?.taggable ?? true;
    tagProperties.set(
      resourceType,
      schema !== undefined && taggable && name in (schema.properties ?? {}) ? name : undefined,
    );
  }
  return tagProperties.get(resourceType);
}

/**
 * Tags the resources that `Tags.of` cannot reach.
 *
 * The CDK adds some resources as plain `CfnResource`s with no tag manager: the function and role
 * of a custom-resource provider, for one. Their tags go straight into their properties.
 */
class TagPlainResources implements IAspect {
  private readonly tags: readonly Tag[];

  constructor(tags: Readonly<Record<string, string>>) {
    this.tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  }

  visit(node: IConstruct): void {
    if (
      !(node instanceof CfnResource) ||
      TagManager.isTaggable(node) ||
      TagManager.isTaggableV2(node)
    ) {
      return;
    }
    const name = tagProperty(node.cfnResourceType);
    if (name !== undefined) {
      node.addPropertyOverride(name, this.tags);
    }
  }
}

function tagKeys(tags: unknown): Set<string> {
  if (Array.isArray(tags)) {
    return new Set(
      tags.flatMap((tag: unknown) =>
        typeof tag === 'object' && tag !== null && 'Key' in tag && typeof tag.Key === 'string'
          ? [tag.Key]
          : [],
      ),
    );
  }
  if (typeof tags === 'object' && tags !== null) {
    return new Set(Object.keys(tags));
  }
  return new Set();
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/**
 * Fails synth when a resource of the synthesized templates that takes tags misses one.
 *
 * It reads the templates as CloudFormation will receive them, so a resource that escaped
 * `Tags.of` cannot slip past.
 */
export class RequiredTagsCheck implements IPolicyValidationPlugin {
  readonly name = 'RequiredTags';
  readonly ruleIds = ['RequiredTags'];

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
        Resources?: Record<string, TemplateResource>;
      };
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
        const name = tagProperty(resource.Type);
        if (name === undefined) {
          continue;
        }
        const present = tagKeys(resource.Properties?.[name]);
        const missing = REQUIRED_TAGS.filter((key) => !present.has(key));
        if (missing.length > 0) {
          violations.push({
            ruleName: 'RequiredTags',
            description: `${resource.Type} misses the tags ${missing.join(', ')}`,
            fix: 'tag it in infra/compliance.ts (applyTags)',
            violatingResources: [
              { resourceLogicalId: logicalId, templatePath, locations: [`Properties/${name}`] },
            ],
          });
        }
      }
    }
    return { success: violations.length === 0, violations };
  }
}
