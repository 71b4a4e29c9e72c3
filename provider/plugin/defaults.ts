/**
 * Lean inputs on the plugin path: a top-level input equal to its declared
 * default (`default:` in the resource's fields, e.g. an ExoClick Campaign's
 * `status: 0`) is neither registered by the plugin's classes nor stored by the
 * engine: state holds what the program chose, and the declaration says the
 * rest. The server puts the defaults back (`withDefaults`) before the core sees
 * any inputs, so checks, diffs and requests read them whole, as on the
 * dynamic path. Only plain values (strings, numbers, booleans) of fields that
 * are neither secret nor outputs are left out. A leaf module: the classes (in
 * the program) and the server both read it.
 */
import type { Field, Fields } from "../core/schema/schema";

type Props = Record<string, unknown>;

/** Whether `value` is the field's declared default, and so is left out of the registered and stored inputs. */
export function isDeclaredDefault(field: Field | undefined, value: unknown): boolean {
  if (!field || field.default === undefined || field.secret || field.output) return false;
  const t = typeof value;
  return (t === "string" || t === "number" || t === "boolean") && value === field.default;
}

/** The inputs without the values equal to their declared defaults (what Check answers and the engine stores). */
export function leanInputs(fields: Fields, inputs: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(inputs)) if (!isDeclaredDefault(fields[k], v)) out[k] = v;
  return out;
}

/** The inputs with every declared default the state leaves out put back (what the core reads). */
export function withDefaults<P extends Props | undefined>(fields: Fields, inputs: P): P {
  if (!inputs) return inputs;
  const out: Props = { ...inputs };
  for (const [k, f] of Object.entries(fields)) {
    if (out[k] === undefined && f.default !== undefined && !f.secret && !f.output && ["string", "number", "boolean"].includes(typeof f.default)) out[k] = f.default;
  }
  return out as P;
}
