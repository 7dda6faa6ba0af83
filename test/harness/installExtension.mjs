// Installs the built extension into a code-server extensions folder the way an unpacked .vsix lands
// there: `<extensions-dir>/<publisher>.<name>-<version>/`. No vsce (it needs the marketplace) and no
// symlink (VS Code would then watch and reload the repo while a test runs).
// CLI: node test/harness/installExtension.mjs <extensions-dir>
import { cp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './codeServer.mjs';

export async function installExtension(extensionsDir) {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8'));
  if (!existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  await rm(target, { recursive: true, force: true });
  for (const entry of ['package.json', 'dist', 'media', 'syntaxes', 'README.md', 'LICENSE']) {
    const from = path.join(repoRoot, entry);
    if (existsSync(from)) await cp(from, path.join(target, entry), { recursive: true });
  }
  return target;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node test/harness/installExtension.mjs <extensions-dir>');
    process.exit(2);
  }
  console.log(`installed ${path.relative(repoRoot, await installExtension(path.resolve(dir)))}`);
}
