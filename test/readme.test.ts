import { sandboxConfig, sandboxCredentials } from "../provider/sandbox/config";
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, TOOLS } from "../scripts/lib/engine";
import { exampleStacks } from "../scripts/lib/examples";
import { parseCommandLine } from "../provider/cli/args";
import { NETWORKS } from "../provider/networks";
import { startSandbox, Sandbox } from "../provider/sandbox/server";
import { runChild } from "./support/processes";

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const pkg = require(path.join(ROOT, "package.json"));

/** GitHub's anchor of a heading. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[`*_]/g, "").replace(/[^\p{L}\p{N} -]/gu, "").replace(/ /g, "-");
}

function anchors(file: string): Set<string> {
  const text = fs.readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
}

/** Markdown links of a page (outside code blocks): [text](target). */
function links(text: string): string[] {
  return [...text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

/** The bash blocks' commands, one per line (continuations joined), comments dropped. */
function blockCommands(text: string): Array<{ block: number; line: string }> {
  const out: Array<{ block: number; line: string }> = [];
  [...text.matchAll(/```bash\n([\s\S]*?)```/g)].forEach((m, block) => {
    for (const raw of m[1].replace(/\\\n/g, " ").split("\n")) {
      const line = stripComment(raw).trim();
      if (line) out.push({ block, line });
    }
  });
  return out;
}

/** Commands quoted in the prose: `npx adnet-...`, `npm run ...`, `pulumi <verb> ...`. */
function inlineCommands(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "");
  return [...prose.matchAll(/`((?:npx adnet-|npm run |pulumi [a-z])[^`]*)`/g)].map((m) => m[1]);
}

function stripComment(line: string): string {
  let q: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = undefined;
    } else if (c === "'" || c === '"') q = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

interface Word {
  text: string;
  quoted: boolean;
}

/** Shell words of a line, split into simple commands at && ; | and a trailing &. */
function simpleCommands(line: string): Word[][] {
  const cmds: Word[][] = [[]];
  let w = "";
  let quoted = false;
  let inWord = false;
  let q: string | undefined;
  const end = () => {
    if (inWord) cmds[cmds.length - 1].push({ text: w, quoted });
    w = "";
    quoted = false;
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = undefined;
      else w += c;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      quoted = true;
      inWord = true;
    } else if (/\s/.test(c)) end();
    else if (c === "&" || c === ";" || c === "|") {
      end();
      if (line[i + 1] === c) i++;
      cmds.push([]);
    } else {
      w += c;
      inWord = true;
    }
  }
  end();
  return cmds.filter((c) => c.length);
}

/** A README command line as arguments: placeholders `<...>` become a value, optional `[...]` brackets go, an output redirection (`> file`) goes. */
function args(words: Word[]): string[] {
  const out = words.filter((w, i) => w.quoted || !(/^>>?/.test(w.text) || (i > 0 && !words[i - 1].quoted && /^>>?$/.test(words[i - 1].text))));
  return out.map((w) => (w.quoted ? w.text : w.text.replace(/^\[+|\]+$/g, "").replace(/<[^>]*>/g, "X"))).filter(Boolean);
}

function placeholders(line: string): string {
  return line.replace(/<[^>]*>/g, (m) => m.replace(/\s/g, "_"));
}

const pulumiChecked = new Map<string, { code: number | null; out: string }>();
/** `pulumi <args> --help` with the real CLI: the command and its flags exist (an unknown flag fails before help). */
function pulumiAccepts(a: string[]): { code: number | null; out: string } {
  const key = a.join(" ");
  let r = pulumiChecked.get(key);
  if (!r) {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-readme-home-"));
    const p = spawnSync(path.join(TOOLS, "bin", "pulumi"), [...a, "--help"], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: home, PULUMI_HOME: home, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 60_000 });
    fs.rmSync(home, { recursive: true, force: true });
    r = { code: p.status, out: `${p.stdout}${p.stderr}` };
    pulumiChecked.set(key, r);
  }
  return r;
}

const SHELL = new Set(["export", "cd", "mkdir", "printf", "cp", "echo", "ls"]);

/** Why a simple command from the README would not work, or undefined when it does. */
function problem(words: Word[]): string | undefined {
  const a = args(words);
  const [cmd, ...rest] = a[0] === "npx" ? a.slice(1) : a;
  if (SHELL.has(a[0])) return undefined;
  if (cmd?.startsWith("adnet-")) {
    const file = pkg.bin[cmd];
    if (!file) return `no command ${cmd} in package.json's bin`;
    const spec = require(path.join(ROOT, file)).SPEC;
    try {
      parseCommandLine(spec, rest);
    } catch (e: any) {
      return `${cmd}: ${e.message}`;
    }
    return undefined;
  }
  if (a[0] === "npm") {
    if (["ci", "test", "install"].includes(a[1])) return undefined;
    if (a[1] === "init" && a[2] === "-y") return undefined;
    if (a[1] === "run") {
      if (!pkg.scripts[a[2]]) return `no npm script ${a[2]}`;
      const extra = a.slice(a.indexOf("--") + 1);
      if (a[2] === "demo" && a.includes("--")) {
        const known = ["--keep", "--cleanup", "--only"];
        for (const x of extra) if (x.startsWith("--") && !known.includes(x)) return `npm run demo: no option ${x}`;
        const only = extra[extra.indexOf("--only") + 1];
        if (extra.includes("--only") && ![...exampleStacks().map((e) => e.name), "import"].includes(only)) return `npm run demo: no example ${only}`;
      }
      return undefined;
    }
    return `npm ${a[1]}: not checked by this test`;
  }
  if (a[0] === "pulumi") {
    const r = pulumiAccepts(a.slice(1));
    return r.code === 0 ? undefined : `pulumi ${a.slice(1).join(" ")}: ${r.out.trim().split("\n").slice(0, 3).join(" ")}`;
  }
  return `${a[0]}: not a command this test knows (add a rule to test/readme.test.ts)`;
}

