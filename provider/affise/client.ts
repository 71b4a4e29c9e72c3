import * as fs from "fs";
import * as path from "path";
// form-data (and its dependencies: 0.1-0.3 s to load) on the first upload, not in every process that loads the network.
import type FormDataT from "form-data";
const formData = (): FormDataT => new (require("form-data") as typeof FormDataT)();
import * as qs from "qs";
import { HttpClientOptions, RequestSpec, ErrorDetails } from "../core/http/http";
import { ApiClient } from "../core/http/client";
import { collectPages } from "../core/http/paging";
import { ReadCache, SharedReads } from "../core/http/readcache";
import { ApiError } from "../core/http/errors";
import { asObject } from "../core/http/json";
import { settings } from "./settings";


export interface AffiseCredentials {
  baseUrl: string;
  apiKey: string;
}



function details(body: unknown): ErrorDetails {
  const b = asObject(body);
  if (b) {
    const m = b.error ?? b.message;
    if (typeof m === "string") {
      // Symfony form errors: "[title].data: Specify not empty 'title'".
      const fm = /^\[([A-Za-z0-9_.\]\[]+)\]\.data: (.+)$/.exec(m);
      return { message: m, fieldErrors: fm ? [{ field: fm[1], message: fm[2] }] : undefined };
    }
    if (typeof b.status === "number") return { message: `status ${b.status} without an error text` };
  }
  return { message: typeof body === "string" && body ? body.slice(0, 300) : undefined };
}

/** Affise answers `{"status": 2, "error": "..."}`, sometimes with HTTP 200. */
export const bodyError = (body: unknown): ErrorDetails | undefined => {
  const status = asObject(body)?.status;
  return typeof status === "number" && status !== 1 ? details(body) : undefined;
};

/** Not found, whether Affise said so with a 404 or inside an HTTP 200 envelope. */
export function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || /unknown offer id|not found/i.test(e.networkMessage));
}

/**
 * What the client itself reads of Affise's objects. The resources declare
 * their whole shapes (affise/offer.ts `OfferWire`, affise/postback.ts
 * `PostbackWire`, from their fields) and the network makes its client with
 * them, so the client never imports its resources.
 */
export interface AffiseShapes {
  offer: { id: number | string; title?: unknown; url?: unknown };
  postback: { id: number | string; url?: unknown; offer_id?: unknown };
}

/** Affise's answers: the numeric `status` envelope around the object or the page. */
interface Envelope<W extends AffiseShapes> {
  status?: number;
  offer?: W["offer"];
  offers?: W["offer"][];
  postback?: W["postback"];
  postbacks?: W["postback"][];
  partners?: Array<{ id: number | string }>;
  pagination?: { next_page?: unknown; per_page?: number | string; total_count?: number | string };
}

/** A file part of a multipart request. */
export interface FilePart {
  field: string;
  path: string;
}

/** The form as sent: `a[]=x` for lists, `a[n]=x` where the caller keys an object by index. */
export function encodeForm(form: Record<string, unknown>): string {
  return qs.stringify(form, { encodeValuesOnly: true, skipNulls: true, arrayFormat: "brackets" });
}

/**
 * Affise API 3.0 client over the shared HTTP layer: `API-Key` header,
 * urlencoded PHP-bracket forms (multipart only with files), the numeric
 * `status` envelope. `W`: the shapes of the objects it moves.
 */
export class AffiseClient<W extends AffiseShapes = AffiseShapes> extends ApiClient {
  /** Reads of offers at list speed (the offers list returns whole offers; core/http/readcache.ts). */
  readonly offerReads = new ReadCache<AffiseShapes["offer"]>(() => this.listOffers(), (o) => String(o.id));
  /** An affiliate's postbacks, listed once per run for the reads of all of them (Affise has no postback read by id; core/http/readcache.ts SharedReads). */
  readonly postbackReads = new SharedReads<AffiseShapes["postback"][]>((pid) => this.listPostbacks(Number(pid)));

  constructor(creds: AffiseCredentials, opts: Partial<HttpClientOptions> = {}) {
    super({ network: "Affise", settings, baseUrl: creds.baseUrl, secrets: [creds.apiKey], parseError: details, bodyError, authHeaders: () => ({ "API-Key": creds.apiKey }) }, opts);
  }

