/**
 * The Registry-ready pages (docs/registry/_index.md: the overview;
 * docs/registry/installation-configuration.md), written by `npm run docs`
 * from the package schema (provider/plugin/schema.ts, itself generated from
 * the declarations): the package's description, its resource types with the
 * first sentence of each one's doc, the SDK of each language and the
 * provider's configuration with each setting's description. Pulumi's Registry
 * reads these two files (front matter `layout: package`).
 */
import { GO_IMPORT_BASE_PATH, packageSchema, PYTHON_PACKAGE } from "../provider/plugin/schema";

type Spec = Record<string, any>;

const firstSentence = (text: string) => (text.split(/\n\n/)[0].match(/^.*?[.!?](\s|$)/)?.[0] ?? text.split("\n")[0]).trim();
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const front = (title: string, desc: string) => ["---", `title: ${title}`, `meta_desc: ${desc}`, "layout: package", "---", ""].join("\n");
const GENERATED = "<!-- generated from the package schema by npm run docs (scripts/registry-docs.ts); do not edit by hand -->";

function schema(): Spec {
  return packageSchema(require("../../package.json").version);
}

/** docs/registry/_index.md: what the package is, its resource types, a first program in each language. */
export function registryIndex(s: Spec = schema()): string {
  const lines = [front(s.displayName, s.description), GENERATED, "", s.description, ""];
  lines.push("## Resources", "", "| Type | Network | What it is |", "| --- | --- | --- |");
  for (const [token, r] of Object.entries<Spec>(s.resources)) {
    const [, mod, type] = token.split(":");
    lines.push(`| \`${token}\` | ${mod} | ${cell(firstSentence(r.description))} |`);
    void type;
  }
  lines.push("", "## Example", "", "A landing page URL in the ExoClick library, in each language:", "");
  lines.push("TypeScript:", "", "```ts", 'import * as adnetworks from "pulumi-adnetworks/plugin";', "", 'const landing = new adnetworks.exoclick.LibraryUrl("landing", { url: "https://your-landing-page.com" });', "```", "");
  lines.push("Python:", "", "```python", `from ${PYTHON_PACKAGE} import exoclick`, "", 'landing = exoclick.LibraryUrl("landing", url="https://your-landing-page.com")', "```", "");
  lines.push("Go:", "", "```go", `import "${GO_IMPORT_BASE_PATH}/exoclick"`, "", 'landing, err := exoclick.NewLibraryUrl(ctx, "landing", &exoclick.LibraryUrlArgs{Url: pulumi.String("https://your-landing-page.com")})', "```", "");
  lines.push("YAML:", "", "```yaml", "resources:", "  landing:", `    type: ${s.name}:exoclick:LibraryUrl`, "    properties:", "      url: https://your-landing-page.com", "```", "");
  lines.push("See [Installation & Configuration](installation-configuration.md) for the packages and the credentials.", "");
  return lines.join("\n");
}

/** docs/registry/installation-configuration.md: the plugin and each language's SDK, then every configuration setting. */
export function registryInstallation(s: Spec = schema()): string {
  const lines = [front(`${s.displayName} Installation & Configuration`, `How to install the ${s.displayName} provider and configure its credentials.`), GENERATED, ""];
  lines.push("## Installation", "", `The provider plugin is \`pulumi-resource-${s.name}\` (${s.version}); programs use it through the SDK of their language:`, "");
  lines.push("| Language | Package |", "| --- | --- |");
  lines.push(`| TypeScript / JavaScript | \`${s.language.nodejs.packageName}\` (npm; \`import * as adnetworks from "${s.language.nodejs.packageName}/plugin"\`) |`);
  lines.push(`| Python | \`${s.language.python.packageName}\` (generated into \`sdk/python\`; \`pip install ./sdk/python\`) |`);
  lines.push(`| Go | \`${s.language.go.importBasePath}\` (generated into \`sdk/go/${s.name}\`) |`);
  lines.push(`| YAML | no package: \`type: ${s.name}:<network>:<Type>\` |`, "");
  lines.push("`npx adnet-setup` writes the plugin's launcher into `.tools/bin`; put it first on `PATH` (docs/plugin.md, docs/languages.md).", "");
  lines.push("## Configuration", "", `Stack configuration \`${s.name}:<name>\`, or the arguments of an explicit \`Provider\` (one per account):`, "");
  lines.push("| Name | Type | Secret | Description |", "| --- | --- | --- | --- |");
  const typeOf = (v: Spec) => (v.$ref ? v.$ref.split("/").pop().split(":").pop() : v.oneOf ? v.oneOf.map((o: Spec) => o.type).join(" or ") : v.type === "array" ? `array of ${v.items.type}` : v.type);
  for (const [name, v] of Object.entries<Spec>(s.config.variables)) lines.push(`| \`${name}\` | ${typeOf(v)} | ${v.secret ? "yes" : ""} | ${cell(v.description ?? "")} |`);
  lines.push("");
  for (const [name, v] of Object.entries<Spec>(s.config.variables)) {
    if (!v.$ref) continue;
    const t = s.types[v.$ref.replace("#/types/", "")];
    lines.push(`### \`${name}\``, "", t.description, "", "| Setting | Secret | Description |", "| --- | --- | --- |");
    for (const [k, p] of Object.entries<Spec>(t.properties)) lines.push(`| \`${k}\` | ${p.secret ? "yes" : ""} | ${cell(p.description ?? "")} |`);
    lines.push("", "```bash", `pulumi config set --secret --path ${s.name}:${name}.${Object.keys(t.properties).find((k) => t.properties[k].secret && k !== "accounts") ?? "baseUrl"} <value>`, "```", "");
  }
  return lines.join("\n");
}
