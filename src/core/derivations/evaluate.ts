// The first step of the derivations pipeline, shared by the Derivations view and `nixify status`:
// the one `nix eval` of the flake and Nix's configuration, in parallel, then the grouping by crate.
// The configuration is read here once per evaluation; its plan (caches, keys, notes) is what the
// classification then counts on, so a refresh never asks Nix for it twice.
import { ROOT_PROJECT_KEY } from '../flake/projects';
import type { NixRunOptions } from '../nix/invoke';
import { readNixConfig, type NixConfig } from '../nix/nixConfig';
import { planSubstituters, type SubstituterPlan } from '../nix/substituters';
import { evalFlakeDerivations, type FlakeDerivations } from './flakeOutputs';
import type { BuildMachines } from './placement';
import { groupProjectDerivations, type CrateRef, type DerivationGroups, type ProjectRef } from './groups';

export interface FolderEvaluation {
  flake: FlakeDerivations;
  groups: DerivationGroups;
  /** The caches and keys a status may count on; `notes` say which flake caches are left out and why. */
  plan: SubstituterPlan;
  /** This machine and the remote builders, from the same configuration: where a build would run. */
  machines: BuildMachines;
}

export interface EvaluateOptions extends NixRunOptions {
  /** Default: the system Nix builds for. */
  system?: string | null;
}

/**
 * Evaluates the flake in `flakeDir` for the given projects (a plain crate list: one project at the
 * flake's root). Throws FlakeEvalError when Nix cannot.
 */
export async function evaluateFolder(
  flakeDir: string,
  projects: readonly ProjectRef[] | readonly CrateRef[],
  options: EvaluateOptions = {},
): Promise<FolderEvaluation> {
  const { system = null, ...nixOptions } = options;
  const [flake, config] = await Promise.all([
    evalFlakeDerivations(flakeDir, { ...nixOptions, system }),
    readNixConfig(nixOptions),
  ]);
  return {
    flake,
    groups: groupProjectDerivations(flake, asProjects(projects)),
    plan: planSubstituters(config, flake.cache),
    machines: buildMachinesOf(config),
  };
}

/** The machines Nix may build on, as its configuration lists them. */
export function buildMachinesOf(config: NixConfig): BuildMachines {
  return {
    local: {
      system: config.system,
      extraPlatforms: config.extraPlatforms,
      systemFeatures: config.systemFeatures,
      maxJobs: config.maxJobs,
    },
    builders: config.builders,
  };
}

function asProjects(input: readonly ProjectRef[] | readonly CrateRef[]): readonly ProjectRef[] {
  const isProjects = (x: readonly ProjectRef[] | readonly CrateRef[]): x is readonly ProjectRef[] =>
    x.every((p) => 'key' in p);
  if (input.length > 0 && isProjects(input)) return input;
  return [{ key: ROOT_PROJECT_KEY, dir: '', crates: input as readonly CrateRef[] }];
}
