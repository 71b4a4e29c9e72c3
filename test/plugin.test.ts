import { expect } from "chai";
import { createRequire } from "module";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { resetStackConfig } from "../provider/core/config/config";
import { resetContexts } from "../provider/core/config/context";
import { serve, leanOutputs, UNKNOWN } from "../provider/plugin/server";
import { leanInputs, withDefaults } from "../provider/plugin/defaults";
import { packageSchema } from "../provider/plugin/schema";
import { settingsOf } from "../provider/plugin/config";
import { NETWORKS } from "../provider/networks";
import { campaign } from "../provider/exoclick/campaign";
import type { Field, Fields } from "../provider/core/schema/schema";
import { pluginConfig } from "./support/plugin";

const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc: typeof import("@grpc/grpc-js") = sdkRequire("@grpc/grpc-js");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const structproto = sdkRequire("google-protobuf/google/protobuf/struct_pb");
const emptyproto = sdkRequire("google-protobuf/google/protobuf/empty_pb");

const TYPE = "adnetworks:exoclick:Campaign";
const URN = `urn:pulumi:dev::p::${TYPE}::c`;

/** The plugin server in this process, spoken to over gRPC as the engine does. */
describe("provider plugin (pulumi-resource-adnetworks) over gRPC, without the engine", function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let server: import("@grpc/grpc-js").Server;
  let client: any;
  const call = (method: string, req: any): Promise<any> => new Promise((resolve, reject) => client[method](req, (err: any, res: any) => (err ? reject(err) : resolve(res))));
  const struct = (o: object) => structproto.Struct.fromJavaScript(o);

  before(async () => {
    sb = await startSandbox({ port: 0 });
    const s = await serve("");
    server = s.server;
    client = new provrpc.ResourceProviderClient(`127.0.0.1:${s.port}`, grpc.credentials.createInsecure());
  });
  after(async () => {
    client?.close();
    server?.forceShutdown();
    resetStackConfig();
    resetContexts();
    await sb?.close();
  });

  it("the schema is typed from the declarations: objects and lists typed, enums named, config secret", () => {
    const schema = packageSchema("1.2.3") as any;
    expect(Object.keys(schema.resources).sort()).to.deep.equal(NETWORKS.flatMap((n) => Object.keys(n.resources).map((t) => `adnetworks:${n.name}:${t}`)).sort());
    const c = schema.resources[TYPE];
    expect(c.inputProperties.pricing.$ref).to.equal("#/types/adnetworks:exoclick:CampaignPricing");
    expect(schema.types["adnetworks:exoclick:CampaignPricing"].properties.price.description).to.match(/Unit: /);
    const model = schema.types["adnetworks:exoclick:CampaignPricingModel"];
    expect(model.type).to.equal("integer");
    expect(model.enum.find((e: any) => e.value === 4)).to.include({ name: "SmartCPM", description: "smart CPM" });
    expect(c.inputProperties.advertiserAdType.replaceOnChanges).to.equal(true);
    expect(c.requiredInputs).to.include("name");
    // No Any where the declaration knows the shape: only `json` fields are free form.
    const anys: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) (k === "$ref" && x === "pulumi.json#/Any" ? anys.push(path) : walk(x, `${path}.${k}`));
    };
    walk(schema.resources, "");
    walk(schema.types, "");
    // Every `json` field (free form by declaration), nested ones too: input and output property each.
    let json = 0;
    const count = (f: Field): void => {
      if (f.kind === "json") json++;
      if (f.kind === "object") Object.values(f.fields).forEach(count);
      if (f.kind === "list") count(f.items);
      if (f.kind === "map") count(f.values);
    };
    for (const n of NETWORKS) for (const d of Object.values(n.resources) as Array<{ fields: Fields }>) for (const f of Object.values(d.fields)) count(f);
    expect(anys.length, anys.join(", ")).to.be.greaterThan(0).and.at.most(json * 2);
    expect(schema.types["adnetworks:index:ExoclickSettings"].properties.apiToken.secret).to.equal(true);
    expect(schema.config.variables.exoclick.$ref).to.equal("#/types/adnetworks:index:ExoclickSettings");
  });

  it("a provider's configuration is the settings of the dynamic resources' keys (objects, JSON text, secret wrappers)", () => {
    const secret = (v: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: v });
    expect(settingsOf({ exoclick: { apiToken: secret("t"), baseUrl: "u" }, affise: JSON.stringify({ apiKey: "k" }), maxDailyBudget: 500 })).to.deep.equal({
      "exoclick:apiToken": "t", "exoclick:baseUrl": "u", "affise:apiKey": "k", "adnetworks:maxDailyBudget": "500",
    });
  });

  it("settings in snake_case are read (Python's and Go's plain maps); a setting no network declares is refused at CheckConfig, naming it and the nearest name", async () => {
    expect(settingsOf({ exoclick: { api_token: "t", base_url: "u" } })).to.deep.equal({ "exoclick:apiToken": "t", "exoclick:baseUrl": "u" });
    const req = new provproto.CheckRequest();
    req.setUrn("urn:pulumi:dev::p::pulumi:providers:adnetworks::brandB");
    req.setNews(struct({ exoclick: { apiTokn: "t", base_url: "u" }, affise: { apiKey: "k" } }));
    const res = await call("checkConfig", req);
    const failures = res.getFailuresList().map((f: any) => [f.getProperty(), f.getReason()]);
    expect(failures.map((f: string[]) => f[0])).to.deep.equal(["exoclick.apiTokn"]);
    expect(failures[0][1]).to.match(/ExoClick has no setting "apiTokn" \(did you mean "apiToken"\?\); its settings are .*apiToken/);
    const ok = new provproto.CheckRequest();
    ok.setUrn("urn:pulumi:dev::p::pulumi:providers:adnetworks::brandA");
    ok.setNews(struct({ exoclick: { api_token: "t" } }));
    expect((await call("checkConfig", ok)).getFailuresList()).to.have.length(0);
  });

  it("lean outputs: only what the network computed, and an input only where the network holds another value", () => {
    const inputs = { name: "a", maxDailyBudget: 20 };
    expect(leanOutputs(campaign.fields, inputs, { name: "a", maxDailyBudget: 20, status: 0, __provider: "x" } as any)).to.deep.equal({});
    expect(leanOutputs(campaign.fields, inputs, { name: "b", maxDailyBudget: 20 })).to.deep.equal({ name: "b" });
  });

  it("lean inputs: a value equal to its declared default is left out of the stored inputs, and put back before the core reads them", () => {
    const given = { name: "a", status: 0, advertiserAdType: 0, mediaStorageTemplate: "img_banner", size: "300x250", maxDailyBudget: 20 };
    const lean = leanInputs(campaign.fields, given);
    expect(lean).to.deep.equal({ name: "a", size: "300x250", maxDailyBudget: 20 });
    expect(withDefaults(campaign.fields, lean)).to.deep.include(given);
    // Another value than the default stays; a field without a default (maxDailyBudget is the network's choice) is never filled.
    expect(leanInputs(campaign.fields, { ...given, status: 1 })).to.include({ status: 1 });
    expect(withDefaults(campaign.fields, { name: "a" })).to.not.have.property("maxDailyBudget");
    expect(withDefaults(campaign.fields, undefined)).to.equal(undefined);
  });

  it("GetPluginInfo, GetSchema, Configure; Check, Create (preview: unknowns, no request), Diff (detailed), Read (import), Delete", async () => {
    const info = await call("getPluginInfo", new emptyproto.Empty());
    expect(info.getVersion()).to.equal(require("../../package.json").version);
    const schema = JSON.parse((await call("getSchema", new provproto.GetSchemaRequest())).getSchema());
    expect(schema.name).to.equal("adnetworks");

    const conf = new provproto.ConfigureRequest();
    conf.setArgs(struct(pluginConfig(sb, ["exoclick"])));
    const configured = await call("configure", conf);
    expect(configured.getSupportspreview()).to.equal(true);

    const news = { name: "Plugin banner", status: 0, mediaStorageTemplate: "img_banner", size: "300x250", categories: { type: "targeted", elements: [97] }, countries: { type: "targeted", elements: [{ country: "USA" }] }, pricing: { model: 4, price: 3 }, startDate: "2027-03-02", dailyLimitType: 1, maxDailyBudget: 20 };
    const check = new provproto.CheckRequest();
    check.setUrn(URN);
    check.setType(TYPE);
    check.setOlds(struct({}));
    check.setNews(struct(news));
    const checked = await call("check", check);
    expect(checked.getFailuresList().map((f: any) => f.getReason())).to.deep.equal([]);
    const inputs = checked.getInputs().toJavaScript();
    // Stored lean: the declared defaults the program gave are left out (and still sent, below).
    expect(inputs).to.not.have.any.keys("status", "mediaStorageTemplate", "advertiserAdType");

    const before = sb.journal.length;
    const preview = new provproto.CreateRequest();
    preview.setUrn(URN);
    preview.setType(TYPE);
    preview.setProperties(struct(inputs));
    preview.setPreview(true);
    const previewed = await call("create", preview);
    expect(sb.journal.length, "a preview sends nothing").to.equal(before);
    expect(previewed.getId()).to.equal("");
    expect(Object.values(previewed.getProperties().toJavaScript())).to.satisfy((v: unknown[]) => v.every((x) => x === UNKNOWN));

    const create = new provproto.CreateRequest();
    create.setUrn(URN);
    create.setType(TYPE);
    create.setProperties(struct(inputs));
    const created = await call("create", create);
    const id = created.getId();
    expect(id).to.match(/^\d+$/);
    const made = (sb.network("exoclick") as any).data.campaigns[id];
    expect([made.status, made.media_storage_template, made.advertiser_ad_type]).to.deep.equal([0, "img_banner", 0]);
    const outs = created.getProperties().toJavaScript();
    expect(outs).to.not.have.property("name");
    expect(outs).to.not.have.property("__provider");

    const diff = new provproto.DiffRequest();
    diff.setId(id);
    diff.setUrn(URN);
    diff.setType(TYPE);
    diff.setOlds(struct(outs));
    diff.setOldInputs(struct(inputs));
    diff.setNews(struct({ ...inputs, maxDailyBudget: 25, pricing: { model: 4, price: 4 }, size: "728x90" }));
    const d = await call("diff", diff);
    expect(d.getChanges()).to.equal(provproto.DiffResponse.DiffChanges.DIFF_SOME);
    expect(d.getReplacesList()).to.deep.equal(["size"]);
    const detailed: Record<string, number> = {};
    d.getDetaileddiffMap().forEach((v: any, k: string) => (detailed[k] = v.getKind()));
    const K = provproto.PropertyDiff.Kind;
    expect(detailed).to.deep.equal({ maxDailyBudget: K.UPDATE, "pricing.price": K.UPDATE, size: K.UPDATE_REPLACE });

    const same = new provproto.DiffRequest();
    same.setId(id);
    same.setUrn(URN);
    same.setType(TYPE);
    same.setOlds(struct(outs));
    same.setOldInputs(struct(inputs));
    same.setNews(struct(inputs));
    expect((await call("diff", same)).getChanges()).to.equal(provproto.DiffResponse.DiffChanges.DIFF_NONE);

    // Import: an id and nothing else.
    const read = new provproto.ReadRequest();
    read.setId(id);
    read.setUrn(URN);
    read.setType(TYPE);
    const r = await call("read", read);
    expect(r.getId()).to.equal(id);
    expect(r.getInputs().toJavaScript()).to.include({ name: "Plugin banner", maxDailyBudget: 20 });
    expect(r.getInputs().toJavaScript()).to.not.have.any.keys("status", "mediaStorageTemplate", "advertiserAdType");

    const del = new provproto.DeleteRequest();
    del.setId(id);
    del.setUrn(URN);
    del.setType(TYPE);
    del.setProperties(struct(outs));
    del.setOldInputs(struct(inputs));
    await call("delete", del);
    const gone = await call("read", read);
    expect(gone.getId()).to.equal("");
  });

  it("List streams each object of the account as its import id and name (the one list adnet-import reads); `account` lists another account; `limit` caps it; the schema gives listable types listInputs", async () => {
    const schema = packageSchema("1.2.3") as any;
    expect(schema.resources["adnetworks:exoclick:LibraryUrl"].listInputs.properties).to.have.property("account");
    const conf = new provproto.ConfigureRequest();
    conf.setArgs(struct({ exoclick: { ...pluginConfig(sb, ["exoclick"]).exoclick, accounts: JSON.stringify({ brandB: pluginConfig(sb, ["exoclick"], "brandB").exoclick }) } }));
    await call("configure", conf);
    const token = "adnetworks:exoclick:LibraryUrl";
    const made: string[] = [];
    for (const url of ["https://example.com/list-a", "https://example.com/list-b"]) {
      const create = new provproto.CreateRequest();
      create.setUrn(`urn:pulumi:dev::p::${token}::${url.slice(-6)}`);
      create.setType(token);
      create.setProperties(struct({ url }));
      made.push((await call("create", create)).getId());
    }
    const list = (query: object, limit = 0): Promise<Array<{ id: string; name: string }>> => new Promise((resolve, reject) => {
      const req = new provproto.ListRequest();
      req.setToken(token);
      req.setQuery(struct(query));
      req.setLimit(limit);
      const out: Array<{ id: string; name: string }> = [];
      const stream = client.list(req);
      stream.on("data", (res: any) => out.push({ id: res.getResult().getId(), name: res.getResult().getName() }));
      stream.on("error", reject);
      stream.on("end", () => resolve(out));
    });
    const before = sb.journal.length;
    const all = await list({});
    expect(all.filter((x) => made.includes(x.id))).to.deep.equal([{ id: made[0], name: "https://example.com/list-a" }, { id: made[1], name: "https://example.com/list-b" }]);
    expect(sb.journal.slice(before).every((e) => e.method === "GET"), "List only reads").to.equal(true);
    expect(await list({}, 1)).to.have.length(1);
    // Another account holds none of them: its ids are "<account>:<id>".
    const create = new provproto.CreateRequest();
    create.setUrn(`urn:pulumi:dev::p::${token}::b`);
    create.setType(token);
    create.setProperties(struct({ url: "https://example.com/list-brandb", account: "brandB" }));
    const b = (await call("create", create)).getId();
    expect(await list({ account: "brandB" })).to.deep.equal([{ id: `brandB:${b.replace(/^brandB:/, "")}`, name: "https://example.com/list-brandb" }]);
    // An unknown type: the stream ends with the error.
    const bad = new provproto.ListRequest();
    bad.setToken("adnetworks:exoclick:Nothing");
    const err = await new Promise<any>((resolve) => {
      const stream = client.list(bad);
      stream.on("data", () => undefined);
      stream.on("error", resolve);
      stream.on("end", () => resolve(undefined));
    });
    expect(String(err?.details)).to.contain("no resource type adnetworks:exoclick:Nothing");
  });
});
