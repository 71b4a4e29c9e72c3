// Entry point for `pulumi up` in this directory. The program itself lives in
// program.ts so that the demo and the tests can run it too.
import { integr8Postbacks } from "./program";

const out = integr8Postbacks();
export const conversionPostbackId = out.conversionPostbackId;
export const eventPostbackId = out.eventPostbackId;
export const offerName = out.offerName;
export const applicationId = out.applicationId;
export const applicationStatus = out.applicationStatus;
