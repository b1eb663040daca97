/** Typed access to the resources of a synthesized template, for the assertions that read them. */
import type { Template } from 'aws-cdk-lib/assertions';

/** A resource as CloudFormation receives it. */
export interface Resource {
  readonly Type: string;
  readonly Properties: Readonly<Record<string, unknown>>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** The template's resources of a type (and with these properties), by logical id. */
export function resources(
  template: Template,
  type: string,
  properties?: Readonly<Record<string, unknown>>,
): Map<string, Resource> {
  const found = template.findResources(type, properties && { Properties: properties });
  return new Map(Object.entries(found).map(([id, resource]) => [id, resource as Resource]));
}

/** The logical id and definition of the template's one resource of a type (and properties). */
export function only(
  template: Template,
  type: string,
  properties?: Readonly<Record<string, unknown>>,
): [string, Resource] {
  const found = [...resources(template, type, properties)];
  const [first] = found;
  if (found.length !== 1 || first === undefined) {
    throw new Error(`expected one ${type}, found ${String(found.length)}`);
  }
  return first;
}

/** The value at this path of object keys and array indexes; an error names a missing step. */
export function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const [index, step] of path.entries()) {
    const next: unknown =
      typeof current === 'object' && current !== null
        ? (current as Record<string | number, unknown>)[step]
        : undefined;
    if (next === undefined) {
      throw new Error(`no ${path.slice(0, index + 1).join('.')} in ${JSON.stringify(value)}`);
    }
    current = next;
  }
  return current;
}

/** The string at this path, as `at` finds it. */
export function textAt(value: unknown, ...path: readonly (string | number)[]): string {
  const found = at(value, ...path);
  if (typeof found !== 'string') {
    throw new Error(`${path.join('.')} is not a string: ${JSON.stringify(found)}`);
  }
  return found;
}

/** The array at this path, as `at` finds it. */
export function arrayAt(value: unknown, ...path: readonly (string | number)[]): unknown[] {
  const found = at(value, ...path);
  if (!Array.isArray(found)) {
    throw new Error(`${path.join('.')} is not an array: ${JSON.stringify(found)}`);
  }
  return found;
}
