import * as crypto from "crypto";

/**
 * SANDBOX DATA. The traffic the sandbox's reporting routes serve: a pure
 * function of the network, the object's id, its terms (running, dates,
 * caps, bid) and the day, so a test can assert exact figures. Nothing is
 * served for an object that is not running now, for a day before its start
 * or after its end, nor for today or a later day (the day is not over); a
 * day's spend never exceeds its daily cap, and the spend since the start
 * never exceeds its total cap. Amounts are in hundredths of the currency
 * (each emulator writes them in its network's reporting unit).
 *
 * The sandbox's "today" is the machine's UTC date, or a fixed date
 * (`startSandbox({ today })`, `sb.setToday()`, `$ADNET_SANDBOX_TODAY`).
 */
export interface TrafficTerms {
  /** Spending now (ExoClick status 1, Topsort isActive, Interchange ACTIVE, Affise active). */
  running: boolean;
  /** First and last day it may spend ("YYYY-MM-DD" or a date-time; absent: unbounded). */
  start?: string | null;
  end?: string | null;
  /** Hundredths of the currency per day and in total, at most (absent: no cap). */
  dailyCap?: number;
  totalCap?: number;
  /** The bid per click in hundredths (absent: 10 to 49 from the seed). */
  cpc?: number;
}

export interface DayTraffic {
  day: string;
  impressions: number;
  clicks: number;
  conversions: number;
  /** Hundredths of the currency. */
  spend: number;
}

const DAY_MS = 86_400_000;
const dayOf = (v: string) => v.slice(0, 10);
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
export const isDay = (v: unknown): v is string => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && Number.isFinite(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** The machine's UTC date, or $ADNET_SANDBOX_TODAY. */
export function defaultToday(): string {
  const env = process.env.ADNET_SANDBOX_TODAY;
  return isDay(env) ? env : new Date().toISOString().slice(0, 10);
}

/** The seeded figures of one day, before the object's terms (pure). */
function raw(seed: string, day: string, cpc: number | undefined): DayTraffic {
  const h = crypto.createHash("sha256").update(`${seed}|${day}`).digest();
  const impressions = 1_000 + h.readUInt16BE(0) % 9_000;
  const clicks = Math.floor((impressions * (5 + (h[2] % 45))) / 1_000);
  const conversions = Math.floor((clicks * (h[3] % 12)) / 100);
  const price = cpc ?? 10 + (h[4] % 40);
  return { day, impressions, clicks, conversions, spend: clicks * price };
}

/** One day's traffic of an object under its terms (zeros when it served nothing that day). */
export function dayTraffic(seed: string, day: string, t: TrafficTerms, today: string): DayTraffic {
  const none = { day, impressions: 0, clicks: 0, conversions: 0, spend: 0 };
  if (!t.running || day >= today) return none;
  if (t.start && day < dayOf(t.start)) return none;
  if (t.end && day > dayOf(t.end)) return none;
  const r = raw(seed, day, t.cpc);
  let spend = t.dailyCap !== undefined ? Math.min(r.spend, Math.max(0, Math.floor(t.dailyCap))) : r.spend;
  if (t.totalCap !== undefined) {
    // What the days before spent since the start (at most 400 days back), so the total never exceeds the cap.
    const first = t.start ? dayOf(t.start) : addDays(day, -400);
    let before = 0;
    for (let d = first < addDays(day, -400) ? addDays(day, -400) : first; d < day; d = addDays(d, 1)) before += dayTraffic(seed, d, { ...t, totalCap: undefined }, today).spend;
    spend = Math.max(0, Math.min(spend, Math.floor(t.totalCap) - before));
  }
  if (spend < r.spend) {
    // Delivery stops when the money does: the day's other figures shrink in proportion.
    const f = r.spend ? spend / r.spend : 0;
    return { day, impressions: Math.floor(r.impressions * f), clicks: Math.floor(r.clicks * f), conversions: Math.floor(r.conversions * f), spend };
  }
  return r;
}

/** Every day from `from` to `to` (inclusive, at most 366 days) with its traffic. */
export function traffic(seed: string, from: string, to: string, t: TrafficTerms, today: string): DayTraffic[] {
  const out: DayTraffic[] = [];
  for (let d = from, n = 0; d <= to && n < 366; d = addDays(d, 1), n++) out.push(dayTraffic(seed, d, t, today));
  return out;
}

/** The sum of days. */
export function total(days: DayTraffic[]): Omit<DayTraffic, "day"> {
  return days.reduce((a, d) => ({ impressions: a.impressions + d.impressions, clicks: a.clicks + d.clicks, conversions: a.conversions + d.conversions, spend: a.spend + d.spend }), { impressions: 0, clicks: 0, conversions: 0, spend: 0 });
}
