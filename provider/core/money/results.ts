/**
 * Results beside each change: the last N days (default 7) of what a preview
 * changes, per campaign, offer or variation: spend in major units of its
 * currency, impressions, clicks, CTR, conversions and cost per conversion,
 * read from each network's reporting API (a network declares how in its
 * `results`, core/config/network.ts). Used by the provider host at preview
 * (core/money/hostResults.ts) and by `adnet-spend` (cli/spend.ts).
 *
 * Requests: at most one statistics request per network, account and page
 * for all the objects asked (Topsort's reporting takes one campaign: one
 * per campaign), never a write, counted against their own budget
 * (core/money/statsBudget.ts), with a short timeout and no retry. A failed, slow
 * or refused call never fails anything: the objects' figures are marked
 * unavailable with the reason.
 *
 * Money: the same convention as budgets (core/money/money.ts): major units of the
 * object's currency (the budget's currency, else `adnetworks:currencies`,
 * else USD; Interchange reports in USD), summed per network, account and
 * currency, never across currencies.
 *
 * No runtime dependency on @pulumi/pulumi.
 */
import { contextFor, DEFAULT_ACCOUNT } from "../config/context";
import { setting, SettingSpec } from "../config/config";
import { currencyDigits, moneyText } from "./money";
import type { NetworkBase } from "../config/networkBase";
import { statisticsBudget } from "./statsBudget";

export const RESULTS_SETTINGS = {
  /** false: no statistics request at all (stacks that must not read statistics). */
  showResults: { key: "adnetworks:showResults", env: "ADNETWORKS_SHOW_RESULTS" },
  /** Days of results (default 7, at most the network's limit). */
  resultsDays: { key: "adnetworks:resultsDays", env: "ADNETWORKS_RESULTS_DAYS" },
  /** The date the window ends before, "YYYY-MM-DD" (default: the machine's UTC date); for reproducible reports and tests. */
  resultsToday: { key: "adnetworks:resultsToday", env: "ADNETWORKS_RESULTS_TODAY" },
  /** Milliseconds a network's statistics may take before they are reported unavailable (default 3000). */
  resultsTimeoutMs: { key: "adnetworks:resultsTimeoutMs", env: "ADNETWORKS_RESULTS_TIMEOUT_MS" },
} as const satisfies Record<string, SettingSpec>;

export const DEFAULT_DAYS = 7;
export const MAX_DAYS = 90;

/** What one object did over the window. */
export interface Figures {
  impressions: number;
  clicks: number;
  conversions: number;
  /** Major units of `currency`. */
  spend: number;
  currency: string;
}

export interface ResultsWindow {
  days: number;
  /** First and last day, "YYYY-MM-DD" (the last is the day before today). */
  from: string;
  to: string;
}

/** One object whose results are asked for. */
export interface ResultsAsk {
  /** The resource type's name in its network ("Campaign", "Variation"). */
  type: string;
  /** The network's id of the object. */
  id: string;
  /** Its inputs (what a network needs besides the id: a variation's campaign, a campaign's advertiser). */
  inputs: Record<string, unknown>;
  /** The currency its amounts are in (as its budgets are). */
  currency: string;
}

/** What a statistics call gets: the per-request options, and the budget to take before each request. */
export interface StatsCall {
  timeoutMs: number;
  /** 1: never retried (a preview does not wait out an outage). */
  attempts: 1;
  /** Call before each request: throws when the statistics budget is used up. */
  take(): void;
}

/** How a network reads results (its `results` in network.ts). */
export interface ResultsSource<C = unknown> {
  /** The types with results: "object" is counted in the totals, "part" (a variation of a campaign) is not (its campaign holds it). */
  types: Readonly<Record<string, "object" | "part">>;
  /** The most days the network reports in one window (default MAX_DAYS). */
  maxDays?: number;
  /**
   * The figures of the asks, by `askKey` (type and id); an ask the network
   * reports nothing for is absent (it did nothing: zeros). Throws when the
   * statistics cannot be read.
   */
  fetch(client: C, asks: ResultsAsk[], window: ResultsWindow, call: StatsCall): Promise<Map<string, Omit<Figures, "currency"> & { currency?: string }>>;
}

