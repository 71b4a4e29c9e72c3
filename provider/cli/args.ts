/**
 * The command line of every adnet-* command: one declaration per command
 * (its options, each with a description, and examples) gives the parser, the
 * `--help` / `-h` text, and the usage errors (exit 2, with a suggestion for a
 * misspelled option). Tokenizing is Node's own `util.parseArgs`.
 */
import { parseArgs as nodeParseArgs } from "util";
import { thrown } from "../core/http/errors";

export interface OptionSpec {
  /** Long name without dashes, e.g. "out". */
  name: string;
  /** One-letter alias, e.g. "p" for -p. */
  short?: string;
  /** Placeholder of the value ("<dir>"); no value = a flag. */
  value?: string;
  /** May be given more than once (values are collected in order). */
  multiple?: boolean;
  /** Other long names accepted for this option (kept for older scripts). */
  aliases?: string[];
  /** The values allowed (a value option only); anything else is a usage error naming them. */
  choices?: string[];
  description: string;
}

export interface CommandSpec {
  name: string;
  /** One line: what the command does. */
  summary: string;
  /** Usage lines after the command's name, e.g. "--stack <stack> [--cwd <dir>]". */
  usage: string[];
  /** Paragraphs after the usage (what it does, exit status...). */
  description?: string[];
  options: OptionSpec[];
  /** Example command lines (a trailing `# comment` is kept). */
  examples: string[];
}

export type Values = Record<string, string | string[] | boolean | undefined>;

/** A mistake on the command line: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {}

const HELP: OptionSpec = { name: "help", short: "h", description: "Show this help and exit." };

function allOptions(spec: CommandSpec): OptionSpec[] {
  return [...spec.options, HELP];
}

/** Levenshtein distance (small strings: option names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The known option closest to a misspelled one, if any is close enough. */
export function suggestOption(spec: CommandSpec, given: string): string | undefined {
  const name = given.replace(/^-+/, "").toLowerCase();
  let best: { n: string; d: number } | undefined;
  for (const o of allOptions(spec)) {
    for (const n of [o.name, ...(o.aliases ?? [])]) {
      const d = n.startsWith(name) || name.startsWith(n) ? Math.min(1, distance(name, n)) : distance(name, n);
      if (!best || d < best.d) best = { n: o.name, d };
    }
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? `--${best.n}` : undefined;
}

/**
 * Parses argv against the spec. Returns `{ help: true }` when -h/--help is
 * anywhere; throws UsageError for an unknown option (with a suggestion), a
 * missing value, a value given to a flag, or an unexpected argument.
 */
export function parseCommandLine(spec: CommandSpec, argv: string[]): { help: true } | { help: false; values: Values } {
  if (argv.some((a) => a === "-h" || a === "--help")) return { help: true };
  const specs = allOptions(spec);
  const byName = new Map<string, OptionSpec>();
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const o of specs) {
    for (const n of [o.name, ...(o.aliases ?? [])]) {
      byName.set(n, o);
      options[n] = { type: o.value ? "string" : "boolean", ...(o.multiple ? { multiple: true } : {}) };
    }
    if (o.short) options[o.name].short = o.short;
  }
  const { tokens } = nodeParseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const values: Values = {};
  for (const t of tokens ?? []) {
    if (t.kind === "positional") {
      const hint = suggestOption(spec, t.value);
      throw new UsageError(`unexpected argument ${JSON.stringify(t.value)}${/^-/.test(t.value) && hint ? `; did you mean ${hint}?` : ""}`);
    }
    if (t.kind !== "option") continue;
    const o = byName.get(t.name);
    if (!o) {
      const hint = suggestOption(spec, t.rawName);
      throw new UsageError(`unknown option ${t.rawName}${hint ? `; did you mean ${hint}?` : ""}`);
    }
    if (o.value) {
      if (t.value === undefined || (!t.inlineValue && /^--?[A-Za-z]/.test(t.value))) throw new UsageError(`--${o.name} needs a value: --${o.name} ${o.value}`);
      if (o.choices && !o.choices.includes(t.value)) {
        const close = o.choices.find((c) => distance(c, t.value!.toLowerCase()) <= 2);
        throw new UsageError(`--${o.name} ${JSON.stringify(t.value)} is not one of ${o.choices.join(", ")}${close ? `; did you mean ${close}?` : ""}`);
      }
      if (o.multiple) values[o.name] = [...((values[o.name] as string[] | undefined) ?? []), t.value];
      else values[o.name] = t.value;
    } else {
      if (t.inlineValue) throw new UsageError(`--${o.name} takes no value`);
      values[o.name] = true;
    }
  }
  return { help: false, values };
}

