// Scenario `multi-project`: a copy of test/fixtures/separate-packages (three Cargo packages, each
// with its own Cargo.lock, none at the root) as a git repository, and the offline Nix configuration
// the tests lock the written flake with (against the stand-in inputs of test/nix/flake-inputs).
import path from 'node:path';
import { offlineNixConfig, trackWithGit } from './offlineFlake.mjs';

export async function prepareMultiProjectScenario({ runDir, workspaces }) {
  trackWithGit(path.join(workspaces, 'multi-project'));
  return { NIX_CONFIG: await offlineNixConfig(runDir) };
}
