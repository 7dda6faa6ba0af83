// "Why does this rebuild?" end to end: both derivations' closures in one `show-derivation
// --recursive` run (the previous .drv stays in the store until a GC), the pure comparison, then the
// two crate sources compared file by file.
import { showDerivations } from '../nix/derivationShow';
import type { NixRunOptions } from '../nix/invoke';
import { refineCrateSources } from './sourceDiff';
import { explainRebuild, type RebuildExplanation, type RebuildHints } from './whyRebuild';

export interface WhyRebuildOptions extends NixRunOptions {
  /** Crate name → its directory relative to the workspace root (`crates/app`). */
  crateDirs?: Readonly<Record<string, string>>;
  /** Store path → flake input name, from this and earlier evaluations (FlakeDerivations.inputs). */
  flakeInputs?: RebuildHints['flakeInputs'];
}

export async function whyRebuild(
  previousDrv: string,
  currentDrv: string,
  options: WhyRebuildOptions = {},
): Promise<RebuildExplanation> {
  if (previousDrv === currentDrv) return { unchanged: true, causes: [] };
  const { crateDirs = {}, flakeInputs, ...nixOptions } = options;
  const derivations = await showDerivations([previousDrv, currentDrv], { ...nixOptions, recursive: true });
  const explanation = explainRebuild(derivations, derivations, previousDrv, currentDrv, {
    crates: Object.keys(crateDirs),
    ...(flakeInputs !== undefined && { flakeInputs }),
  });
  return refineCrateSources(explanation, crateDirs);
}

/** Inverts `FlakeDerivations.inputs` of any number of evaluations into a store path → name map. */
export function flakeInputPaths(
  ...inputs: readonly Readonly<Record<string, string>>[]
): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const set of inputs) for (const [name, storePath] of Object.entries(set)) byPath[storePath] = name;
  return byPath;
}
