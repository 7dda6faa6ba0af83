// Scenario `nix-errors`: makes the copied fixture a git repository (flakes see only what git tracks)
// and returns the environment code-server (and so the extension host) runs with: the offline Nix
// configuration of ../shared/design/testing.md section 1.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function prepareNixErrorsScenario({ runDir, workspaces }) {
  const folder = path.join(workspaces, 'nix-errors');
  const git = (...args) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');

  const nixDir = path.join(runDir, 'nix');
  await mkdir(nixDir, { recursive: true });
  const registry = path.join(nixDir, 'registry.json');
  await writeFile(registry, JSON.stringify({ flakes: [], version: 2 }));
  const nixConfig = [
    'experimental-features = nix-command flakes',
    'sandbox = false',
    'substituters =',
    `flake-registry = ${registry}`,
    'build-users-group =',
    'warn-dirty = false',
  ].join('\n');
  return { NIX_CONFIG: nixConfig };
}
