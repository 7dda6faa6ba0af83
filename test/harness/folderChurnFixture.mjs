// Scenario `folder-churn`: the two slow-to-evaluate flakes as git repositories, and the offline Nix
// configuration (test/vscode/folderChurn.test.ts adds and removes them while Nix evaluates).
import path from 'node:path';
import { offlineNixConfig, trackWithGit } from './offlineFlake.mjs';

export async function prepareFolderChurnScenario({ runDir, workspaces }) {
  for (const folder of ['churn-a', 'churn-b']) trackWithGit(path.join(workspaces, folder));
  return { NIX_CONFIG: await offlineNixConfig(runDir) };
}
