/**
 * The `adnetworks` package schema, generated from the declarations: every
 * resource type of provider/networks.ts with its fields (core/schema/schema.ts),
 * every object and list typed (object types under `types`, named after the
 * resource and the field's path), enums with a name and a description per
 * value (the field's `meanings`), descriptions and units from the field's
 * `doc`, `unit` and `money` (the one doc source), secrets and replacements
 * from `secret` and `replaceOnChange`; and the provider's configuration
 * (plugin/config.ts: per network settings, credentials secret, and the
 * guardrails). `Any` only where the declaration says "free form" (`json`).
 */
import type { Field, Fields } from "../core/schema/schema";
import { unitOf } from "../core/schema/schema";
import { enumKinds, primitiveType } from "../core/schema/pulumiSchema";
import { NETWORKS } from "../networks";
import { guardrailSettings, networkSettings, settingDoc } from "./config";
import { PACKAGE, pluginToken } from "./token";

type TypeSpec = Record<string, unknown>;

const pascal = (s: string) => s.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");

/** A field's description: its doc, then its unit (money's convention or a declared unit). */
export function description(field: Field): string {
  const unit = unitOf(field);
  return unit && unit !== "—" ? `${field.doc} Unit: ${unit}.` : field.doc;
}

/** Enum value names: from the value's meaning or the value itself, as identifiers, distinct. */
function enumValues(field: Extract<Field, { kind: "enum" }>): Array<{ name: string; value: unknown; description?: string }> {
  const used = new Set<string>();
  return field.values.map((v) => {
    const meaning = field.meanings?.[String(v)];
    let base = typeof v === "string" ? pascal(v) : meaning ? pascal(meaning.split(/[:;,.(]/)[0]).slice(0, 40) : "";
    if (!base || /^[0-9]/.test(base)) base = `Value${pascal(String(v)).replace(/^-/, "Minus")}` || "Value";
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    return { name, value: v, ...(meaning ? { description: meaning } : {}) };
  });
}

export class SchemaBuilder {
  readonly types: Record<string, TypeSpec> = {};

  /** The schema type of `field`; object and enum types are added to `types` as `<network>:<Type><Path>`. */
  typeOf(field: Field, token: string): TypeSpec {
    const primitive = primitiveType(field);
    if (primitive) return primitive;
    switch (field.kind) {
      case "enum": {
        const kinds = enumKinds(field.values);
        if (kinds.length !== 1) return { oneOf: kinds.map((k) => ({ type: k })) };
        const kind = kinds[0];
        if (kind === "boolean") return { type: "boolean" };
        this.types[token] = { type: kind, description: field.doc, enum: enumValues(field) };
        return { $ref: `#/types/${token}` };
      }
      case "list":
        return { type: "array", items: this.typeOf(field.items, `${token}Item`) };
      case "map":
        return { type: "object", additionalProperties: this.typeOf(field.values, `${token}Value`) };
      case "object":
        this.types[token] = { type: "object", description: field.doc, ...this.objectOf(field.fields, token) };
        return { $ref: `#/types/${token}` };
      case "json":
        return { $ref: "pulumi.json#/Any" };
      default:
        throw new Error(`no schema type for a ${field.kind} field`); // the scalar kinds returned above
    }
  }

  property(field: Field, token: string): TypeSpec {
    return {
      ...this.typeOf(field, token),
      description: description(field),
      ...(field.secret ? { secret: true } : {}),
      ...(field.replaceOnChange ? { replaceOnChanges: true } : {}),
    };
  }

  /** Properties and required names of an object of `fields` (nested types named `<token><Field>`). */
  objectOf(fields: Fields, token: string, only: (f: Field) => boolean = () => true): { properties: Record<string, TypeSpec>; required?: string[] } {
    const entries = Object.entries(fields).filter(([, f]) => only(f));
    const required = entries.filter(([, f]) => f.required).map(([k]) => k);
    return { properties: Object.fromEntries(entries.map(([k, f]) => [k, this.property(f, `${token}${pascal(k)}`)])), ...(required.length ? { required } : {}) };
  }
}

/** Inputs: what a program gives (not outputs, not what `check` derives). */
export function isArgument(field: Field): boolean {
  return !field.output && !field.derived;
}

/** The schema of one resource type. */
export function resourceSpec(b: SchemaBuilder, network: string, type: string, def: { fields: Fields; doc: string; importId: string; list?: unknown }): TypeSpec {
  const token = `${PACKAGE}:${network}:${type}`;
  const inputs = b.objectOf(def.fields, token, isArgument);
  // Outputs: every field (inputs are what the program gave; outputs what the network computed).
  const outputs = b.objectOf(def.fields, token);
  return {
    description: `${def.doc}\n\nImport id: ${def.importId}.`,
    inputProperties: inputs.properties,
    requiredInputs: inputs.required ?? [],
    properties: outputs.properties,
    required: Object.entries(def.fields).filter(([, f]) => f.required || (isArgument(f) && f.default !== undefined)).map(([k]) => k),
    // A type its network lists: the provider serves List (`pulumi do adnetworks:<network>:<Type> list`).
    ...(typeof def.list === "function" ? { listInputs: { type: "object", properties: { account: { type: "string", description: "Another account of the provider's config (`accounts`) to list; its ids are \"<account>:<id>\". Default: the provider's own." } } } } : {}),
  };
}

/** Types of the guardrails' settings (core/money/spend.ts reads them; a limit is one amount or one per "network/account:CUR"). */
const GUARDRAIL_TYPES: Record<string, { type: TypeSpec; doc: string }> = {
  maxDailyBudget: { type: { oneOf: [{ type: "number" }, { type: "object", additionalProperties: { type: "number" } }] }, doc: "The most a day's budgets may add up to, in major units: one amount, or one per \"network/account:CUR\", \"network:CUR\", \"*\" (docs/guardrails.md)." },
  maxDailyIncrease: { type: { oneOf: [{ type: "number" }, { type: "object", additionalProperties: { type: "number" } }] }, doc: "The most one update may raise the daily budgets, in major units, as maxDailyBudget (docs/guardrails.md)." },
  protectRunning: { type: { type: "boolean" }, doc: "Refuse to delete or replace a campaign that is running (docs/guardrails.md)." },
  allowReplace: { type: { type: "array", items: { type: "string" } }, doc: "Resource names that protectRunning lets be replaced (docs/guardrails.md)." },
  allowDelete: { type: { type: "array", items: { type: "string" } }, doc: "Resource names that protectRunning lets be deleted (docs/guardrails.md)." },
  allowDuplicates: { type: { type: "array", items: { type: "string" } }, doc: "Resource names that may share a natural key with another resource (docs/guardrails.md)." },
  currencies: { type: { oneOf: [{ type: "string" }, { type: "object", additionalProperties: { type: "string" } }] }, doc: "The currency of each network's (or \"network/account\"'s) amounts when no field says it, e.g. {\"exoclick\": \"EUR\"}; default USD." },
};

/** The provider's configuration: per network settings (and other accounts), then the guardrails. */
export function configSpec(b: SchemaBuilder): { variables: Record<string, TypeSpec> } {
  const variables: Record<string, TypeSpec> = {};
  for (const n of networkSettings()) {
    const token = `${PACKAGE}:index:${pascal(n.network)}Settings`;
    const properties: Record<string, TypeSpec> = {};
    for (const s of n.settings) properties[s.name] = { type: "string", description: settingDoc(s), ...(s.spec.secret ? { secret: true } : {}) };
    properties.accounts = {
      type: "object",
      additionalProperties: { type: "object", additionalProperties: { type: "string" } },
      description: `Other ${n.title} accounts by name, each with these settings, for resources whose \`account\` input names one (docs/accounts.md). With explicit providers, give each account its own Provider instead.`,
      secret: true,
    };
    b.types[token] = { type: "object", description: `${n.title}'s settings for this provider instance.`, properties };
    variables[n.network] = { $ref: `#/types/${token}`, description: `${n.title}: credentials and base URL of the account this provider instance manages.` };
  }
  for (const g of guardrailSettings()) {
    const t = GUARDRAIL_TYPES[g.name] ?? { type: { type: "string" }, doc: g.name };
    variables[g.name] = { ...t.type, description: `${t.doc} Default: environment ${g.env}.` };
  }
  return { variables };
}

/** Where the project lives; the Go SDK's module path derives from it. */
export const REPOSITORY = "https://github.com/pulumi-adnetworks/pulumi-adnetworks";
/** The generated Go SDK's import path (and module): `github.com/<owner>/pulumi-adnetworks/sdk/go/adnetworks`. */
export const GO_IMPORT_BASE_PATH = `${REPOSITORY.replace(/^https?:\/\//, "")}/sdk/go/${PACKAGE}`;
/** The generated Python SDK's distribution and package name. */
export const PYTHON_PACKAGE = `pulumi_${PACKAGE}`;

/** The Pulumi SDK range every SDK requires: this package's peer dependency on @pulumi/pulumi (">=3.248.0 <4"). */
export function pulumiRange(): { min: string; belowMajor: number } {
  const peer: string = require("../../../package.json").peerDependencies["@pulumi/pulumi"];
  const min = /\>=\s*([0-9]+\.[0-9]+\.[0-9]+)/.exec(peer)?.[1];
  const below = /<\s*([0-9]+)/.exec(peer)?.[1];
  if (!min || !below) throw new Error(`package.json: peerDependencies["@pulumi/pulumi"] is "${peer}", expected ">=X.Y.Z <N"`);
  return { min, belowMajor: Number(below) };
}

/**
 * Language sections for Pulumi's code generators (tools/sdkgen): the Python
 * package `pulumi_adnetworks` (pyproject.toml, the schema's version), the Go
 * SDK's import path, the Node.js package name (the Node SDK is this
 * package's own, provider/plugin/sdk).
 */
export function languageSpec(): Record<string, unknown> {
  const { min, belowMajor } = pulumiRange();
  return {
    nodejs: { packageName: "pulumi-adnetworks" },
    python: {
      packageName: PYTHON_PACKAGE,
      respectSchemaVersion: true,
      pyproject: { enabled: true },
      requires: { pulumi: `>=${min},<${belowMajor}.0.0` },
    },
    go: { importBasePath: GO_IMPORT_BASE_PATH, respectSchemaVersion: true },
  };
}

/** The whole package schema. */
export function packageSchema(version: string): Record<string, unknown> {
  const b = new SchemaBuilder();
  const resources: Record<string, TypeSpec> = {};
  for (const n of NETWORKS) {
    for (const [type, def] of Object.entries(n.resources)) resources[pluginToken(`${n.name}:${type}`)] = resourceSpec(b, n.name, type, def);
  }
  const config = configSpec(b);
  return {
    name: PACKAGE,
    displayName: "Ad networks",
    version,
    description: "Ad campaigns as code: ExoClick, Affise, Integr8, Topsort and Interchange resources, with a local sandbox of each network's API.",
    keywords: ["pulumi", "adnetworks", "exoclick", "affise", "integr8", "topsort", "interchange", "category/marketing"],
    license: "Apache-2.0",
    repository: REPOSITORY,
    meta: { moduleFormat: "(.*)" },
    config,
    provider: {
      description: "The adnetworks provider: one instance per set of accounts (`new adnetworks.Provider(\"brandB\", { exoclick: { apiToken } })`); resources given `{ provider }` go to its accounts.",
      inputProperties: config.variables,
    },
    types: b.types,
    resources,
    language: languageSpec(),
  };
}
