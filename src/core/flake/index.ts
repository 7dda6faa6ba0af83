export {
  defaultOptions,
  optionsHeader,
  optionsSummary,
  optionsProblem,
  parseOptionsHeader,
  readOptionsHeader,
  wasm32Crates,
  wasmCrates,
} from './options';
export {
  HAS_ERRORS,
  planInit,
  planRepository,
  PlanError,
  readIfExists,
  type InitPlan,
  type LeftOutProject,
  type ReadFile,
  type RepositoryInput,
} from './plan';
export {
  crateOutputNames,
  defaultProjectChoice,
  flakeProjects,
  ROOT_PROJECT_KEY,
  type FlakeProject,
} from './projects';
export { applyPlan, besidePath, defaultDecision, StaleFileError } from './write';
export { WriteLockedError, WRITE_LOCK } from './writeLock';
export { validCachixKey, validCachixName } from './cachix';
export type * from './types';
