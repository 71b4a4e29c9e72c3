// Entry point for `pulumi up` in this directory. The program itself lives in
// program.ts so that the demo and the tests can run it too.
import { exoclickBanner } from "./program";

const out = exoclickBanner();
export const libraryUrlId = out.libraryUrlId;
export const libraryFileId = out.libraryFileId;
export const campaignId = out.campaignId;
export const variationId = out.variationId;
