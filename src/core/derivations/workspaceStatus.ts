// The whole status pass for one flake, as `nixify status` prints it: evaluateFolder, then
// classifyFolder, then the sum-up. The view runs the same two steps itself, painting between them.
import { classifyFolder, type ClassifyOptions, type ItemStatus } from './classify';
import { evaluateFolder, type FolderEvaluation } from './evaluate';
import type { CrateRef, ProjectRef } from './groups';
import { countStatuses, formatSummary, type StatusCounts } from './summary';

export interface WorkspaceStatusOptions extends ClassifyOptions {
  /** Default: the system Nix builds for. */
  system?: string | null;
}

export interface WorkspaceStatus extends FolderEvaluation {
  /** By drv path, for every item of `groups`. */
  statuses: Map<string, ItemStatus>;
  counts: StatusCounts;
  /** "12 local · 30 cached · 4 to build". */
  summary: string;
}

export async function workspaceStatus(
  flakeDir: string,
  projects: readonly ProjectRef[] | readonly CrateRef[],
  options: WorkspaceStatusOptions = {},
): Promise<WorkspaceStatus> {
  const { system, ...classifyOptions } = options;
  // The cache time limit is per request; evaluation takes as long as it takes.
  const {
    timeoutMs: _perRequest,
    concurrency: _inFlight,
    service: _service,
    fresh: _fresh,
    ...nixOptions
  } = classifyOptions;
  const evaluation = await evaluateFolder(flakeDir, projects, { ...nixOptions, system: system ?? null });
  const statuses = await classifyFolder(evaluation, classifyOptions);
  const counts = countStatuses(statuses.values());
  return { ...evaluation, statuses, counts, summary: formatSummary(counts) };
}
