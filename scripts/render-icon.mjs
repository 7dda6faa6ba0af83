// Renders media/icon.svg to media/icon.png (the marketplace icon must be a PNG) with the headless
// Debian Chromium the test harness drives, so no image library is needed.
// Usage: node scripts/render-icon.mjs [size]   (default 256; vsce accepts 128 or 256)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, repoRoot } from '../test/harness/codeServer.mjs';

const size = Number(process.argv[2] ?? 256);
if (![128, 256].includes(size)) {
  console.error('usage: node scripts/render-icon.mjs [128|256]');
  process.exit(2);
}
const source = path.join(repoRoot, 'media/icon.svg');
const target = path.join(repoRoot, 'media/icon.png');

const svg = await readFile(source, 'utf8');
const runDir = await mkdtemp(path.join(tmpdir(), 'nixify-icon-'));
const browser = await launchBrowser(runDir, { viewport: { width: size, height: size } });
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  // An <img> scales the SVG to the exact size; a transparent page keeps the rounded corners clear.
  const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  await page.setContent(
    `<html><body style="margin:0;background:transparent">` +
      `<img id="icon" src="${dataUrl}" width="${size}" height="${size}" style="display:block"></body></html>`,
  );
  await page.locator('#icon').evaluate((img) => img.decode());
  await page.screenshot({
    path: target,
    omitBackground: true,
    clip: { x: 0, y: 0, width: size, height: size },
  });
  console.log(`${path.relative(repoRoot, target)}: ${size}×${size} from ${path.relative(repoRoot, source)}`);
} finally {
  await browser.close();
  await rm(runDir, { recursive: true, force: true });
}
