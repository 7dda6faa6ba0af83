// "Why does this rebuild?": compare the derivation last seen for an attribute with the current one
// and walk down to what actually changed. Hashes ripple upwards (a new source changes every
// derivation above it), so differences that are only store paths are followed into the inputs,
// and only the leaves are reported: a crate's source, Cargo.lock, the toolchain, a flake input, an
// environment variable. Pure: the derivations come from `nix show-derivation --recursive`.
import { derivationName, type Derivation } from '../nix/derivationShow';

interface Via {
  /** Derivation names from the attribute's derivation down to where the change was found. */
  via: string[];
}

export type RebuildCause = Via &
  (
    | {
        kind: 'crate-source';
        /** The crate whose derivation's `src` changed (crane's `pname`, without `-deps`). */
        crate: string;
        from: string;
        to: string;
        /** Which crates' files differ, once the two sources were compared (see sourceDiff.ts). */
        changedCrates: string[] | null;
        files: string[] | null;
      }
    /** Vendored dependencies changed: Cargo.lock did. */
    | { kind: 'cargo-lock' }
    /** crane's dummy source changed: a Cargo.toml or Cargo.lock did. */
    | { kind: 'cargo-manifests' }
    | { kind: 'toolchain'; from: string | null; to: string | null }
    | { kind: 'flake-input'; input: string }
    | { kind: 'env'; name: string; change: 'added' | 'removed' | 'changed' }
    /** A source that is none of the above, by store name. */
    | { kind: 'source'; name: string; change: 'added' | 'removed' | 'changed' }
    | { kind: 'dependency'; name: string; change: 'added' | 'removed' | 'changed' }
    /** builder, args or system. */
    | { kind: 'build-script' }
  );

export interface RebuildExplanation {
  unchanged: boolean;
  causes: RebuildCause[];
}

export interface RebuildHints {
  /** Crate names, so that a crate called `rust-foo` is not taken for a toolchain. */
  crates?: readonly string[];
  /** Store path of a flake input's source → the input's name (old and new paths both). */
  flakeInputs?: Readonly<Record<string, string>>;
}

const TOOLCHAIN = /^(rust|rustc|cargo|clippy|rustfmt|rust-analyzer|rust-std|rust-src|rust-docs)(-|$)/;
// crane's vendoring: vendorCargoDeps, its registry and git parts, one download per locked crate.
const VENDOR =
  /^(vendor-cargo-deps|cargo-vendor-dir|vendor-registry|vendor-git|cargo-package-|cargo-git|crate-.*\.tar\.gz$)/;
// crane's mkDummySrc: only the Cargo files of the workspace.
const DUMMY_SRC = /^dummy-src$/;
/** Causes that stay themselves when they show up below vendoring or the dummy source. */
const ROOT_CAUSES = new Set<RebuildCause['kind']>(['toolchain', 'flake-input']);

