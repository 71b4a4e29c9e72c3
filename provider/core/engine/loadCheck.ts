/**
 * Imported first by the package's entry points (provider/index.ts, the
 * provider host's registry): refuses a Node.js or @pulumi/pulumi outside
 * the tested range before any resource is registered (core/engine/compat.ts).
 */
import { assertCompatible } from "./compat";

assertCompatible();
