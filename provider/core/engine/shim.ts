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
    configure: (...a) => require("pulumi-adnetworks/host").call(key, "configure", a),
    check: (...a) => require("pulumi-adnetworks/host").call(key, "check", a),
    diff: (...a) => require("pulumi-adnetworks/host").call(key, "diff", a),
    create: (...a) => require("pulumi-adnetworks/host").call(key, "create", a),
    read: (...a) => require("pulumi-adnetworks/host").call(key, "read", a),
    update: (...a) => require("pulumi-adnetworks/host").call(key, "update", a),
    delete: (...a) => require("pulumi-adnetworks/host").call(key, "delete", a),
  };
}
