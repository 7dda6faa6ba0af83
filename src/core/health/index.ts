// "Is this machine ready for Nixify?": Nix, its configuration, the store, the caches, the
// workspace's files. One runner, pure checks, text for the CLI, the log and the editor.
export * from './checks';
export * from './format';
export { runHealthChecks, type HealthOptions } from './runner';
export * from './types';
