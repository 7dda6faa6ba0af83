// The whole status pass for one flake: evaluation and Nix's configuration in parallel, then the
// grouping and the batch queries. Callers that render progressively use the pieces instead:
// evalFlakeDerivations → groupDerivations (paint) → CacheStatusService.classify (statuses).
import type { CacheQueryOptions } from '../nix/binaryCache';
import { readNixConfig } from '../nix/nixConfig';
import { planSubstituters, type SubstituterPlan } from '../nix/substituters';
import { CacheStatusService, type ItemStatus } from './classify';
import { evalFlakeDerivations, type FlakeDerivations } from './flakeOutputs';
import { allItems, groupDerivations, type CrateRef, type DerivationGroups } from './groups';
import { countStatuses, formatSummary, type StatusCounts } from './summary';

export interface WorkspaceStatusOptions extends CacheQueryOptions {
  /** Default: the system Nix builds for. */
  system?: string | null;
  /** Keeps answers between calls; a fresh one per call otherwise. */
  service?: CacheStatusService;
  /** Ask again about derivations the service remembers. */
  fresh?: boolean;
}

export interface WorkspaceStatus {
  flake: FlakeDerivations;
  groups: DerivationGroups;
  plan: SubstituterPlan;
  /** By drv path, for every item of `groups`. */
  statuses: Map<string, ItemStatus>;
  counts: StatusCounts;
  /** "12 local · 30 cached · 4 to build". */
  summary: string;
}

export async function workspaceStatus(
  flakeDir: string,
  crates: readonly CrateRef[],
  options: WorkspaceStatusOptions = {},
): Promise<WorkspaceStatus> {
  const { system, service, fresh, ...queryOptions } = options;
  // The cache time limit is per request; evaluation takes as long as it takes.
  const { timeoutMs: _perRequest, concurrency: _inFlight, ...nixOptions } = queryOptions;
  const [flake, config] = await Promise.all([
    evalFlakeDerivations(flakeDir, { ...nixOptions, system: system ?? null }),
    readNixConfig(nixOptions),
  ]);
  const groups = groupDerivations(flake, crates);
  const plan = planSubstituters(config, flake.cache);
  const classifier = service ?? new CacheStatusService();
  const statuses = await classifier.classify(allItems(groups), plan, {
    ...queryOptions,
    ...(fresh !== undefined && { fresh }),
  });
  const counts = countStatuses(statuses.values());
  return { flake, groups, plan, statuses, counts, summary: formatSummary(counts) };
}
