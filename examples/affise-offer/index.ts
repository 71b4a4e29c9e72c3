// Entry point for `pulumi up` in this directory. The program itself lives in
// program.ts so that the demo and the tests can run it too.
import { affiseOffer } from "./program";

const out = affiseOffer();
export const offerId = out.offerId;
export const postbackId = out.postbackId;