export function explainRebuild(
  previous: ReadonlyMap<string, Derivation>,
  current: ReadonlyMap<string, Derivation>,
  previousDrv: string,
  currentDrv: string,
  hints: RebuildHints = {},
): RebuildExplanation {
  if (previousDrv === currentDrv) return { unchanged: true, causes: [] };
  const crates = new Set(hints.crates ?? []);
  const inputs = hints.flakeInputs ?? {};
  const seen = new Set<string>();
  const lookup = (p: string) => previous.get(p) ?? current.get(p);
  const lookupCurrent = (p: string) => current.get(p) ?? previous.get(p);

  const isToolchain = (name: string) =>
    TOOLCHAIN.test(name) && ![...crates].some((c) => name === c || name.startsWith(`${c}-`));

  const visit = (prevPath: string, curPath: string, via: string[]): RebuildCause[] => {
    const pairKey = `${prevPath}\0${curPath}`;
    if (prevPath === curPath || seen.has(pairKey)) return [];
    seen.add(pairKey);
    const p = lookup(prevPath);
    const c = lookupCurrent(curPath);
    const here = [...via, derivationName(curPath)];
    if (!p || !c) return [{ kind: 'dependency', name: derivationName(curPath), change: 'changed', via }];
    const storeDir = curPath.slice(0, curPath.lastIndexOf('/'));
    const mask = maskHashes(storeDir);
    const causes: RebuildCause[] = [];

    if (
      p.system !== c.system ||
      mask(p.builder) !== mask(c.builder) ||
      mask(p.args.join('\0')) !== mask(c.args.join('\0'))
    ) {
      causes.push({ kind: 'build-script', via: here });
    }
    const outputNames = new Set([...Object.keys(p.outputs), ...Object.keys(c.outputs), 'outputs']);
    for (const name of new Set([...Object.keys(p.env), ...Object.keys(c.env)])) {
      if (outputNames.has(name)) continue; // output paths change with everything else
      const before = p.env[name];
      const after = c.env[name];
      if (before === after) continue;
      if (before === undefined) causes.push({ kind: 'env', name, change: 'added', via: here });
      else if (after === undefined) causes.push({ kind: 'env', name, change: 'removed', via: here });
      // Only store paths differ: the inputs below say why.
      else if (mask(before) !== mask(after)) causes.push({ kind: 'env', name, change: 'changed', via: here });
    }

    for (const [before, after] of pairByName(p.inputSrcs, c.inputSrcs)) {
      causes.push(sourceCause(before, after, c, here));
    }
    for (const [before, after] of pairByName(Object.keys(p.inputDrvs), Object.keys(c.inputDrvs))) {
      const name = derivationName(after ?? before ?? '');
      if (before === null || after === null) {
        causes.push({ kind: 'dependency', name, change: before === null ? 'added' : 'removed', via: here });
      } else if (isToolchain(name) || isToolchain(derivationName(before))) {
        causes.push({ kind: 'toolchain', from: derivationName(before), to: name, via: here });
      } else {
        causes.push(...inputCauses(before, after, name, here));
      }
    }
    return causes;
  };

  const inputCauses = (before: string, after: string, name: string, via: string[]): RebuildCause[] => {
    const below = visit(before, after, via);
    const summary: RebuildCause['kind'] | null = VENDOR.test(name)
      ? 'cargo-lock'
      : DUMMY_SRC.test(name)
        ? 'cargo-manifests'
        : null;
    if (summary !== null) {
      // Below vendoring, every change is Cargo.lock's doing unless it is a toolchain or an input.
      const kept = below.filter((c) => ROOT_CAUSES.has(c.kind) || c.kind === summary);
      const own = { kind: summary, via: [...via, name] } as RebuildCause;
      return kept.some((c) => c.kind === summary) ? kept : [...kept, own];
    }
    return below.length > 0 ? below : [{ kind: 'dependency', name, change: 'changed', via }];
  };

  const sourceCause = (
    before: string | null,
    after: string | null,
    drv: Derivation,
    via: string[],
  ): RebuildCause => {
    const input =
      (after !== null ? inputs[after] : undefined) ?? (before !== null ? inputs[before] : undefined);
    if (input !== undefined) return { kind: 'flake-input', input, via };
    const name = derivationName(after ?? before ?? '');
    const change = before === null ? 'added' : after === null ? 'removed' : 'changed';
    if (name === 'Cargo.lock') return { kind: 'cargo-lock', via };
    if (DUMMY_SRC.test(drv.name)) return { kind: 'cargo-manifests', via };
    const usedAs = Object.keys(drv.env).filter((k) => after !== null && drv.env[k] === after);
    const pname = drv.env['pname'];
    if (before !== null && after !== null && usedAs.includes('src') && pname !== undefined) {
      const crate = pname.replace(/-deps$/, '');
      // crane's deps-only derivations build from the Cargo files alone.
      if (pname.endsWith('-deps') && !crates.has(pname)) return { kind: 'cargo-manifests', via };
      return { kind: 'crate-source', crate, from: before, to: after, changedCrates: null, files: null, via };
    }
    return { kind: 'source', name, change, via };
  };

  return { unchanged: false, causes: tidyCauses(visit(previousDrv, currentDrv, [])) };
}

/**
 * Pairs the paths that differ between two lists by store name without its version (so that
 * `rust-default-1.80.0` pairs with `rust-default-1.81.0`); null for an added or removed one.
 */
