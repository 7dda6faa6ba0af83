// The one-line sum-up the tree's description and `nixify status` print.
import type { DerivationStatus, ItemStatus } from './classify';

export type StatusCounts = Record<DerivationStatus, number>;

export function countStatuses(statuses: Iterable<ItemStatus | DerivationStatus>): StatusCounts {
  const counts: StatusCounts = { local: 0, cached: 0, build: 0, unknown: 0 };
  for (const s of statuses) counts[typeof s === 'string' ? s : s.status]++;
  return counts;
}

/** "12 local · 30 cached · 4 to build", plus "· 2 unknown" only when a cache could not answer. */
export function formatSummary(counts: StatusCounts): string {
  const parts = [`${counts.local} local`, `${counts.cached} cached`, `${counts.build} to build`];
  if (counts.unknown > 0) parts.push(`${counts.unknown} unknown`);
  return parts.join(' · ');
}
