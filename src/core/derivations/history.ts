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