function pairByName(before: readonly string[], after: readonly string[]): [string | null, string | null][] {
  const common = new Set(before.filter((p) => after.includes(p)));
  const byName = (list: readonly string[]) => {
    const map = new Map<string, string[]>();
    for (const p of list) {
      if (common.has(p)) continue;
      const name = packageName(derivationName(p));
      map.set(name, [...(map.get(name) ?? []), p]);
    }
    return map;
  };
  const old = byName(before);
  const now = byName(after);
  const pairs: [string | null, string | null][] = [];
  for (const name of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = [...(old.get(name) ?? [])].sort();
    const b = [...(now.get(name) ?? [])].sort();
    for (let i = 0; i < Math.max(a.length, b.length); i++) pairs.push([a[i] ?? null, b[i] ?? null]);
  }
  return pairs;
}

/** Nix's parseDrvName: the name ends before the first dash that a digit follows. */
function packageName(name: string): string {
  const match = /-\d/.exec(name);
  return match ? name.slice(0, match.index) : name;
}

/** Hides store paths (hash and name), so that what is left differs only where text really changed. */
function maskHashes(storeDir: string): (text: string) => string {
  const escaped = storeDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${escaped}/[0-9a-df-np-sv-z]{32}-[\\w+.?=-]*`, 'g');
  return (text) => text.replace(pattern, `${storeDir}/#`);
}

/**
 * One cause of each kind and subject, reached by the shortest way. A changed Cargo.lock also
 * changes crane's dummy source, so "a Cargo.toml or Cargo.lock changed" adds nothing beside it.
 */
export function tidyCauses(causes: readonly RebuildCause[]): RebuildCause[] {
  const best = new Map<string, RebuildCause>();
  for (const cause of causes) {
    const key = causeKey(cause);
    const existing = best.get(key);
    if (!existing || cause.via.length < existing.via.length) best.set(key, cause);
  }
  const tidy = [...best.values()];
  return tidy.some((c) => c.kind === 'cargo-lock') ? tidy.filter((c) => c.kind !== 'cargo-manifests') : tidy;
}

function causeKey(cause: RebuildCause): string {
  switch (cause.kind) {
    case 'crate-source':
      return `${cause.kind}:${cause.crate}:${cause.to}`;
    case 'toolchain':
      return `${cause.kind}:${cause.to ?? ''}`;
    case 'flake-input':
      return `${cause.kind}:${cause.input}`;
    case 'env':
    case 'source':
    case 'dependency':
      return `${cause.kind}:${cause.name}:${cause.change}`;
    default:
      return cause.kind;
  }
}

/** One sentence per cause, for tooltips, notifications and the CLI. */
export function describeCause(cause: RebuildCause): string {
  // The attribute's own input it came through says more to a user than the derivation deep down.
  const where = cause.via.length > 1 ? ` (through ${cause.via[1]})` : '';
  switch (cause.kind) {
    case 'crate-source': {
      const crates = cause.changedCrates ?? [cause.crate];
      const files = cause.files && cause.files.length > 0 ? `: ${shortList(cause.files)}` : '';
      return crates.length === 0
        ? `the source of crate ${cause.crate} changed outside every crate${files}`
        : `the source of crate${crates.length === 1 ? '' : 's'} ${crates.join(', ')} changed${files}`;
    }
    case 'cargo-lock':
      return `Cargo.lock changed${where}`;
    case 'cargo-manifests':
      return `a Cargo.toml or Cargo.lock changed${where}`;
    case 'toolchain':
      return cause.from !== null && cause.to !== null && cause.from !== cause.to
        ? `the toolchain changed: ${cause.from} → ${cause.to}`
        : `the toolchain changed (${cause.to ?? cause.from ?? 'unknown'})`;
    case 'flake-input':
      return `the flake input ${cause.input} changed`;
    case 'env':
      return `environment variable ${cause.name} ${cause.change}${where}`;
    case 'source':
      return `source ${cause.name} ${cause.change}${where}`;
    case 'dependency':
      return `dependency ${cause.name} ${cause.change}${where}`;
    case 'build-script':
      return `the build script changed${where}`;
  }
}

function shortList(items: readonly string[], max = 3): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
