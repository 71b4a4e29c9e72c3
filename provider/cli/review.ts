/**
 * The spend diff for a reviewer (`adnet-spend --format markdown`): what a
 * pull request does to ad spend, in a table read in seconds. It renders the
 * report `adnet-spend` already makes (the groups of core/money/spend.ts's
 * `summarize`, the violations and pending limits of core/guard/judge.ts's
 * `judge`); it judges nothing itself.
 *
 * Rows are the summary's groups: today per network and currency. A group
 * that carries an `account` (several accounts per network) gets an Account
 * column without a change here; headline and lists name it too.
 */
import type { GroupTotals, Spend } from "../core/money/spend";
import type { Pending, Violation } from "../core/guard/judge";
import type { StepLike, StepSummary } from "../core/money/steps";
import { networkNamed } from "../networks";
import { costPerConversionText, ctrText, Figures, ResultsTotal, ResultsWindow, windowText } from "../core/money/results";
import { moneyText } from "../core/money/money";

/** One resource whose spend figures change (or that starts, stops, appears or goes). */
export interface SpendChange {
  name: string;
  urn: string;
  /** The preview's operation: create, update, replace, delete, same. */
  op: string;
  /** "<module>:<Type>". */
  key: string;
  network: string;
  currency: string;
  account?: string;
  before?: Spend;
  after?: Spend;
}

/** What the markdown is made from (adnet-spend's report has these). */
export interface ReviewInput {
  groups: GroupTotals[];
  changes: SpendChange[];
  violations: Violation[];
  pending: Pending[];
  previewFailed?: string[];
  /** The last N days of what the preview changes (adnet-spend's `results`). */
  results?: Array<{ name: string; network: string; account?: string; op: string; window: ResultsWindow; figures?: Figures; unavailable?: string }>;
  resultTotals?: ResultsTotal[];
}

/** Operations that replace a resource (the preview's step, or the engine events of one). */
const REPLACING = new Set(["replace", "create-replacement", "delete-replaced"]);

/** The resources whose spend changes, from a preview's steps and their summary (before and after entries by URN). */
export function spendChanges(steps: StepLike[], s: StepSummary): SpendChange[] {
  const ops = new Map<string, string>();
  for (const x of steps) {
    const known = ops.get(x.urn);
    if (!known || (REPLACING.has(x.op) && !REPLACING.has(known))) ops.set(x.urn, REPLACING.has(x.op) ? "replace" : x.op);
  }
  const before = new Map(s.before.map((e) => [e.urn ?? e.name, e]));
  const after = new Map(s.after.map((e) => [e.urn ?? e.name, e]));
  const out: SpendChange[] = [];
  for (const urn of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(urn)?.spend;
    const a = after.get(urn)?.spend;
    const op = ops.get(urn) ?? (a ? (b ? "same" : "create") : "delete");
    // Listed: what changes money, what is not known yet, and every replacement of a resource that spends.
    if (op !== "replace" && b && a && b.currency === a.currency && figures(b) === figures(a) && !a.unknown.length) continue;
    const s0 = (a ?? b)!;
    out.push({ name: (after.get(urn) ?? before.get(urn))!.name, urn, op, key: s0.key, network: s0.network, currency: s0.currency, ...accountField(s0), ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) });
  }
  return out.sort((x, y) => groupKey(x).localeCompare(groupKey(y)) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** The account of a group or a spend, when the summary has that dimension. */
export function accountOf(x: object): string | undefined {
  const a = (x as { account?: unknown }).account;
  return typeof a === "string" && a ? a : undefined;
}

function accountField(x: object): { account?: string } {
  const a = accountOf(x);
  return a ? { account: a } : {};
}

/** network, account, currency: the key of a row. */
function groupKey(x: { network: string; currency: string }): string {
  return [x.network, accountOf(x) ?? "", x.currency].join("\u0000");
}

const money = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (x: number) => (Math.abs(x) < 0.005 ? "0.00" : `${x > 0 ? "+" : "-"}${money(Math.abs(x))}`);

/** "ExoClick", or the network's module name for one not listed. */
export function networkTitle(network: string): string {
  return networkNamed(network)?.title ?? network;
}

/** "ExoClick", "ExoClick (account 123)". */
function where(x: { network: string }): string {
  const a = accountOf(x);
  return `${networkTitle(x.network)}${a ? ` (account ${a})` : ""}`;
}

/** "campaign" from "exoclick:Campaign". */
function noun(key: string, count: number): string {
  const t = (key.split(":")[1] ?? "resource").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return count === 1 ? t : `${t}s`;
}

/** Resources that start spending (running after, not before) and stop (running before, not after), by type. */
function startsAndStops(changes: SpendChange[]): { starts: Map<string, number>; stops: Map<string, number> } {
  const starts = new Map<string, number>();
  const stops = new Map<string, number>();
  for (const c of changes) {
    const was = !!c.before?.running;
    const is = !!c.after?.running;
    if (is && !was) starts.set(c.key, (starts.get(c.key) ?? 0) + 1);
    if (was && !is) stops.set(c.key, (stops.get(c.key) ?? 0) + 1);
  }
  return { starts, stops };
}

/**
 * The one line a reviewer reads first, e.g. "+1,250.00 USD/day on ExoClick;
 * 2 campaigns start spending; 1 limit broken".
 */
export function headline(r: ReviewInput): string {
  const parts: string[] = [];
  for (const g of r.groups) {
    if (Math.abs(g.change.daily) >= 0.005) parts.push(`${signed(g.change.daily)} ${g.currency}/day on ${where(g)}`);
    else if (Math.abs(g.change.total) >= 0.005) parts.push(`${signed(g.change.total)} ${g.currency} in total budgets on ${where(g)}`);
  }
  const { starts, stops } = startsAndStops(r.changes);
  for (const [key, n] of starts) parts.push(`${n} ${noun(key, n)} ${n === 1 ? "starts" : "start"} spending`);
  for (const [key, n] of stops) parts.push(`${n} ${noun(key, n)} ${n === 1 ? "stops" : "stop"} spending`);
  const unknown = new Set([...r.groups.flatMap((g) => g.unknown.map((n) => `${groupKey(g)}\u0000${n}`))]);
  if (unknown.size) parts.push(`${unknown.size} budget${unknown.size === 1 ? "" : "s"} not known until apply`);
  if (r.violations.length) parts.push(`${r.violations.length} limit${r.violations.length === 1 ? "" : "s"} broken`);
  if (r.previewFailed?.length) parts.push("the preview failed");
  return parts.length ? parts.join("; ") : "no change to ad spend";
}

/** A table cell: no line breaks, no column separators, no HTML. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;");
}

/** Text in a list item or paragraph. */
function inline(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}

function code(name: string): string {
  return `\`${name.replace(/`/g, "'")}\``;
}