export const askKey = (type: string, id: string | number) => `${type}:${id}`;

/** A network as the results read it: its declaration with its results source (NetworkDef is one). */
export type ResultsNetwork<C = unknown> = NetworkBase<C> & { results?: ResultsSource<C> };

/** The figures of one object, or why there are none. */
export type Outcome = { figures: Figures; window: ResultsWindow } | { unavailable: string; window: ResultsWindow };

/** One object of a preview whose results are asked for. */
export interface ResultsItem {
  name: string;
  urn: string;
  /** "<module>:<Type>". */
  key: string;
  network: ResultsNetwork;
  /** The network account (DEFAULT_ACCOUNT: the network's own keys). */
  account: string;
  ask: ResultsAsk;
}

export interface ResultsOptions {
  days?: number;
  /** "YYYY-MM-DD": the window ends the day before. */
  today?: string;
  timeoutMs?: number;
}

/** Whether results are on (`adnetworks:showResults`, default true). */
export function resultsEnabled(get: (spec: SettingSpec) => string | undefined = setting): boolean {
  const v = get(RESULTS_SETTINGS.showResults)?.trim().toLowerCase();
  return !(v === "false" || v === "0" || v === "no" || v === "off");
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The options from the settings (stack config, then environment); a bad value is named. */
export function resultsOptions(get: (spec: SettingSpec) => string | undefined = setting): ResultsOptions {
  const out: ResultsOptions = {};
  const days = get(RESULTS_SETTINGS.resultsDays);
  if (days !== undefined && days !== "") {
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > MAX_DAYS) throw new Error(`${RESULTS_SETTINGS.resultsDays.key} must be a whole number of days from 1 to ${MAX_DAYS}, got ${JSON.stringify(days)}`);
    out.days = n;
  }
  const today = get(RESULTS_SETTINGS.resultsToday);
  if (today) {
    if (!DAY.test(today) || !Number.isFinite(Date.parse(`${today}T00:00:00Z`))) throw new Error(`${RESULTS_SETTINGS.resultsToday.key} must be a date YYYY-MM-DD, got ${JSON.stringify(today)}`);
    out.today = today;
  }
  const t = get(RESULTS_SETTINGS.resultsTimeoutMs);
  if (t) {
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${RESULTS_SETTINGS.resultsTimeoutMs.key} must be a whole number of milliseconds, got ${JSON.stringify(t)}`);
    out.timeoutMs = n;
  }
  return out;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The whole days before `today`: the last `days` of them. */
export function windowOf(days: number, today: string = new Date().toISOString().slice(0, 10)): ResultsWindow {
  return { days, from: addDays(today, -days), to: addDays(today, -1) };
}

/** An amount rounded to its currency's digits, without binary noise. */
function roundMoney(v: number, currency: string): number {
  return Number(v.toFixed(currencyDigits(currency)));
}

const DEFAULT_TIMEOUT_MS = 3_000;

/**
 * The results of `items`: one fetch per network and account (run side by
 * side), each bounded by the timeout as a whole; whatever fails marks that
 * group's objects unavailable with the reason. Never throws.
 */
export async function collectResults(items: ResultsItem[], o: ResultsOptions = {}): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  const groups = new Map<string, ResultsItem[]>();
  for (const it of items) {
    if (!it.network.results?.types[it.ask.type]) continue;
    const k = `${it.network.name}/${it.account}`;
    groups.set(k, [...(groups.get(k) ?? []), it]);
  }
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await Promise.all([...groups.entries()].map(async ([scope, group]) => {
    const network = group[0].network;
    const source = network.results as ResultsSource;
    const days = Math.min(o.days ?? DEFAULT_DAYS, source.maxDays ?? MAX_DAYS);
    const window = windowOf(days, o.today);
    const fail = (reason: string) => { for (const it of group) out.set(it.urn, { unavailable: reason, window }); };
    let timer: NodeJS.Timeout | undefined;
    try {
      const client = contextFor(network, group[0].account).client;
      const call: StatsCall = {
        timeoutMs, attempts: 1,
        take: () => {
          if (!statisticsBudget.take(scope)) throw new Error(`the statistics budget of this process is used up for ${scope} (ADNETWORKS_RESULTS_REQUESTS_PER_MINUTE)`);
        },
      };
      const asks = group.map((it) => it.ask);
      const got = await Promise.race([
        source.fetch(client, asks, window, call),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); }),
      ]);
      for (const it of group) {
        const f = got.get(askKey(it.ask.type, it.ask.id));
        const currency = f?.currency ?? it.ask.currency;
        out.set(it.urn, {
          figures: { impressions: f?.impressions ?? 0, clicks: f?.clicks ?? 0, conversions: f?.conversions ?? 0, spend: roundMoney(f?.spend ?? 0, currency), currency },
          window,
        });
      }
    } catch (e) {
      fail(`${network.title} statistics: ${shortReason(e)}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }));
  return out;
}

