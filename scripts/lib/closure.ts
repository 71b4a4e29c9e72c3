/**
 * The previous design, for the benchmark's comparison row: each resource a
 * `pulumi.dynamic.Resource` whose __provider is the serialized closure of
 * core/engine/shim.ts (2.2 KB), with one provider object per resource type, as a
 * typical dynamic provider has (`const provider = { create, ... }` at module
 * level), so the SDK serializes each type's closure once and reuses the text
 * (its cache is keyed by the provider object). The resource classes are the
 * current ones; while `withClosureDesign` runs, the class in each chain that
 * extends AdnetResource (`resourceClass`'s class, one level below the
 * exported one) extends this base instead (a class's super constructor is
 * its prototype), so props, types and names are exactly the same.
 */
import * as pulumi from "@pulumi/pulumi";

export async function withClosureDesign<T>(classes: Function[], fn: () => Promise<T>): Promise<T> {
  const { shim } = require("../../provider/core/engine/shim");
  const { AdnetResource } = require("../../provider/core/engine/reference");
  const providers = new Map<string, pulumi.dynamic.ResourceProvider>();
  class ClosureResource extends pulumi.dynamic.Resource {
    constructor(key: string, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
      const [module, type] = key.split(":");
      if (!providers.has(key)) providers.set(key, shim(key));
      super(providers.get(key)!, name, { ...props }, opts, module, type);
    }
  }
  const swapped: Array<[Function, Function]> = [];
  for (const c of classes) {
    let link: Function | null = c;
    while (link && Object.getPrototypeOf(link) !== AdnetResource) link = Object.getPrototypeOf(link);
    if (!link) throw new Error(`withClosureDesign: ${c.name} does not extend AdnetResource`);
    if (!swapped.some(([l]) => l === link)) swapped.push([link, Object.getPrototypeOf(link)]);
  }
  swapped.forEach(([l]) => Object.setPrototypeOf(l, ClosureResource));
  try {
    return await fn();
  } finally {
    swapped.forEach(([l, base]) => Object.setPrototypeOf(l, base));
  }
}

/** The exported ExoClick classes, as the program loads them. */
export function exoclickClasses(): Function[] {
  const { exoclick } = require("pulumi-adnetworks");
  return [exoclick.LibraryUrl, exoclick.LibraryFile, exoclick.Campaign, exoclick.Variation];
}