/** A resource's figures: "20.00/day, bid 3.00, running". */
function figures(s: Spend): string {
  return [
    s.uncapped ? "no daily limit" : s.daily !== undefined ? `${money(s.daily)}/day` : "",
    s.total !== undefined ? `${money(s.total)} total` : "",
    s.bids.length ? `bid ${s.bids.map(money).join("/")}` : "",
    s.running ? "running" : "paused",
    s.unknown.length ? `not known until apply: ${s.unknown.join(", ")}` : "",
  ].filter(Boolean).join(", ");
}

const RULE_NAMES: Record<string, string> = { maxDailyBudget: "max daily budget", maxDailyIncrease: "max daily increase", protectRunning: "protect running" };

export interface MarkdownOptions {
  /** The stack, for the title. */
  stack?: string;
}

/** The spend diff as GitHub-flavoured markdown. */
export function markdown(r: ReviewInput, o: MarkdownOptions = {}): string {
  const out: string[] = [];
  out.push(`### Ad spend${o.stack ? ` (${code(o.stack)})` : ""}: ${inline(headline(r))}`, "");
  if (r.violations.length) out.push(`**${r.violations.length} limit${r.violations.length === 1 ? "" : "s"} broken**: \`pulumi up\` refuses this change as it is.`, "");
  else if (r.previewFailed?.length) out.push("**The preview failed**: see below.", "");

  if (r.groups.length) {
    const accounts = r.groups.some((g) => accountOf(g));
    const head = ["Network", ...(accounts ? ["Account"] : []), "Currency", "Daily budgets", "Change / day", "Total budgets", "Change", "Running", "Start spending", "Stop spending"];
    const align = ["---", ...(accounts ? ["---"] : []), "---", "--:", "--:", "--:", "--:", "--:", "---", "---"];
    out.push(`| ${head.join(" | ")} |`, `| ${align.join(" | ")} |`);
    for (const g of r.groups) {
      const names = (list: string[]) => (list.length ? list.map(code).join(", ") : "-");
      const row = [
        networkTitle(g.network), ...(accounts ? [accountOf(g) ?? "-"] : []), g.currency,
        `${money(g.before.daily)} → ${money(g.after.daily)}${g.unknown.length ? ` + ${g.unknownCount ?? g.unknown.length} not known` : ""}`,
        Math.abs(g.change.daily) >= 0.005 ? `**${signed(g.change.daily)}**` : "0.00",
        `${money(g.before.total)} → ${money(g.after.total)}`, signed(g.change.total),
        `${g.before.running} → ${g.after.running}`, names(g.starts), names(g.stops),
      ];
      out.push(`| ${row.map(cell).join(" | ")} |`);
    }
    out.push("");
  } else {
    out.push("No resource with a budget in this stack or program.", "");
  }

  if (r.results?.length) {
    out.push(`#### Results of what changes, ${[...new Set(r.results.map((x) => windowText(x.window)))].join(" / ")}`, "");
    out.push("| Resource | Network | Operation | Spend | Impressions | Clicks | CTR | Conversions | Cost / conversion |", "| --- | --- | --- | --: | --: | --: | --: | --: | --: |");
    const n = (x: number) => x.toLocaleString("en-US");
    for (const x of r.results) {
      const f = x.figures;
      const cells = f
        ? [moneyText(f.spend, f.currency), n(f.impressions), n(f.clicks), ctrText(f), n(f.conversions), costPerConversionText(f)]
        : [`unavailable: ${x.unavailable ?? ""}`, "-", "-", "-", "-", "-"];
      out.push(`| ${[code(x.name), where(x), x.op, ...cells].map(cell).join(" | ")} |`);
    }
    for (const t of r.resultTotals ?? []) {
      const f: Figures = { ...t };
      out.push(`| ${[`**total** (${t.objects})`, where(t), "", `**${moneyText(t.spend, t.currency)}**`, n(t.impressions), n(t.clicks), ctrText(t), n(t.conversions), costPerConversionText(f)].map(cell).join(" | ")} |`);
    }
    out.push("");
  }

  if (r.violations.length) {
    out.push("#### Limits broken", "");
    for (const v of r.violations) out.push(`- **${RULE_NAMES[v.rule] ?? v.rule}**, ${where(v)} ${v.currency}: ${inline(v.message)}`);
    out.push("");
  }
  const unknownGroups = r.groups.filter((g) => g.unknown.length);
  if (unknownGroups.length || r.pending.length) {
    out.push("#### Not known until apply", "");
    for (const g of unknownGroups) {
      out.push(`- ${where(g)} ${g.currency}: the budgets of ${g.unknown.map(code).join(", ")} depend on other resources' outputs; they count as 0 above (budgets only add, so the real totals are at least these)`);
    }
    for (const p of r.pending) out.push(`- **${RULE_NAMES[p.rule] ?? p.rule}**, ${where(p)} ${p.currency}: ${inline(p.message)}; \`pulumi up\` judges it again once the values are known`);
    out.push("");
  }

  const bids = r.changes.filter((c) => c.before && c.after && c.before.bids.join("/") !== c.after.bids.join("/"));
  if (bids.length) {
    out.push("#### Bids changed", "", "| Resource | Network | Currency | Before | After |", "| --- | --- | --- | --: | --: |");
    for (const c of bids) out.push(`| ${[code(c.name), where(c), c.currency, c.before!.bids.map(money).join(" / ") || "-", c.after!.bids.map(money).join(" / ") || "-"].map(cell).join(" | ")} |`);
    out.push("");
  }

  if (r.changes.length) {
    out.push(`<details><summary>Every resource whose spend changes (${r.changes.length})</summary>`, "");
    out.push("| Resource | Network | Currency | Operation | Before | After |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of r.changes) {
      out.push(`| ${[code(c.name), where(c), c.currency, c.op, c.before ? figures(c.before) : "-", c.after ? figures(c.after) : c.op === "delete" ? "deleted" : "-"].map(cell).join(" | ")} |`);
    }
    out.push("", "</details>", "");
  }

  if (r.previewFailed?.length) {
    out.push("#### Preview failed", "", "```", ...r.previewFailed.map((f) => f.replace(/```/g, "'''")), "```", "");
  }
  out.push(`<sub>Running budgets per day and in total, in major currency units, before (the stack's state) → after (the program); paused resources are listed but not summed.${r.results?.length ? " Results: what each changed object did over the whole days shown, from the networks' reporting APIs, spend in major units of its currency, totals per network and currency (variations are in their campaigns')." : ""} Made by \`adnet-spend\` (pulumi-adnetworks) with the stack's \`adnetworks:*\` limits.</sub>`);
  return `${out.join("\n")}\n`;
}
