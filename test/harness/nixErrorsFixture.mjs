// Scenario `nix-errors`: makes the copied fixture a git repository and returns the environment
// code-server (and so the extension host) runs with: the offline Nix configuration.
import path from 'node:path';
import { offlineNixConfig, trackWithGit } from './offlineFlake.mjs';

export async function prepareNixErrorsScenario({ runDir, workspaces }) {
  trackWithGit(path.join(workspaces, 'nix-errors'));
  return { NIX_CONFIG: await offlineNixConfig(runDir) };
}
