// Applying a delta to an environment, and folding in what a shellHook changed. Pure functions.
import type { EnvDelta } from './types';
import { PREPENDED_VARIABLES, withoutSandboxPathEntries } from './variables';

/**
 * `base` with the delta applied: `set` values replace, `prepend` values go in front of the user's
 * own (`shell:user`, or just `shell` when the user has none, never with an empty trailing `:`), and
 * `unset` names are removed. Entries of `base` that are `undefined` are left out.
 */
export function applyEnvDelta(
  base: Readonly<Record<string, string | undefined>>,
  delta: EnvDelta,
): Record<string, string> {
  const result = new Map<string, string>();
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined) result.set(name, value);
  }
  for (const [name, value] of Object.entries(delta.set)) result.set(name, value);
  for (const [name, shellPart] of Object.entries(delta.prepend)) {
    if (shellPart === '') continue;
    const userPart = result.get(name);
    result.set(name, userPart ? `${shellPart}:${userPart}` : shellPart);
  }
  for (const name of delta.unset) result.delete(name);
  return Object.fromEntries(result);
}

/**
 * `base` (the delta from the shell's variables) updated with what its `shellHook` did, given the
 * environment the hook ran in (`baseline` with `base` applied) and the one it left (`after`).
 * Variables `isDropped` says are not the user's business are ignored. For PATH-like variables the
 * result is judged against the user's own value: still a suffix → what comes before it is
 * prepended; otherwise the hook replaced it and the whole value is set.
 */
export function withHookChanges(
  base: EnvDelta,
  baseline: Readonly<Record<string, string | undefined>>,
  after: Readonly<Record<string, string>>,
  isDropped: (name: string) => boolean,
): EnvDelta {
  const expected = applyEnvDelta(baseline, base);
  const set = new Map(Object.entries(base.set));
  const prepend = new Map(Object.entries(base.prepend));
  const unset = new Set(base.unset);
  const names = new Set([...Object.keys(expected), ...Object.keys(after)]);
  for (const name of names) {
    if (isDropped(name)) continue;
    const now = after[name];
    if (PREPENDED_VARIABLES.has(name)) {
      set.delete(name);
      prepend.delete(name);
      unset.delete(name);
      const user = baseline[name] ?? '';
      if (now === undefined) unset.add(name);
      else if (now === user) continue;
      else if (user !== '' && !now.endsWith(`:${user}`)) set.set(name, now);
      else {
        const shellPart = withoutSandboxPathEntries(user === '' ? now : now.slice(0, -(user.length + 1)));
        if (shellPart !== '') prepend.set(name, shellPart);
      }
      continue;
    }
    if (now === expected[name]) continue;
    if (now === undefined) {
      set.delete(name);
      unset.add(name);
    } else {
      set.set(name, now);
      unset.delete(name);
    }
  }
  return sortedDelta({
    set: Object.fromEntries(set),
    prepend: Object.fromEntries(prepend),
    unset: [...unset],
  });
}

/** The same delta with names in byte order, so cached files and test output are stable. */
export function sortedDelta(delta: EnvDelta): EnvDelta {
  const byName = (record: Record<string, string>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { set: byName(delta.set), prepend: byName(delta.prepend), unset: [...delta.unset].sort() };
}
