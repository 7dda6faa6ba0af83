// Every command the extension registers. package.json must list exactly these (a unit test checks).
export const COMMAND_IDS = [
  'nixify.refreshWorkspaces',
  'nixify.showDetectedWorkspaces',
  'nixify.revealManifest',
  'nixify.nixifyWorkspace',
  'nixify.showLog',
  'nixify.toggleDevShell',
  'nixify.reloadDevShell',
  'nixify.pickDevShell',
  'nixify.showDevShellEnvironment',
  'nixify.devShellMenu',
  'nixify.cancelDevShellEvaluation',
  'nixify.forgetDevShell',
  'nixify.refreshDerivations',
  'nixify.buildDerivation',
  'nixify.buildDerivationDependencies',
  'nixify.buildMissingDerivations',
  'nixify.showBuildLog',
  'nixify.copyStorePath',
  'nixify.pushToCachix',
  'nixify.whyRebuild',
  'nixify.checkHealth',
  'nixify.openWalkthrough',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
