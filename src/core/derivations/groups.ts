// Flake attributes → what a crate tree shows: one group per crate (its package or wasm build,
// dependency artifacts, image, checks), "Workspace" (shared artifacts, workspace-wide checks,
// default package, dev shells) and "Other outputs". Names follow Nixify's generated flake
// (src/core/flake/flakeNix.ts): `packages.<crate>` = `checks.<crate>`, `checks.workspace-*`,
// `packages.<crate>-image`, crane's `<pname>-deps` reachable as `cargoArtifacts`.
import type { FlakeAttribute, FlakeDerivation, FlakeDerivations, FlakeSection } from './flakeOutputs';

export type ItemKind = 'package' | 'wasm' | 'dependencies' | 'image' | 'check' | 'devShell';

export interface DerivationItem {
  /** One item per derivation, however many attributes name it. */
  drvPath: string;
  /** The derivation's name, e.g. `app-0.1.0`. */
  name: string;
  outputs: Record<string, string>;
  kind: ItemKind;
  /** Short text for the tree: "package", "dependencies", "clippy", "packages.wasm-bindgen-cli"… */
  label: string;
  /** Installable attribute paths naming it, e.g. `packages.x86_64-linux.app`; `nix build .#<this>`. */
  attributes: string[];
  /** For dependency artifacts: the attributes whose `cargoArtifacts` it is. */
  artifactsOf: string[];
}

export interface CrateGroup {
  crate: string;
  items: DerivationItem[];
}

export interface DerivationGroups {
  system: string;
  /** One per crate given, in that order, even when the flake has nothing for it. */
  crates: CrateGroup[];
  workspace: DerivationItem[];
  other: DerivationItem[];
  /** Attribute paths whose evaluation threw. */
  failed: string[];
}

export interface CrateRef {
  name: string;
  /** Built for wasm32: its package is shown as its wasm build. */
  wasm?: boolean;
}

type Place = { group: 'crate'; crate: string } | { group: 'workspace' } | { group: 'other' };

interface Placement {
  place: Place;
  kind: ItemKind;
  label: string;
  /** Lower wins when several attributes name the same derivation. */
  rank: number;
}

const KIND_ORDER: readonly ItemKind[] = ['package', 'wasm', 'dependencies', 'image', 'check', 'devShell'];

