/**
 * Reading JSON whose shape a network does not guarantee (error bodies,
 * envelopes) without `any`: narrow `unknown` step by step.
 */
export type JsonObject = Record<string, unknown>;

/** The value as an object (not an array), or undefined. */
export function asObject(v: unknown): JsonObject | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** The value as a list, or an empty one. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value if it is a string. */
export function asString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