  /** Form body: urlencoded, or multipart with the same fields when files are attached or the route takes multipart only. */
  private body(form: Record<string, unknown>, files: FilePart[] = [], multipart = files.length > 0): RequestSpec["body"] {
    if (!multipart) return { form, arrayFormat: "brackets" };
    const data = files.map((f) => ({ field: f.field, name: path.basename(f.path), bytes: fs.readFileSync(f.path) }));
    return {
      multipart: () => {
        const fd = formData();
        for (const [k, v] of new URLSearchParams(encodeForm(form))) fd.append(k, v);
        for (const f of data) fd.append(f.field, f.bytes, { filename: f.name });
        return fd;
      },
    };
  }

  // ---- reference lists ----
  /** Lists read by this client (one per process and configuration): each at most once per run, a failure included. */
  private readonly lists = new Map<string, Promise<ReadonlyMap<string, string>>>();
  /**
   * One of Affise's reference lists as id -> name: "countries" (`GET /3.1/countries`),
   * "regions:<CC>" (`GET /3.1/regions?country=CC`, the regions of one country), "oses" (`GET /3.1/oses`).
   */
  referenceList(name: string): Promise<ReadonlyMap<string, string>> {
    let list = this.lists.get(name);
    if (!list) {
      list = this.readList(name);
      this.lists.set(name, list);
      list.catch(() => undefined);
    }
    return list;
  }
  private async readList(name: string): Promise<ReadonlyMap<string, string>> {
    const [kind, country] = name.split(":");
    type Lists = { countries?: Array<{ code: string; name?: string }>; regions?: Array<{ id: number | string; name?: string }>; oses?: Record<string, string> | string[] };
    if (kind === "regions" && country) {
      const res = await this.request<Lists>({ method: "GET", path: "/3.1/regions", query: { country: country.toUpperCase() } });
      return new Map((res.regions ?? []).map((r): [string, string] => [String(r.id), String(r.name ?? r.id)]));
    }
    if (kind === "countries") {
      const res = await this.request<Lists>({ method: "GET", path: "/3.1/countries" });
      return new Map((res.countries ?? []).map((c): [string, string] => [c.code, String(c.name ?? c.code)]));
    }
    if (kind === "oses") {
      const res = await this.request<Lists>({ method: "GET", path: "/3.1/oses" });
      const names = Array.isArray(res.oses) ? res.oses : Object.values(res.oses ?? {});
      return new Map(names.map((n): [string, string] => [String(n), String(n)]));
    }
    throw new Error(`Affise has no reference list ${JSON.stringify(name)} here; the lists are countries, regions:<country code> and oses`);
  }

