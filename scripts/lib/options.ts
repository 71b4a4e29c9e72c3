/**
 * The benchmark scripts' command line: `--help` prints the calling script's
 * leading doc comment (compiled output starts with helpers, so it is found by
 * its `/**`), and `opt("--n")` reads `--n 100` or `--n=100`.
 */
import * as fs from "fs";

export interface ScriptOptions {
  argv: string[];
  opt(name: string): string | undefined;
}

export function scriptOptions(filename: string, argv = process.argv.slice(2)): ScriptOptions {
  if (argv.includes("--help") || argv.includes("-h")) {
    const src = fs.readFileSync(filename, "utf8");
    const at = src.indexOf("/**");
    process.stdout.write(src.slice(at + 3, src.indexOf("*/", at)).replace(/^\n/, "").replace(/^ \* ?/gm, ""));
    process.exit(0);
  }
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  return { argv, opt };
}