/** The --help text: summary, usage, description, every option with its description, examples. */
export function helpText(spec: CommandSpec): string {
  const lines: string[] = [`${spec.name}: ${spec.summary}`, "", "Usage:"];
  for (const u of spec.usage) lines.push(`  ${spec.name} ${u}`.trimEnd());
  for (const p of spec.description ?? []) lines.push("", ...wrap(p, 78));
  lines.push("", "Options:");
  const label = (o: OptionSpec) => `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` ${o.value}` : ""}`;
  const width = Math.min(30, Math.max(...allOptions(spec).map((o) => label(o).length)));
  for (const o of allOptions(spec)) {
    const l = label(o);
    const text = wrap(o.description + (o.choices ? ` One of: ${o.choices.join(", ")}.` : "") + (o.aliases?.length ? ` (also --${o.aliases.join(", --")})` : ""), 76 - width);
    if (l.length > width) lines.push(`  ${l}`, ...text.map((t) => `  ${" ".repeat(width)}  ${t}`));
    else lines.push(...text.map((t, i) => `  ${(i ? "" : l).padEnd(width)}  ${t}`));
  }
  lines.push("", "Examples:");
  for (const e of spec.examples) lines.push(`  ${e}`);
  return lines.join("\n") + "\n";
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/**
 * Runs a command: --help/-h prints the help on stdout (exit 0), a usage
 * error prints the message and a pointer to --help on stderr (exit 2),
 * otherwise `run(values)` decides the exit status. Errors `run` throws are
 * printed as `<name>: <message>` (exit 1), a UsageError among them with exit 2.
 */
export async function runCommand<T extends number | undefined = number>(spec: CommandSpec, argv: string[], run: (values: Values) => T | Promise<T>): Promise<T | number> {
  const start = begin(spec, argv);
  if (typeof start === "number") return start;
  try {
    return await run(start);
  } catch (e) {
    return failure(spec, e);
  }
}

/** `runCommand` for a command whose work is synchronous. */
export function runCommandSync(spec: CommandSpec, argv: string[], run: (values: Values) => number): number {
  const start = begin(spec, argv);
  if (typeof start === "number") return start;
  try {
    return run(start);
  } catch (e) {
    return failure(spec, e);
  }
}

/** The parsed values, or the exit status when help was printed or the command line is wrong. */
function begin(spec: CommandSpec, argv: string[]): Values | number {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(spec, argv);
  } catch (e) {
    return usageFailure(spec, e as Error);
  }
  if (parsed.help) {
    process.stdout.write(helpText(spec));
    return 0;
  }
  return parsed.values;
}

function failure(spec: CommandSpec, e: unknown): number {
  if (e instanceof UsageError) return usageFailure(spec, e);
  process.stderr.write(`${spec.name}: ${thrown(e).message ?? e}\n`);
  return 1;
}

function usageFailure(spec: CommandSpec, e: Error): number {
  process.stderr.write(`${spec.name}: ${e.message}\nRun \`${spec.name} --help\` for the options and examples.\n`);
  return 2;
}

/** Ends the process with the status a command's main resolves to (undefined: keep running, e.g. a server). */
export function exitWith(status: Promise<number | undefined>, name = "adnet"): void {
  status.then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (e) => {
      process.stderr.write(`${name}: ${e?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}

/** A string option's value (the last one, when repeated). */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return Array.isArray(v) ? v[v.length - 1] : typeof v === "string" ? v : undefined;
}

/** A repeatable option's values, each also split at commas. */
export function list(values: Values, name: string): string[] {
  const v = values[name];
  const all = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
  return all.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
}

/** A required string option. */
export function required(values: Values, name: string, placeholder: string): string {
  const v = str(values, name);
  if (v === undefined) throw new UsageError(`--${name} ${placeholder} is required`);
  return v;
}
