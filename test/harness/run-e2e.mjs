// UI test on a real VS Code: the extension is installed the way a user gets it (the packaged .vsix,
// through code-server's `--install-extension`; no development path, no smoke-test driver), the Nixify
// view is opened by clicking the activity bar, and every crate the CLI detects must appear in it; then
// the extension's own page (icon, README, changelog). Screenshots (test/harness/screenshots.mjs) go to
// docs/screenshots/, which the README shows.
// Usage: node test/harness/run-e2e.mjs [folder]   (default: examples/)
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRunDirs, launchBrowser, repoRoot, startCodeServer } from './codeServer.mjs';
import { installExtension } from './installExtension.mjs';
import { saveFailureScreenshot, saveScreenshot } from './screenshots.mjs';
import {
  distinctTokenColours,
  expandAll,
  focusEditorTab,
  goToLineEnd,
  openExtensionPage,
  openNixifyView,
  pickQuickItem,
  runCommand,
  visibleRows,
} from '../e2e/workbench.mjs';

const source = path.resolve(repoRoot, process.argv[2] ?? 'examples');
// The newcomer's steps write flake.nix into the folder: they work on a copy, outside this git
// checkout (inside it, Nix would see the copy as an ignored part of this repository, not a flake).
const folder = await mkdtemp(path.join(tmpdir(), 'nixify-e2e-'));
await cp(source, folder, { recursive: true });

/**
 * The crate names the CLI reports: the view must show the same model the CLI computes. It is the CLI
 * the .vsix shipped, run from the installed extension.
 */
async function detectedCrates(installedDir) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(installedDir, 'dist/cli.js'), 'detect', '--json', folder],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const parsed = JSON.parse(stdout);
  // One DetectResult, or one per searched directory.
  const results = Array.isArray(parsed) ? parsed : [parsed];
  const names = results.flatMap((result) =>
    result.workspaces.flatMap((ws) => ws.packages.map((pkg) => pkg.name)),
  );
  return [...new Set(names)].sort();
}

const steps = [];
let failedAt = null;
async function step(name, body) {
  if (failedAt) {
    steps.push({ name, ok: false, note: `not reached (stopped at: ${failedAt})` });
    return;
  }
  try {
    const note = await body();
    steps.push({ name, ok: true, note });
  } catch (error) {
    failedAt = name;
    steps.push({ name, ok: false, note: error.message });
  }
}

