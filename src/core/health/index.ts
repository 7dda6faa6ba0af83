// "Is this machine ready for Nixify?": Nix, its configuration, the store, the caches, the
// workspace's files, the remote builders. One runner, pure checks, text for the CLI, the log and the editor.
export * from './builders';
export { BUILDER_TIMEOUT_MS, builderStoreUri, probeSshOptions, type BuilderProbe } from './builderProbe';
export * from './checks';
export * from './format';
export { runHealthChecks, type HealthOptions } from './runner';
export * from './types';