function shortReason(e: unknown): string {
  const m = String((e as Error)?.message ?? e).replace(/\s+/g, " ").trim();
  return m.length > 200 ? `${m.slice(0, 197)}...` : m;
}

// ---------------------------------------------------------------- figures as text

const int = (n: number) => n.toLocaleString("en-US");

/** Click-through rate in percent, 2 decimals ("" without impressions). */
export function ctrText(f: Pick<Figures, "impressions" | "clicks">): string {
  return f.impressions ? `${((100 * f.clicks) / f.impressions).toFixed(2)}%` : "-";
}

/** Cost per conversion ("-" without conversions). */
export function costPerConversionText(f: Figures): string {
  return f.conversions ? moneyText(roundMoney(f.spend / f.conversions, f.currency), f.currency) : "-";
}

/** "spend 12.34 USD, 10,234 impressions, 321 clicks, CTR 3.14%, 12 conversions, 1.03 USD per conversion". */
export function figuresText(f: Figures): string {
  return [
    `spend ${moneyText(f.spend, f.currency)}`, `${int(f.impressions)} impressions`, `${int(f.clicks)} clicks`, `CTR ${ctrText(f)}`,
    `${int(f.conversions)} conversions`, `${costPerConversionText(f)} per conversion`,
  ].join(", ");
}

export function outcomeText(o: Outcome): string {
  return "figures" in o ? figuresText(o.figures) : `unavailable (${o.unavailable})`;
}

/** "last 7 days (2026-03-08 to 2026-03-14)". */
export function windowText(w: ResultsWindow): string {
  return `last ${w.days} day${w.days === 1 ? "" : "s"} (${w.from} to ${w.to})`;
}

/** Totals per network, account and currency (objects only, not their parts), never across currencies. */
export interface ResultsTotal extends Omit<Figures, "currency"> {
  network: string;
  account?: string;
  currency: string;
  /** Objects summed. */
  objects: number;
}

export function totalsOf(rows: Array<{ network: string; account?: string; part?: boolean; outcome: Outcome }>): ResultsTotal[] {
  const out = new Map<string, ResultsTotal>();
  for (const r of rows) {
    if (r.part || !("figures" in r.outcome)) continue;
    const f = r.outcome.figures;
    const account = r.account && r.account !== DEFAULT_ACCOUNT ? r.account : undefined;
    const k = [r.network, account ?? "", f.currency].join("\u0000");
    const t = out.get(k) ?? { network: r.network, ...(account ? { account } : {}), currency: f.currency, impressions: 0, clicks: 0, conversions: 0, spend: 0, objects: 0 };
    t.impressions += f.impressions;
    t.clicks += f.clicks;
    t.conversions += f.conversions;
    t.spend = roundMoney(t.spend + f.spend, f.currency);
    t.objects++;
    out.set(k, t);
  }
  return [...out.values()].sort((a, b) => [a.network, a.account ?? "", a.currency].join("\u0000").localeCompare([b.network, b.account ?? "", b.currency].join("\u0000")));
}
