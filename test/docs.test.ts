import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { handWritten, moneyFields, stalePages, unitsSection } from "../scripts/gen-docs";
import { NETWORKS } from "../provider/networks";
import { ROOT } from "../scripts/lib/engine";

describe("generated docs", () => {
  it("every network page's field reference and every network's resource classes (provider/<network>/index.ts) match the resource definitions (run `npm run docs` after changing a doc or a field)", () => {
    const stale = stalePages().map(([file]) => path.basename(file));
    expect(stale).to.deep.equal([]);
  });

  it("one statement of units per network: every money field is in its page's generated units table with the unit it declares, and the network says where its unit and precision come from", () => {
    const sent = { cents: "cents: x 100", minor: "the currency's minor units", major: "major units, as written" };
    let checked = 0;
    for (const n of NETWORKS) {
      const fields = moneyFields(n);
      const page = fs.readFileSync(path.join(ROOT, n.docs), "utf8");
      if (!fields.length) {
        expect(unitsSection(n), n.name).to.equal(undefined);
        continue;
      }
      expect(n.amounts, `${n.name}: the network's \`amounts\` source`).to.match(/^(confirmed|inferred)/);
      for (const { path: p, field } of fields) {
        const [type, ...rest] = p.split(".");
        const row = page.split("\n").find((l) => l.startsWith(`| \`${n.name}.${type}\` \`${rest.join(".")}\``));
        expect(row, `${n.name} ${p}`).to.be.a("string");
        expect(row, `${n.name} ${p}`).to.contain(sent[field.money!]);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(8);
  });

  it("no hand-written text says a program's amount is in minor units or cents: where a page names them, it says what is sent or read (the Topsort page said minor units while the code takes major units)", () => {
    const pages = [...NETWORKS.map((n) => n.docs), "docs/guardrails.md", "README.md"];
    const wrong: string[] = [];
    for (const p of pages) {
      const text = handWritten(fs.readFileSync(path.join(ROOT, p), "utf8"));
      text.split("\n").forEach((line) => {
        if (/\bminor units\b|\bcents\b/i.test(line) && !/\bsent\b|\bwire\b|\bread in\b|`money: "(cents|minor)"`|x 100/i.test(line)) wrong.push(`${p}: ${line.trim()}`);
      });
    }
    expect(wrong).to.deep.equal([]);
  });
});
