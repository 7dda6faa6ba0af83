import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The version in Nixify's package.json, found by walking up from this file. That works from the
 * bundle (dist/cli.js), from the compiled tests (out/src/cli/) and from an npm install alike,
 * without a build-time define or `resolveJsonModule`.
 */
export function packageVersion(startDir: string = __dirname): string {
  for (let dir = startDir; ; dir = path.dirname(dir)) {
    const manifest = readJson(path.join(dir, 'package.json'));
    if (manifest && manifest.name === 'nixify' && typeof manifest.version === 'string') {
      return manifest.version;
    }
    if (path.dirname(dir) === dir) {
      return 'unknown';
    }
  }
}

function readJson(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}
