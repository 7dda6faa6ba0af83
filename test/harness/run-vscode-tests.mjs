// Runs the mocha suites of test/vscode inside the extension host of a real VS Code (code-server),
// one server + one browser page per scenario, the way @vscode/test-electron would in Electron.
// Usage: node test/harness/run-vscode-tests.mjs [scenario…]   (default: all scenarios)
import { cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { createRunDirs, delay, launchBrowser, repoRoot, startCodeServer, isNoise } from './codeServer.mjs';
import { prepareDevShellScenario } from './devShellFixture.mjs';
import { prepareMultiProjectScenario } from './multiProjectFixture.mjs';
import { cleanUpDerivationsScenario, prepareDerivationsScenario } from './derivationsFixture.mjs';
import { prepareNixErrorsScenario } from './nixErrorsFixture.mjs';
import { prepareRemoteBuildersScenario } from './remoteBuildersFixture.mjs';
import { prepareFolderChurnScenario } from './folderChurnFixture.mjs';

// Bounds a hang, not a speed: a scenario takes about 10 s. Overridable to check the harness's own cleanup.
const SCENARIO_TIMEOUT_MS = Number(process.env.NIXIFY_SCENARIO_TIMEOUT_MS) || 120_000;
// Printed by test/vscode/index.ts after mocha finishes; the only trusted source of the counts.
const SUMMARY_PREFIX = 'NIXIFY_MOCHA_SUMMARY ';
const testsEntry = path.join(repoRoot, 'out/test/vscode/index.js');
// The workbench logs its own start-up through the same channel; none of it is about our extension.
const WORKBENCH_CHATTER = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^\[AgentHost/,
  /^\[AccountPolicyGate\]/,
  /authentication provider 'github'/,
  /^Creation of workbench contribution/,
];
const isChatter = (text) => isNoise(text) || WORKBENCH_CHATTER.some((re) => re.test(text));

// The workspaces are copied into each run folder so that suites which edit files never touch the repo.
const SCENARIOS = [
  { name: 'single', folder: 'single' },
  { name: 'with-flake', folder: 'with-flake' },
  { name: 'multi-root', workspace: 'multi-root.code-workspace' },
  { name: 'empty', folder: 'empty' },
  { name: 'nixify', workspace: 'nixify.code-workspace' },
  // Real Nix evaluations and a real rust-analyzer: longer than the others.
  { name: 'devshell', folder: 'devshell', prepare: prepareDevShellScenario, timeoutMs: 420_000 },
  // A fixture flake with real signed binary caches; the folder lives where the nix helper made it.
  {
    name: 'derivations',
    folder: 'derivations',
    prepare: prepareDerivationsScenario,
    cleanUp: cleanUpDerivationsScenario,
  },
  {
    name: 'devshell-multi-root',
    workspace: 'devshell-multi.code-workspace',
    prepare: prepareDevShellScenario,
  },
  // Separate Cargo packages: one flake for all of them, its dev shells listed by a real Nix offline.
  {
    name: 'multi-project',
    folder: 'multi-project',
    prepare: prepareMultiProjectScenario,
    timeoutMs: 300_000,
  },
  // Breaks and mends a flake without inputs: Nix's errors in Problems, with the real Nix.
  { name: 'nix-errors', folder: 'nix-errors', prepare: prepareNixErrorsScenario },
  // Two remote builders in NIX_CONFIG (never contacted): where each derivation would build.
  { name: 'remote-builders', folder: 'remote-builders', prepare: prepareRemoteBuildersScenario },
  // Folders added and removed while Nix evaluates them: no process and no view entry outlives its folder.
  {
    name: 'folder-churn',
    workspace: 'folder-churn.code-workspace',
    prepare: prepareFolderChurnScenario,
    timeoutMs: 240_000,
  },
];

async function runScenario(scenario) {
  const dirs = await createRunDirs(`vscode-${scenario.name}`);
  const workspaces = path.join(dirs.runDir, 'workspaces');
  await cp(path.join(repoRoot, 'test/vscode/workspaces'), workspaces, { recursive: true });

  const result = { name: scenario.name, passes: 0, failures: 0, pending: 0, summary: false, exitCode: null };
  let server;
  let browser;
  try {
    const scenarioEnv = (await scenario.prepare?.({ runDir: dirs.runDir, workspaces })) ?? {};
    server = await startCodeServer({
      name: scenario.name,
      dirs,
      smokeTestDriver: true,
      env: { NIXIFY_TEST_SCENARIO: scenario.name, ...scenarioEnv },
    });
    browser = await launchBrowser(dirs.runDir);
    const page = browser.pages()[0] ?? (await browser.newPage());

    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (text.startsWith(SUMMARY_PREFIX)) {
        Object.assign(result, JSON.parse(text.slice(SUMMARY_PREFIX.length)), { summary: true });
      } else if (!isChatter(text)) {
        // A gutter on every line: mocha's own "N passing" lines must not look like this script's total
        // to tools that read the last count in the output.
        const tag = type === 'info' || type === 'log' ? '' : `[${type}] `;
        const gutter = `${scenario.name} │ `;
        console.log(`${gutter}${tag}${text.replace(/\n/g, `\n${gutter}`)}`);
      }
    });

    const remote = (abs) => `vscode-remote://127.0.0.1:${server.port}${abs}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(testsEntry)],
    ];
    const folder = scenarioEnv.NIXIFY_TEST_FOLDER ?? path.join(workspaces, scenario.folder ?? '');
    const target = scenario.workspace
      ? `workspace=${encodeURIComponent(path.join(workspaces, scenario.workspace))}`
      : `folder=${encodeURIComponent(folder)}`;
    await page.goto(`${server.url}/?${target}&payload=${encodeURIComponent(JSON.stringify(payload))}`);

    const timeoutMs = process.env.NIXIFY_SCENARIO_TIMEOUT_MS
      ? SCENARIO_TIMEOUT_MS
      : (scenario.timeoutMs ?? SCENARIO_TIMEOUT_MS);
    const code = await Promise.race([exited, delay(timeoutMs).then(() => 'timeout')]);
    if (code === 'timeout') {
      console.log(`  scenario ${scenario.name} timed out after ${timeoutMs / 1000} s`);
      console.log(
        server.log
          .slice(-20)
          .map((line) => `  [code-server] ${line}`)
          .join('\n'),
      );
    }
    result.exitCode = code;
  } catch (error) {
    console.log(`  scenario ${scenario.name} could not run: ${error.message}`);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    await scenario.cleanUp?.();
  }
  // A run that ended without mocha's summary (crash, timeout, load error) counts as one failure.
  if (!result.summary && result.failures === 0) result.failures = 1;
  return result;
}

async function main() {
  if (!existsSync(testsEntry)) {
    console.error('out/test/vscode/index.js is missing: run `npm run compile-tests` first');
    process.exit(2);
  }
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    process.exit(2);
  }
  const selected = wanted.length > 0 ? SCENARIOS.filter((s) => wanted.includes(s.name)) : SCENARIOS;

  let passed = 0;
  let failed = 0;
  let ok = true;
  for (const scenario of selected) {
    console.log(`\n=== scenario ${scenario.name}`);
    const result = await runScenario(scenario);
    passed += result.passes;
    failed += result.failures;
    const scenarioOk = result.summary && result.failures === 0 && result.exitCode === 0;
    if (!scenarioOk) ok = false;
    const pending = result.pending > 0 ? `, ${result.pending} pending (not counted as passed)` : '';
    console.log(`=== ${scenario.name}: ${result.passes} passed, ${result.failures} failed${pending}`);
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(ok && failed === 0 ? 0 : 1);
}

await main();