const dirs = await createRunDirs('e2e');
let server;
let browser;
let page;
let installed;
let expected = [];
try {
  await step('the packaged .vsix installs and holds exactly the allowlisted files', async () => {
    installed = await installExtension(dirs);
    return `${(installed.size / 1024).toFixed(1)} KiB; ${installed.files.join(', ')}`;
  });
  await step("the installed extension's CLI detects crates in the folder", async () => {
    expected = await detectedCrates(installed.target);
    if (expected.length === 0) throw new Error(`no crates detected in ${folder}`);
    return expected.join(', ');
  });
  await step('code-server starts with the extension installed', async () => {
    server = await startCodeServer({ name: 'e2e', dirs });
  });
  await step('the workbench loads the folder', async () => {
    browser = await launchBrowser(dirs.runDir, { viewport: { width: 1400, height: 1000 } });
    page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });
  await step('clicking the Nixify activity bar entry shows crate rows', async () => {
    await openNixifyView(page);
    const crates = await crateRowsWhen((labels) => labels.length > 0);
    return `${crates.length} crate rows`;
  });
  await step('every crate the CLI detects appears in the view', async () => {
    const shown = await crateRowsWhen((labels) => expected.every((name) => labels.includes(name)));
    const missing = expected.filter((name) => !shown.includes(name));
    if (missing.length > 0) throw new Error(`missing from the view: ${missing.join(', ')}`);
  });
  await step('screenshot of the Nixify view', async () => {
    // Park the pointer so the activity bar tooltip does not cover the view.
    await page.mouse.move(900, 500);
    await page.waitForTimeout(800); // the tooltip fades out
    return path.relative(repoRoot, await saveScreenshot(page, 'nixify-view'));
  });
  await step("the Extensions view shows Nixify's page: icon, README, changelog", async () => {
    const readme = await openExtensionPage(page, 'Nixify');
    const iconWidth = await page
      .locator('.extension-editor .header img.icon')
      .first()
      .evaluate((img) => img.naturalWidth);
    if (iconWidth !== 256) throw new Error(`the icon shows ${iconWidth} px wide, not the 256 px PNG`);
    const heading = await readme.locator('body h1').first().textContent();
    if (heading?.trim() !== 'Nixify') throw new Error(`the README starts with ${heading}`);
    await page.locator('.extension-editor .navbar .action-label', { hasText: /changelog/i }).waitFor();
    await page.mouse.move(900, 500);
    return path.relative(repoRoot, await saveScreenshot(page, 'extension-page'));
  });
  await step('the walkthrough opens from the command palette with its steps', async () => {
    await runCommand(page, 'Nixify: Open the Getting Started Walkthrough');
    const title = page.locator('.gettingStartedContainer', { hasText: 'Nixify' }).first();
    await title.waitFor({ timeout: 30_000 });
    const steps = await page.locator('.gettingStartedContainer .getting-started-step').count();
    if (steps < 4) throw new Error(`the walkthrough shows ${steps} steps`);
    await page.mouse.move(700, 300);
    await page.waitForTimeout(800); // the step's image loads in a webview
    await saveScreenshot(page, 'walkthrough');
    return `${steps} steps`;
  });
  await step(
    '"Nixify Workspace" from the command palette, defaults accepted, writes flake.nix and opens it',
    async () => {
      await page.keyboard.press('Escape');
      await openNixifyView(page);
      await runCommand(page, 'Nixify: Nixify Workspace');
      await pickQuickItem(page, 'Create with these defaults');
      await pickQuickItem(page, /Write \d+ files?/);
      // The proposal's tab is also titled flake.nix, so the file on disk is what tells it was written.
      const written = await fileWhenWritten(path.join(folder, 'flake.nix'), 60_000);
      await page
        .locator('.tabs-container .tab', { hasText: 'flake.nix' })
        .first()
        .waitFor({ timeout: 30_000 });
      if (!written.includes('crane')) throw new Error('flake.nix was written without crane');
      return `${written.split('\n').length} lines`;
    },
  );
  await step('flake.nix is highlighted as Nix', async () => {
    await focusEditorTab(page, 'flake.nix');
    const mode = await page.locator('.statusbar-item[id="status.editor.mode"]').first().textContent();
    if (mode?.trim() !== 'Nix') throw new Error(`the language mode is ${mode}`);
    const colours = await distinctTokenColours(page);
    // Keywords, strings, attribute names, comments, punctuation: more than plain text's one colour.
    if (colours < 5) throw new Error(`only ${colours} token colours in the editor`);
    return `${colours} token colours`;
  });
  await step(
    'a syntax error typed into flake.nix and saved shows in the Problems panel at its line',
    async () => {
      const text = await readFile(path.join(folder, 'flake.nix'), 'utf8');
      const line = text.split('\n').findIndex((l) => /^\s*description\s*=/.test(l)) + 1;
      if (line === 0) throw new Error('no description line in flake.nix');
      await goToLineEnd(page, line);
      await page.keyboard.type(' = broken');
      await page.keyboard.press('Control+S');
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'syntax error' }).first();
      await row.waitFor({ timeout: 60_000 });
      const where = (await row.textContent()) ?? '';
      if (!where.includes(`[Ln ${line}`)) throw new Error(`the problem is not on line ${line}: ${where}`);
      await page.mouse.move(700, 300);
      await page.waitForTimeout(500);
      await saveScreenshot(page, 'flake-errors');
      return where.trim();
    },
  );
} finally {
  // A failed run keeps its picture for the post-mortem, away from the README's.
  if (page && failedAt) {
    const file = await saveFailureScreenshot(page).catch(() => null);
    if (file) console.log(`screenshot of the failure: ${path.relative(repoRoot, file)}`);
  }
  await browser?.close().catch(() => {});
  await server?.stop();
  await rm(folder, { recursive: true, force: true });
}

/** The file's text once it exists, polled until `timeout` ms pass. */
async function fileWhenWritten(file, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      if (error.code !== 'ENOENT' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Labels of crate rows (leaves below a workspace; workspace rows may share a crate's name), polled
 * until `done` accepts them or 30 s pass. The tree fills in after detection, asynchronously.
 */
async function crateRowsWhen(done) {
  const deadline = Date.now() + 30_000;
  let labels = [];
  while (Date.now() < deadline) {
    await expandAll(page);
    labels = (await visibleRows(page)).filter((row) => row.leaf && row.level >= 2).map((row) => row.label);
    if (done(labels)) break;
    await page.waitForTimeout(300);
  }
  return labels;
}

for (const { name, ok, note } of steps) {
  console.log(`${ok ? '✔' : '✘'} ${name}${note ? ` — ${note}` : ''}`);
}
if (failedAt && server) {
  console.log(
    server.log
      .slice(-15)
      .map((line) => `  [code-server] ${line}`)
      .join('\n'),
  );
}
const passed = steps.filter((s) => s.ok).length;
console.log(`${passed} passed, ${steps.length - passed} failed`);
process.exit(passed === steps.length ? 0 : 1);
