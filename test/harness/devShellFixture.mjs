// Scenario `devshell`: turns the copied fixture into a flake Nix can evaluate offline, and returns the
// environment code-server (and so the extension host) runs with: the offline Nix configuration of
// ../shared/design/testing.md section 1, and where the real rust-analyzer is (empty when absent).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';

const RUST_ANALYZER_BIN = path.join(repoRoot, '.tools', 'rust-analyzer', 'bin');

export async function prepareDevShellScenario({ runDir, workspaces }) {
  const folder = path.join(workspaces, 'devshell');
  const rustAnalyzer = path.join(RUST_ANALYZER_BIN, 'rust-analyzer');
  const hasRustAnalyzer = existsSync(rustAnalyzer);
  const template = await readFile(path.join(folder, 'flake.nix.in'), 'utf8');
  const flake = template
    // A directory that does not exist keeps the shell's PATH the same shape without rust-analyzer.
    .replaceAll('@RUST_ANALYZER_BIN@', hasRustAnalyzer ? RUST_ANALYZER_BIN : '/nonexistent/rust-analyzer/bin')
    .replaceAll('@SEED@', String(Date.now()));
  await writeFile(path.join(folder, 'flake.nix'), flake);
  await rm(path.join(folder, 'flake.nix.in'));
  // Flakes see only files git tracks.
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
  return { NIX_CONFIG: nixConfig, NIXIFY_TEST_RUST_ANALYZER: hasRustAnalyzer ? rustAnalyzer : '' };
}
