export {
  defaultOptions,
  optionsHeader,
  optionsSummary,
  optionsProblem,
  parseOptionsHeader,
  wasm32Crates,
  wasmCrates,
} from './options';
export { planInit, PlanError, readIfExists, type InitPlan, type ReadFile } from './plan';
export { applyPlan, besidePath, defaultDecision } from './write';
export { validCachixKey, validCachixName } from './cachix';
export type * from './types';
