/**
 * The languages adnet-import writes a program in (`--language`): each one's
 * emitter (the program's files from the listed objects, with the names kept
 * in adnet-import.names.json) and the project files it writes when missing.
 * TypeScript (codegen.ts) is the default and targets the dynamic resources;
 * the others target the provider plugin (`adnetworks:<network>:<Type>`):
 * YAML (yaml.ts, one Pulumi.yaml that a re-run rewrites in place, written by
 * importer.ts), Python (python.ts), Go (golang.ts).
 */
import type { Generated, ImportedObject, NameMap } from "./codegen";
import { generatePython, pythonProjectFiles } from "./python";
import { generateGo, goProjectFiles } from "./golang";

export const LANGUAGES = ["typescript", "python", "go", "yaml"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Emitter {
  generate(objs: ImportedObject[], networks: string[], previous: NameMap | undefined, account: string): Generated;
  /** Files of a new project (Pulumi.yaml ...), written only where missing. */
  projectFiles(o: { out: string; project: string; sdkVersion: string }): Record<string, string>;
}

/** The emitters of a program in files of its own (importer.ts writes TypeScript and YAML itself); a language without one is refused with a usage error. */
export const EMITTERS: Partial<Record<Exclude<Language, "typescript" | "yaml">, Emitter>> = {
  python: { generate: generatePython, projectFiles: (o) => pythonProjectFiles(o.project, o.sdkVersion) },
  go: { generate: (objs, networks, previous, account) => generateGo(objs, networks, previous, account), projectFiles: (o) => goProjectFiles(o.out, o.project, o.sdkVersion) },
};

/** Whether adnet-import can write `language` in this version. */
export const available = (language: Language) => language === "typescript" || language === "yaml" || !!EMITTERS[language];
