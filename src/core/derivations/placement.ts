// Where Nix would build a derivation that is "to build": on this machine, on a remote builder, on
// either, or nowhere — decided as Nix's build hook decides (src/build-remote in Nix): a builder takes
// a derivation when it supports its system, supports every feature it requires and every mandatory
// feature of the builder is required; this machine can when the system is its own or one of
// `extra-platforms`, its `system-features` cover the required ones and `max-jobs` is above 0. A
// derivation marked `preferLocalBuild` stays here whenever this machine can build it.
import type { BuildMachine } from '../nix/buildMachines';
import type { BuildRequirements } from './flakeOutputs';

export interface LocalMachine {
  system: string;
  extraPlatforms: readonly string[];
  systemFeatures: readonly string[];
  maxJobs: number;
}

export type BuildPlacement =
  | { where: 'local' }
  /** Nix offers it to these builders first (fastest first) and builds it here when they are busy. */
  | { where: 'either'; builders: string[] }
  | { where: 'remote'; builders: string[] }
  | { where: 'nowhere'; reason: string };

export function machineAccepts(
  machine: BuildMachine,
  needs: BuildRequirements,
  localSystem: string,
): boolean {
  const systems = machine.systems.length > 0 ? machine.systems : [localSystem];
  if (!systems.includes(needs.system) && needs.system !== 'builtin') return false;
  const offered = new Set([...machine.supportedFeatures, ...machine.mandatoryFeatures]);
  return (
    needs.requiredSystemFeatures.every((f) => offered.has(f)) &&
    machine.mandatoryFeatures.every((f) => needs.requiredSystemFeatures.includes(f))
  );
}

function localAccepts(local: LocalMachine, needs: BuildRequirements): boolean {
  const systemFits =
    needs.system === local.system ||
    needs.system === 'builtin' ||
    local.extraPlatforms.includes(needs.system);
  return systemFits && needs.requiredSystemFeatures.every((f) => local.systemFeatures.includes(f));
}

export function placeBuild(
  needs: BuildRequirements,
  local: LocalMachine,
  builders: readonly BuildMachine[],
): BuildPlacement {
  const here = localAccepts(local, needs);
  const remote = builders
    .filter((m) => m.maxJobs > 0 && machineAccepts(m, needs, local.system))
    .sort((a, b) => b.speedFactor - a.speedFactor)
    .map((m) => m.uri);
  if (here && (needs.preferLocalBuild || remote.length === 0)) {
    return local.maxJobs > 0
      ? { where: 'local' }
      : { where: 'nowhere', reason: 'max-jobs is 0 and no builder takes it' };
  }
  if (remote.length > 0) {
    return here && local.maxJobs > 0
      ? { where: 'either', builders: remote }
      : { where: 'remote', builders: remote };
  }
  const features =
    needs.requiredSystemFeatures.length > 0 ? ` with ${needs.requiredSystemFeatures.join(', ')}` : '';
  return {
    where: 'nowhere',
    reason: `needs ${needs.system}${features}; this machine is ${local.system} and no builder offers it`,
  };
}

/** Where Nix would build a derivation, when its requirements and the machines are known. */
export function placeItem(
  item: { build?: BuildRequirements },
  machines: BuildMachines | null | undefined,
): BuildPlacement | null {
  if (!machines || !item.build) return null;
  return placeBuild(item.build, machines.local, machines.builders);
}

export interface PlacementCounts {
  local: number;
  remote: number;
  nowhere: number;
}

/** "3 here · 1 on builders" (remote counts both `remote` and `either`), "" without builders. */
export function formatPlacementCounts(counts: PlacementCounts, haveBuilders: boolean): string {
  if (!haveBuilders && counts.nowhere === 0) return '';
  const parts = [`${counts.local} here`];
  if (haveBuilders) parts.push(`${counts.remote} on builders`);
  if (counts.nowhere > 0) parts.push(`${counts.nowhere} nowhere`);
  return parts.join(' · ');
}

export function countPlacements(placements: Iterable<BuildPlacement>): PlacementCounts {
  const counts: PlacementCounts = { local: 0, remote: 0, nowhere: 0 };
  for (const p of placements) {
    if (p.where === 'local') counts.local++;
    else if (p.where === 'nowhere') counts.nowhere++;
    else counts.remote++;
  }
  return counts;
}

/** This machine and its remote builders, as Nix's configuration describes them. */
export interface BuildMachines {
  local: LocalMachine;
  builders: BuildMachine[];
}
