// The derivations pipeline, shared by the Derivations view and `nixify status` as plain data:
// evaluate (flake outputs grouped per crate) → classify (local / cached / build / unknown) → build →
// history, and why a derivation rebuilds.
export {
  CacheStatusService,
  classifyFolder,
  combineOutputs,
  pathStatus,
  type CacheHit,
  type ClassifyOptions,
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
  groupProjectDerivations,
  projectRefs,
  type CrateGroup,
  type CrateRef,
  type DerivationGroups,
  type DerivationItem,
  type ItemKind,
  type ProjectGroup,
  type ProjectRef,
} from './groups';
export { changedFiles, cratesOwning, refineCrateSources } from './sourceDiff';
export { countStatuses, formatSummary, type StatusCounts } from './summary';
export {
  countPlacements,
  formatPlacementCounts,
  placeBuild,
  placeItem,
  type BuildMachines,
  type BuildPlacement,
  type LocalMachine,
} from './placement';
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
export { buildDerivations, lastBuildError, type BuildOptions, type BuildResult } from './build';
export { evaluateFolder, type EvaluateOptions, type FolderEvaluation } from './evaluate';
export {
  historyKeys,
  readDerivationHistory,
  rememberDerivations,
  seenDerivation,
  type DerivationHistory,
  type SeenDerivation,
  type StoredHistory,
} from './history';
