// The dev-shell core: a folder's `nix develop` environment as a delta, from a content-keyed cache.
// Shared by the VS Code adapter (src/devShell/) and the CLI (`nixify env`); never imports vscode.
export * from './types';
export { currentNixSystem } from './system';
export { shellSourceFor, installableArgs } from './source';
export { cacheKeyInputs, computeCacheKey } from './cacheKey';
export { forgetDevShell, readCachedDevShell, profilePath, type CacheLog } from './cacheStore';
export { applyEnvDelta } from './envDelta';
export { DevShellEvaluationError } from './errors';
export {
  evaluateDevShell,
  isStale,
  listDevShellAttrs,
  loadDevShell,
  usableCachedDevShell,
  type EvalOptions,
} from './evaluate';
export { parseBuildEnvironment, deltaFromBuildEnvironment, type BuildEnvironment } from './buildEnvironment';
export {
  nextStatus,
  offStatus,
  type AppliedShell,
  type DevShellEvent,
  type DevShellPhase,
  type DevShellStatus,
} from './status';
