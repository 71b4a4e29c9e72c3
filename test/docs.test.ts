import { expect } from "chai";
import * as path from "path";
import { stalePages } from "../scripts/gen-docs";

describe("generated docs", () => {
  it("every network page's field reference and every network's resource classes (provider/<network>/index.ts) match the resource definitions (run `npm run docs` after changing a doc or a field)", () => {
    const stale = stalePages().map(([file]) => path.basename(file));
    expect(stale).to.deep.equal([]);
  });
});
