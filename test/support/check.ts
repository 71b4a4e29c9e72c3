/** A check failure about `path`: Pulumi's property (top-level fields) or the path the reason starts with (nested fields, unknown fields, secrets). */
export function isAbout(f: { property: string; reason: string }, path: string): boolean {
  return f.property === path || (f.property === "" && (f.reason.startsWith(`${path} `) || f.reason.startsWith(`unknown field ${path};`) || f.reason.includes(` ${path} `)));
}

/** The path a failure is about: its property, or the first word of its reason. */
export function pathOf(f: { property: string; reason: string }): string {
  if (f.property) return f.property;
  const m = /^(?:unknown field )?([\w.[\]]+)/.exec(f.reason);
  return m ? m[1].replace(/;$/, "") : "";
}
