// What "why does this rebuild?" compares with: for each attribute of a folder's flake, the
// derivation seen now and the one seen before it, and the store paths of the flake inputs seen so
// far (to name an input whose source changed). A pure fold over evaluations; the caller keeps the
// record (the extension in its workspace state).
import type { DerivationItem } from './groups';
import { flakeInputPaths } from './whyRebuildQuery';

export interface SeenDerivation {
  current: string;
  /** The derivation seen under the same key before `current`; null until it changed once. */
  previous: string | null;
  /** Store path → flake input name, for every input seen so far. */
  inputs: Record<string, string>;
}

/** `<folder>#<key of historyKeys>` → the derivations seen under it. */
export type DerivationHistory = Readonly<Record<string, SeenDerivation>>;

/**
 * The keys under which the derivations seen for an item are remembered: its attributes, or for
 * dependency artifacts, which no attribute names, the `cargoArtifacts` of the attributes that use
 * them. Never the consumer's own attribute: that holds the consumer's derivation, not the artifacts'.
 */
export function historyKeys(item: DerivationItem): string[] {
  return item.attributes.length > 0 ? item.attributes : item.artifactsOf.map((a) => `${a}.cargoArtifacts`);
}

/** The current and previous derivation seen in `folder` under a key of `historyKeys`. */
export function seenDerivation(
  history: DerivationHistory,
  folder: string,
  key: string,
): SeenDerivation | undefined {
  return history[`${folder}#${key}`];
}

/**
 * The history after an evaluation of `folder` found `items`, its flake's inputs being `inputs`
 * (input name → store path): each key whose derivation changed keeps the one before it. Returns
 * `history` itself when nothing changed, so that the caller can skip writing it.
 */
export function rememberDerivations(
  history: DerivationHistory,
  folder: string,
  items: readonly DerivationItem[],
  inputs: Readonly<Record<string, string>>,
): DerivationHistory {
  let next: Record<string, SeenDerivation> | undefined;
  for (const item of items) {
    for (const key of historyKeys(item)) {
      const at = `${folder}#${key}`;
      const seen = (next ?? history)[at];
      if (seen?.current === item.drvPath) continue;
      next ??= { ...history };
      next[at] = {
        current: item.drvPath,
        previous: seen?.current ?? null,
        inputs: { ...seen?.inputs, ...flakeInputPaths(inputs) },
      };
    }
  }
  return next ?? history;
}

/** A stored history as far as it can be trusted, and what was left out of it and why. */
export interface StoredHistory {
  history: DerivationHistory;
  /** One reason per entry (or for the whole value) left out; empty when all of it fit. */
  dropped: string[];
}

/**
 * The history kept by an earlier session, read without trusting it: the workspace state may hold
 * what an older Nixify wrote or what someone edited by hand. Entries that do not have the shape of
 * a `SeenDerivation` are left out (each named in `dropped`), so that a bad one loses only its own
 * comparison, never the view.
 */
export function readDerivationHistory(stored: unknown): StoredHistory {
  if (stored === undefined) return { history: {}, dropped: [] };
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) {
    return { history: {}, dropped: [`the whole history: ${describe(stored)}, not an object`] };
  }
  const history: Record<string, SeenDerivation> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    const problem = seenProblem(value);
    if (problem === null) history[key] = value as SeenDerivation;
    else dropped.push(`${key}: ${problem}`);
  }
  return { history, dropped };
}

/** Why `value` is no `SeenDerivation`, or null when it is one. */
function seenProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `${describe(value)}, not an object`;
  }
  const { current, previous, inputs } = value as Partial<Record<keyof SeenDerivation, unknown>>;
  if (!isDrvPath(current)) return `current is ${describe(current)}, not a .drv path`;
  if (previous !== null && !isDrvPath(previous))
    return `previous is ${describe(previous)}, not a .drv path or null`;
  if (
    inputs === null ||
    typeof inputs !== 'object' ||
    Array.isArray(inputs) ||
    !Object.values(inputs).every((name) => typeof name === 'string')
  ) {
    return `inputs is ${describe(inputs)}, not a map of store paths to input names`;
  }
  return null;
}

function isDrvPath(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('/') && value.endsWith('.drv');
}

/** Short enough for a log line whatever was stored: the type, and a string's first characters. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
