// What every scenario with a real flake needs: the folder as a git repository (flakes see only what
// git tracks) and the offline Nix configuration of ../shared/design/testing.md section 1, returned
// as the NIX_CONFIG code-server (and so the extension host) runs with.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** `git init` + `git add -A` in `folder`. */
export function trackWithGit(folder) {
  const git = (...args) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
}

/** NIX_CONFIG for offline runs: no substituters, an empty flake registry under `runDir/nix`. */
export async function offlineNixConfig(runDir) {
  const nixDir = path.join(runDir, 'nix');
  await mkdir(nixDir, { recursive: true });
  const registry = path.join(nixDir, 'registry.json');
  await writeFile(registry, JSON.stringify({ flakes: [], version: 2 }));
  return [
    'experimental-features = nix-command flakes',
    'sandbox = false',
    'substituters =',
    `flake-registry = ${registry}`,
    'build-users-group =',
    'warn-dirty = false',
  ].join('\n');
}
