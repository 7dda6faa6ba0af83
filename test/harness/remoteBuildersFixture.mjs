// Scenario `remote-builders`: the copied fixture as a git repository, and the offline Nix
// configuration plus two remote builders at `.invalid` hosts. Nothing connects to them: the
// Derivations view places each "to build" derivation from the builders' systems and features.
import path from 'node:path';
import { offlineNixConfig, trackWithGit } from './offlineFlake.mjs';

export const BUILDERS = [
  'ssh-ng://nix@mac.invalid aarch64-darwin,x86_64-darwin - 4 2 big-parallel - -',
  'ssh://gpu.invalid x86_64-linux - 1 1 cuda cuda -',
].join(' ; ');

export async function prepareRemoteBuildersScenario({ runDir, workspaces }) {
  trackWithGit(path.join(workspaces, 'remote-builders'));
  return { NIX_CONFIG: `${await offlineNixConfig(runDir)}\nbuilders = ${BUILDERS}` };
}
