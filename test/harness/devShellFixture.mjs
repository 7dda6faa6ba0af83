// Scenario `devshell`: turns the copied fixture into a flake Nix can evaluate offline, and returns the
// environment code-server (and so the extension host) runs with: the offline Nix configuration of
// ../shared/design/testing.md section 1, and where the real rust-analyzer is (empty when absent).
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';
import { offlineNixConfig, trackWithGit } from './offlineFlake.mjs';

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
  trackWithGit(folder);
  return {
    NIX_CONFIG: await offlineNixConfig(runDir),
    NIXIFY_TEST_RUST_ANALYZER: hasRustAnalyzer ? rustAnalyzer : '',
  };
}
