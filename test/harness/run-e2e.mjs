// UI test on a real VS Code: the extension is installed the way a user gets it (the packaged .vsix,
// through code-server's `--install-extension`; no development path, no smoke-test driver), the Nixify
// view is opened by clicking the activity bar, and every crate the CLI detects must appear in it; then
// the extension's own page (icon, README, changelog). Screenshots (test/harness/screenshots.mjs) go to
// docs/screenshots/, which the README shows.
// Usage: node test/harness/run-e2e.mjs [folder]   (default: examples/)
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRunDirs, launchBrowser, repoRoot, startCodeServer } from './codeServer.mjs';
import { installExtension } from './installExtension.mjs';
import { saveFailureScreenshot, saveScreenshot } from './screenshots.mjs';
import { expandAll, openExtensionPage, openNixifyView, visibleRows } from '../e2e/workbench.mjs';

const folder = path.resolve(repoRoot, process.argv[2] ?? 'examples');

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
} finally {
  // A failed run keeps its picture for the post-mortem, away from the README's.
  if (page && failedAt) {
    const file = await saveFailureScreenshot(page).catch(() => null);
    if (file) console.log(`screenshot of the failure: ${path.relative(repoRoot, file)}`);
  }
  await browser?.close().catch(() => {});
  await server?.stop();
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
