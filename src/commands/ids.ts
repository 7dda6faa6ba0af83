// Every command the extension registers. package.json must list exactly these (a unit test checks).
export const COMMAND_IDS = [
  'nixify.refreshWorkspaces',
  'nixify.showDetectedWorkspaces',
  'nixify.revealManifest',
  'nixify.nixifyWorkspace',
  'nixify.showLog',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
