import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object that Pulumi serializes into every resource's state.
 * It must stay tiny and capture nothing but the type key: each method loads
 * the implementation from the installed package by its bare name at call
 * time (`pulumi-adnetworks/host` is a stable entry point that never moves),
 * so resources written by an old version are deleted and refreshed by the
 * code installed now, and no credential can end up in state.
 */
export function shim(key: string): pulumi.dynamic.ResourceProvider {
  return {
    configure: (req) => require("pulumi-adnetworks/host").configure(req),
    check: (olds, news) => require("pulumi-adnetworks/host").get(key).check(olds, news),
    diff: (id, olds, news) => require("pulumi-adnetworks/host").get(key).diff(id, olds, news),
    create: (inputs) => require("pulumi-adnetworks/host").get(key).create(inputs),
    read: (id, props) => require("pulumi-adnetworks/host").get(key).read(id, props),
    update: (id, olds, news) => require("pulumi-adnetworks/host").get(key).update(id, olds, news),
    delete: (id, props) => require("pulumi-adnetworks/host").get(key).delete(id, props),
  };
}
