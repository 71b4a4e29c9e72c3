import { expect } from "chai";
import * as path from "path";
import { stalePages } from "../scripts/gen-docs";

describe("generated docs", () => {
  it("every network page's field reference matches the resource schemas (run `npm run docs` after changing a field)", () => {
    const stale = stalePages().map(([file]) => path.basename(file));
    expect(stale).to.deep.equal([]);
  });
});