  // ---- offers ----
  async createOffer(form: Record<string, unknown>, files: FilePart[] = []): Promise<W["offer"]> {
    const res = await this.create<W["offer"], Envelope<W>>({
      kind: "offer", id: (o) => String(o.id), createdId: (b) => b?.offer?.id, asResponse: (offer) => ({ status: 1, offer }),
      candidates: () => this.offersMatching(String(form.title), String(form.advertiser), String(form.url)),
      request: { method: "POST", path: "/3.0/admin/offer", body: this.body(form, files) },
    });
    if (!res.offer) throw new Error("Affise answered the offer create without the offer");
    return res.offer;
  }
  async getOffer(id: string | number): Promise<W["offer"] | undefined> {
    // The cache holds what listOffers and this read answered: offers of shape W["offer"] (kept as the base shape, so the client stays covariant in W).
    return this.offerReads.read(String(id), async () => {
      try {
        return (await this.request<Envelope<W>>({ method: "GET", path: `/3.0/offer/${encodeURIComponent(String(id))}` })).offer;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    }) as Promise<W["offer"] | undefined>;
  }
  /** Natural key of an offer: title, advertiser and tracking URL (lost creates, `find`). */
  async offersMatching(title: string, advertiser: string, url: string): Promise<W["offer"][]> {
    return (await this.findOffers({ title, advertiser })).filter((o) => o.title === title && o.url === url);
  }
  async findOffers(f: { title: string; advertiser: string }): Promise<W["offer"][]> {
    return this.pages<W["offer"]>("/3.0/offers", "offers", { q: f.title, advertiser: [f.advertiser], status: ["active", "stopped", "suspended"] }, 100);
  }

  /** Every item of a numbered-page listing (`page`, `limit` 500, `pagination.next_page` or totals), bounded. */
  async pages<T>(path: string, key: "offers" | "postbacks" | "partners", query: Record<string, unknown>, maxPages = 200): Promise<T[]> {
    const limit = 500;
    return collectPages(async (n) => {
      const res = await this.request<Envelope<W>>({ method: "GET", path, query: { ...query, page: n + 1, limit } });
      const items = (res[key] ?? []) as T[];
      const p = res.pagination ?? {};
      return { items, more: !!(p.next_page || (n + 1) * Number(p.per_page ?? limit) < Number(p.total_count ?? 0)) };
    }, maxPages);
  }
  /** The cheapest authenticated read: one offer of the first page. */
  async verifyCredentials(): Promise<void> {
    await this.request<Envelope<W>>({ method: "GET", path: "/3.0/offers", query: { page: 1, limit: 1 } });
  }
  /** Every offer of the account, whatever its status (the listing defaults to active only): all pages. */
  async listOffers(): Promise<W["offer"][]> {
    return this.pages<W["offer"]>("/3.0/offers", "offers", { status: ["active", "stopped", "suspended"] }, 10_000);
  }
  async updateOffer(id: string | number, form: Record<string, unknown>, files: FilePart[] = []): Promise<W["offer"] | undefined> {
    this.offerReads.written(id);
    // An edit sends complete values, so replaying it is safe, unless it uploads creatives (they append).
    // Always multipart: the contract's `post30AdminOfferById` declares only multipart/form-data, and
    // no seed documents the edit otherwise (docs/affise.md, "Wire format").
    return (await this.request<Envelope<W>>({ method: "POST", path: `/3.0/admin/offer/${id}`, body: this.body(form, files, true), idempotent: files.length === 0 })).offer;
  }
  async removeCreatives(id: string | number, creativeIds: number[]): Promise<void> {
    this.offerReads.written(id);
    if (!creativeIds.length) return;
    await this.request({ method: "DELETE", path: `/3.0/admin/offer/${id}/remove-creative`, query: { creatives: creativeIds } });
  }
  async deleteOffer(id: string | number): Promise<void> {
    this.offerReads.written(id);
    try {
      await this.request({ method: "POST", path: "/3.0/admin/offer/delete", body: { form: { offer_id: [Number(id)] }, arrayFormat: "brackets" }, idempotent: true });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Every affiliate (partner) id of the account: `GET /3.0/admin/partners`, all pages (admin keys only). */
  async listPartnerIds(): Promise<number[]> {
    return (await this.pages<{ id: number | string }>("/3.0/admin/partners", "partners", {}, 10_000)).map((p) => Number(p.id)).filter((n) => n > 0);
  }

  // ---- postbacks ----
  async createPostback(form: Record<string, unknown>): Promise<W["postback"]> {
    const res = await this.create<W["postback"], Envelope<W>>({
      kind: "postback", id: (p) => String(p.id), createdId: (b) => b?.postback?.id, asResponse: (postback) => ({ status: 1, postback }),
      candidates: () => this.postbacksMatching(form.pid, form.url, form.offer_id),
      request: { method: "POST", path: "/3.0/partner/postback", body: { form } },
    });
    this.postbackReads.written(String(form.pid));
    if (!res.postback) throw new Error("Affise answered the postback create without the postback");
    return res.postback;
  }
  /** Natural key of a postback: affiliate, URL and offer (lost creates, `find`). */
  async postbacksMatching(pid: unknown, url: unknown, offerId: unknown): Promise<W["postback"][]> {
    return (await this.listPostbacks(Number(pid))).filter((p) => p.url === url && String(p.offer_id ?? "") === String(offerId ?? ""));
  }
  async updatePostback(id: string | number, form: Record<string, unknown>): Promise<W["postback"] | undefined> {
    this.postbackReads.written(String(form.pid));
    return (await this.request<Envelope<W>>({ method: "POST", path: `/3.0/partner/postback/${id}`, body: { form }, idempotent: true })).postback;
  }
  /** `pid`: the affiliate it belongs to (its postbacks are then read again in this run). */
  async deletePostback(id: string | number, pid?: number): Promise<void> {
    if (pid !== undefined) this.postbackReads.written(pid);
    try {
      await this.request({ method: "DELETE", path: `/3.0/partner/postback/${id}/remove` });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  /** One postback of an affiliate, from the affiliate's postbacks listed once per run for all of them. */
  async getPostback(pid: number, id: string | number): Promise<W["postback"] | undefined> {
    // The list holds postbacks of shape W["postback"] (kept as the base shape, so the client stays covariant in W).
    return ((await this.postbackReads.read(String(pid), String(id))) as W["postback"][]).find((p) => String(p.id) === String(id));
  }
  /** Every postback of one affiliate (there is no get-by-id): pages of 500, bounded. */
  async listPostbacks(pid: number, opts: { offerId?: string } = {}): Promise<W["postback"][]> {
    return this.pages<W["postback"]>("/3.0/admin/postbacks", "postbacks", { partner_id: pid, offer_ids: opts.offerId ? [opts.offerId] : undefined });
  }
}
