import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Compiled to out/test/nix/helpers/, four levels below the repository root.
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const EXAMPLES = path.join(REPO_ROOT, 'examples');
export const GOLDEN = path.join(REPO_ROOT, 'test', 'golden');
/** The stand-in flakes for the generated flakes' inputs (see their flake.nix files). */
export const STAND_INS = path.join(REPO_ROOT, 'test', 'nix', 'flake-inputs');

const made: string[] = [];

/** A fresh directory under the canonical temp dir (Nix and cargo print canonical paths). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), `nixify-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes what tempDir made; the tier's root hook calls it once at the end. */
export function removeTempDirs(): void {
  if (process.env['NIXIFY_KEEP_TEMP']) {
    console.log(`    [nix tier] kept temp dirs: ${made.join(' ')}`);
    return;
  }
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