describe("README: every command and link", function () {
  this.timeout(300_000);

  it("every relative link leads to a file, and every #anchor to a heading of it", () => {
    const pages = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const page of pages) {
      for (const l of links(fs.readFileSync(path.join(ROOT, page), "utf8"))) {
        if (/^[a-z]+:/i.test(l)) {
          broken.push(`${page}: ${l} (external links are not checked offline; link to a file in this repository)`);
          continue;
        }
        const [file, anchor] = l.split("#");
        const target = file ? path.resolve(path.dirname(path.join(ROOT, page)), file) : path.join(ROOT, page);
        if (!fs.existsSync(target)) broken.push(`${page}: ${l} (no file)`);
        else if (anchor && !anchors(target).has(anchor)) broken.push(`${page}: ${l} (no heading #${anchor})`);
      }
    }
    expect(broken).to.deep.equal([]);
    expect(links(README).length).to.be.greaterThan(15);
  });

  it("every command in the bash blocks and in the prose exists, with options its parser or the real Pulumi CLI accepts", () => {
    const lines = [...blockCommands(README).map((c) => c.line), ...inlineCommands(README)];
    expect(lines.length).to.be.greaterThan(40);
    const problems: string[] = [];
    let checked = 0;
    for (const line of lines) {
      for (const words of simpleCommands(placeholders(line))) {
        const p = problem(words);
        checked++;
        if (p) problems.push(`${line}\n    -> ${p}`);
      }
    }
    expect(problems, problems.join("\n")).to.deep.equal([]);
    expect(checked).to.be.greaterThan(40);
  });

  it("the networks table names each network's sandbox base URL and credentials as the sandbox serves them", () => {
    const rows = README.split("\n").filter((l) => l.startsWith("| ") && l.includes("http://127.0.0.1:8787/"));
    for (const n of NETWORKS) {
      const row = rows.find((r) => r.includes(`http://127.0.0.1:8787/${n.name}`));
      expect(row, n.name).to.be.a("string");
      for (const [k, v] of Object.entries(sandboxConfig(n.name, "http://127.0.0.1:8787/" + n.name))) {
        if (k.endsWith(":baseUrl")) expect(row, `${n.name} base URL`).to.contain(`\`${v.value}\``);
        else expect(row, `${n.name} ${k}`).to.contain(`\`${k}\` = \`${v.value}\``);
      }
      // Every account the sandbox serves (the second one, brandB, too), from the sandbox's own account list.
      const creds = sandboxCredentials(n.name);
      expect(creds.some((c) => c.account !== "default"), `${n.name}: the sandbox serves a second account`).to.equal(true);
      for (const c of creds) expect(row, `${n.name} ${c.key}`).to.contain(`\`${c.key}\` = \`${c.value}\``);
    }
  });

  describe("@e2e running an example by hand, as written (a temporary HOME, the real CLI, a sandbox)", () => {
    let sb: Sandbox;
    let tmp: string;
    before(async () => {
      sb = await startSandbox({ port: 0 });
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adnet-readme-"));
    });
    after(async () => {
      await sb?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("the block's commands deploy examples/exoclick-banner to the sandbox and destroy it", async () => {
      const section = README.slice(README.indexOf("## Running an example by hand"), README.indexOf("### Against the real ExoClick API"));
      const block = /```bash\n([\s\S]*?)```/.exec(section)![1];
      // A copy of the repository's parts the block uses, so the stack settings land there.
      const repo = path.join(tmp, "repo");
      fs.mkdirSync(path.join(repo, "examples"), { recursive: true });
      for (const f of ["node_modules", ".tools", "package.json", "tsconfig.json", "dist"]) fs.symlinkSync(path.join(ROOT, f), path.join(repo, f));
      fs.cpSync(path.join(ROOT, "examples", "exoclick-banner"), path.join(repo, "examples", "exoclick-banner"), { recursive: true });
      const port = new URL(sb.url).port;
      let script = block
        .replace(/^npm ci && npm run build && npm run setup:pulumi.*$/m, "# (built and set up by `npm test`)")
        .replace(/^npx adnet-sandbox .*$/m, "# (the test's sandbox)")
        .replace(/127\.0\.0\.1:8787/g, `127.0.0.1:${port}`)
        // `--local` is file://~, and the CLI (built with osusergo) finds ~ in /etc/passwd, not $HOME: keep it in the temporary HOME.
        .replace(/^pulumi login --local\b/m, 'pulumi login "file://$HOME"');
      expect(script).to.contain("pulumi up");
      expect(script).to.contain('pulumi login "file://$HOME"');
      script = `set -e\n${script}`;
      const home = path.join(tmp, "home");
      fs.mkdirSync(home);
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, PULUMI_HOME: path.join(home, ".pulumi"), PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_SKIP_CONFIRMATIONS: "true" };
      const r = await runChild("bash", ["-c", script], { cwd: repo, env });
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/\+ 5 created/);
      expect(r.out).to.match(/- 5 deleted/);
      const inv = sb.inventory().exoclick as Record<string, unknown[]>;
      expect(Object.values(inv).every((items) => items.length === 0)).to.equal(true);
      expect(sb.journal.filter((j) => j.method === "POST").length).to.be.greaterThan(3);
    });
  });
});
