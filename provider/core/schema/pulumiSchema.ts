/**
 * A Pulumi package schema for this package's resource types, from their
 * field declarations, as the dynamic-provider host answers `GetSchema`
 * (core/engine/dynamicHost.ts). `pulumi import <type> <name> <id>` needs it: after
 * importing, the CLI asks the provider of the `pulumi-nodejs` package for its
 * schema to write the program text of what it imported (the input properties
 * it writes are the ones declared here).
 *
 * Scalars are typed; objects, lists of objects, maps and JSON are `Any`, so
 * the values go through as they are in state.
 */
import type { Field, Fields } from "./schema";

/** What the schema is made from: a resource type's fields and description. */
export interface SchemaSource {
  fields: Fields;
  doc?: string;
}

type SchemaType = { type: string; items?: SchemaType } | { $ref: string };

const ANY: SchemaType = { $ref: "pulumi.json#/Any" };

/**
 * The schema type of a scalar field (the string kinds, integer, number,
 * boolean); undefined for enums, lists, maps, objects and json. The
 * dynamic host's schema (below) and the plugin's (provider/plugin/schema.ts)
 * both start from it.
 */
export function primitiveType(field: Field): { type: string } | undefined {
  switch (field.kind) {
    case "string":
    case "url":
    case "date":
    case "dateTime":
      return { type: "string" };
    case "integer":
      return { type: "integer" };
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    default:
      return undefined;
  }
}

/** The schema kinds of an enum's values ("integer", "number", "string", "boolean"), each once. */
export function enumKinds(values: ReadonlyArray<unknown>): string[] {
  return [...new Set(values.map((v) => (typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v)))];
}

export function schemaType(field: Field): SchemaType {
  const primitive = primitiveType(field);
  if (primitive) return primitive;
  switch (field.kind) {
    case "enum": {
      const kinds = enumKinds(field.values);
      return kinds.length === 1 ? { type: kinds[0] } : ANY;
    }
    case "list": {
      const items = schemaType(field.items);
      return "type" in items ? { type: "array", items } : ANY;
    }
    default:
      return ANY;
  }
}

function property(field: Field) {
  return { ...schemaType(field), description: field.doc, ...(field.secret ? { secret: true } : {}), ...(field.replaceOnChange ? { replaceOnChanges: true } : {}) };
}

/** Inputs: what a program gives (not outputs, not what `check` derives). */
export function isInput(field: Field): boolean {
  return !field.output && !(field as { derived?: boolean }).derived;
}

/** The schema of one resource type. */
export function resourceSchema(fields: Fields, doc?: string) {
  const inputs = Object.entries(fields).filter(([, f]) => isInput(f));
  return {
    ...(doc ? { description: doc } : {}),
    inputProperties: Object.fromEntries(inputs.map(([k, f]) => [k, property(f)])),
    requiredInputs: inputs.filter(([, f]) => f.required).map(([k]) => k),
    properties: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, property(f)])),
  };
}

/** The `pulumi-nodejs` package's schema, with this package's types (`pulumi-nodejs:dynamic/<network>:<Type>`). */
export function packageSchema(version: string, registry: { types(): string[]; definition(key: string): SchemaSource | undefined }): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const key of registry.types()) {
    const def = registry.definition(key);
    if (!def) continue;
    const [network, type] = key.split(":");
    resources[`pulumi-nodejs:dynamic/${network}:${type}`] = resourceSchema(def.fields, def.doc);
  }
  return {
    name: "pulumi-nodejs",
    version,
    description: "Pulumi dynamic resources; with pulumi-adnetworks' resource types",
    language: { nodejs: { packageName: "pulumi-adnetworks" } },
    resources,
  };
}
