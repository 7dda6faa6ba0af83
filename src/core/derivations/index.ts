// Flake outputs → per-crate derivation groups → local / cached / build / unknown, and why a
// derivation rebuilds. Plain data for the derivation tree and `nixify status`.
export {
  CacheStatusService,
  combineOutputs,
  pathStatus,
  type CacheHit,
  type DerivationStatus,
  type ItemStatus,
  type OutputStatus,
  type StatusInput,
} from './classify';
export {
  evalFlakeDerivations,
  FlakeEvalError,
  flakeDerivationsExpression,
  flakeRefOf,
  parseFlakeDerivationsJson,
  type FlakeAttribute,
  type FlakeDerivation,
  type FlakeDerivations,
  type FlakeSection,
} from './flakeOutputs';
export {
  allItems,
  attributePath,
  groupDerivations,
  type CrateGroup,
  type CrateRef,
  type DerivationGroups,
  type DerivationItem,
  type ItemKind,
} from './groups';
export { changedFiles, cratesOwning, refineCrateSources } from './sourceDiff';
export { countStatuses, formatSummary, type StatusCounts } from './summary';
export {
  describeCause,
  explainRebuild,
  tidyCauses,
  type RebuildCause,
  type RebuildExplanation,
  type RebuildHints,
} from './whyRebuild';
export { flakeInputPaths, whyRebuild, type WhyRebuildOptions } from './whyRebuildQuery';
export { workspaceStatus, type WorkspaceStatus, type WorkspaceStatusOptions } from './workspaceStatus';
