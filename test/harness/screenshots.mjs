// Screenshots the e2e suite takes: each goes to .test-runs/screenshots/ (the run's record) and to
// docs/screenshots/ (committed, shown by the README). Not under media/: that ships in the .vsix, and
// VS Code's extension page drops README images that are not https or data URLs anyway.
// Adding one is one line in a test: `await saveScreenshot(page, 'some-name')`.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';

export const runScreenshotsDir = path.join(repoRoot, '.test-runs/screenshots');
export const readmeScreenshotsDir = path.join(repoRoot, 'docs/screenshots');

/**
 * Saves a PNG of the page as `<name>.png` in both folders, and returns the run's copy.
 * @param {import('playwright-core').Page} page
 * @param {string} name file name without `.png`: lowercase words and dashes
 */
export async function saveScreenshot(page, name) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name))
    throw new Error(`screenshot name ${name}: use lowercase-dashes`);
  const file = path.join(runScreenshotsDir, `${name}.png`);
  await mkdir(runScreenshotsDir, { recursive: true });
  await mkdir(readmeScreenshotsDir, { recursive: true });
  await page.screenshot({ path: file });
  await copyFile(file, path.join(readmeScreenshotsDir, `${name}.png`));
  return file;
}

/** A PNG of the page when a run failed: `.test-runs/screenshots/failure.png` only. */
export async function saveFailureScreenshot(page) {
  const file = path.join(runScreenshotsDir, 'failure.png');
  await mkdir(runScreenshotsDir, { recursive: true });
  await page.screenshot({ path: file });
  return file;
}
