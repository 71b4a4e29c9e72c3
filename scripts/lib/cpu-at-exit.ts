/**
 * A preload for measuring (`node --require .../cpu-at-exit.js`, used by
 * `npm run bench:profile -- --user --no-prof` through the project's
 * `nodeargs`): at its exit the process appends its CPU seconds (user +
 * system) as one line to the file named by ADNET_CPU_AT_EXIT. Nothing else.
 */
import * as fs from "fs";

const file = process.env.ADNET_CPU_AT_EXIT;
if (file) {
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    fs.appendFileSync(file, `${((user + system) / 1e6).toFixed(2)}\n`);
  });
}