/** `packages.x86_64-linux.app`, quoting names that are not plain Nix identifiers. */
export function attributePath(section: FlakeSection, system: string, name: string): string {
  const part = (s: string) => (/^[A-Za-z_][\w'-]*$/.test(s) ? s : JSON.stringify(s));
  return [section, system, name].map(part).join('.');
}

export function groupDerivations(flake: FlakeDerivations, crates: readonly CrateRef[]): DerivationGroups {
  const crateNames = new Map(crates.map((c) => [c.name, c]));
  // Longest first, so that `app-cli-image` belongs to `app-cli` rather than `app`.
  const byLength = [...crateNames.keys()].sort((a, b) => b.length - a.length);
  const items = new Map<string, { item: DerivationItem; placement: Placement }>();
  const failed: string[] = [];

  const place = (attr: FlakeAttribute): Placement => {
    const { section, name } = attr;
    const crate = crateNames.get(name);
    if (crate && section !== 'devShells') {
      const kind = crate.wasm ? 'wasm' : 'package';
      return {
        place: { group: 'crate', crate: name },
        kind,
        label: kind === 'wasm' ? 'wasm build' : 'package',
        rank: 0,
      };
    }
    if (section === 'devShells') {
      const label = name === 'default' ? 'dev shell' : `dev shell ${name}`;
      return { place: { group: 'workspace' }, kind: 'devShell', label, rank: 2 };
    }
    if (section === 'checks' && name.startsWith('workspace-')) {
      return {
        place: { group: 'workspace' },
        kind: 'check',
        label: name.slice('workspace-'.length),
        rank: 2,
      };
    }
    const owner = byLength.find((c) => name.startsWith(`${c}-`));
    if (owner !== undefined) {
      const suffix = name.slice(owner.length + 1);
      const kind: ItemKind = /image|docker|oci/.test(suffix)
        ? 'image'
        : /wasm/.test(suffix)
          ? 'wasm'
          : section === 'checks'
            ? 'check'
            : 'package';
      return { place: { group: 'crate', crate: owner }, kind, label: suffix, rank: 1 };
    }
    if (section === 'packages' && name === 'default') {
      return { place: { group: 'workspace' }, kind: 'package', label: 'default package', rank: 2 };
    }
    const kind: ItemKind = section === 'checks' ? 'check' : 'package';
    return { place: { group: 'other' }, kind, label: `${section}.${name}`, rank: 3 };
  };

  const add = (derivation: FlakeDerivation, placement: Placement, attribute: string | null) => {
    const existing = items.get(derivation.drvPath);
    if (!existing) {
      const item: DerivationItem = {
        drvPath: derivation.drvPath,
        name: derivation.name,
        outputs: derivation.outputs,
        kind: placement.kind,
        label: placement.label,
        attributes: [],
        artifactsOf: [],
      };
      if (attribute !== null) item.attributes.push(attribute);
      items.set(derivation.drvPath, { item, placement });
      return;
    }
    if (attribute !== null) existing.item.attributes.push(attribute);
    if (placement.rank < existing.placement.rank) {
      existing.placement = placement;
      existing.item.kind = placement.kind;
      existing.item.label = placement.label;
    }
  };

  for (const attr of flake.attributes) {
    const attribute = attributePath(attr.section, flake.system, attr.name);
    if (attr.derivation === null) failed.push(attribute);
    else add(attr.derivation, place(attr), attribute);
  }

  // Dependency artifacts go where their consumers are: one crate's alone stay with it; shared ones
  // (a workspace-wide deps derivation, `deps = shared`) go under Workspace.
  const consumers = new Map<string, { derivation: FlakeDerivation; places: Set<string>; of: string[] }>();
  for (const attr of flake.attributes) {
    if (attr.derivation === null || attr.cargoArtifacts === null) continue;
    const consumer = items.get(attr.derivation.drvPath);
    if (!consumer) continue;
    const deps = attr.cargoArtifacts;
    const entry = consumers.get(deps.drvPath) ?? { derivation: deps, places: new Set(), of: [] };
    entry.places.add(JSON.stringify(consumer.placement.place));
    entry.of.push(attributePath(attr.section, flake.system, attr.name));
    consumers.set(deps.drvPath, entry);
  }
  for (const [drvPath, { derivation, places, of }] of consumers) {
    const only = places.size === 1 ? (JSON.parse([...places][0] ?? '{}') as Place) : null;
    const placement: Placement = {
      place: only ?? { group: 'workspace' },
      kind: 'dependencies',
      label: 'dependencies',
      rank: 4,
    };
    add(derivation, placement, null);
    items.get(drvPath)?.item.artifactsOf.push(...new Set(of));
  }

  const groups: DerivationGroups = {
    system: flake.system,
    crates: crates.map((c) => ({ crate: c.name, items: [] })),
    workspace: [],
    other: [],
    failed,
  };
  const crateGroups = new Map(groups.crates.map((g) => [g.crate, g]));
  for (const { item, placement } of items.values()) {
    const { place: where } = placement;
    if (where.group === 'crate') crateGroups.get(where.crate)?.items.push(item);
    else groups[where.group].push(item);
  }
  const order = (a: DerivationItem, b: DerivationItem) =>
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.label.localeCompare(b.label);
  for (const g of groups.crates) g.items.sort(order);
  groups.workspace.sort(order);
  groups.other.sort(order);
  return groups;
}

/** Every item of every group, once each. */
export function allItems(groups: DerivationGroups): DerivationItem[] {
  return [...groups.crates.flatMap((g) => g.items), ...groups.workspace, ...groups.other];
}
