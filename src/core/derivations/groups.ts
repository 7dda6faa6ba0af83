// Flake attributes → what a crate tree shows: per Cargo project of the flake, one group per crate
// (its package or wasm build, dependency artifacts, image, checks) and the project's own items
// (shared artifacts, project-wide checks, its dev shell; the default package and shell for the
// primary project), then "Other outputs". Names follow Nixify's generated flake
// (src/core/flake/flakeNix.ts, projects.ts): `packages.<output>` = `checks.<output>`,
// `checks.<key>-clippy`, `devShells.<key>`, `packages.<output>-image`, crane's `<pname>-deps`
// reachable as `cargoArtifacts`. With one project at the root that is the old "Workspace" group.
import { members } from '../flake/options';
import {
  crateOutputNames,
  PROJECT_CHECKS,
  primaryProject,
  ROOT_PROJECT_KEY,
  type FlakeProject,
} from '../flake/projects';
import type {
  BuildRequirements,
  FlakeAttribute,
  FlakeDerivation,
  FlakeDerivations,
  FlakeSection,
} from './flakeOutputs';

export type ItemKind = 'package' | 'wasm' | 'dependencies' | 'image' | 'check' | 'devShell';

export interface DerivationItem {
  /** One item per derivation, however many attributes name it. */
  drvPath: string;
  /** The derivation's name, e.g. `app-0.1.0`. */
  name: string;
  outputs: Record<string, string>;
  /** Its system, required features and preferLocalBuild, when the evaluation read them. */
  build?: BuildRequirements;
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
  /** Its flake attribute (`packages.<output>`): the crate's name unless another project has one alike. */
  output: string;
  /** The key of its project. */
  project: string;
  items: DerivationItem[];
}

/** One Cargo project of the flake: its crates and what the project has as a whole. */
export interface ProjectGroup {
  /** `devShells.<key>`, `checks.<key>-clippy`. */
  key: string;
  /** Relative to the flake, "" for the root. */
  dir: string;
  /** The flake's defaults (`packages.default`, `devShells.default`) are this project's. */
  primary: boolean;
  crates: CrateGroup[];
  /** Shared dependency artifacts, project-wide checks, dev shell (and the defaults, for the primary). */
  items: DerivationItem[];
}

export interface DerivationGroups {
  system: string;
  /** One per project given, in that order. */
  projects: ProjectGroup[];
  /** Every project's crate groups, in project order: one per crate given, even when the flake has nothing for it. */
  crates: CrateGroup[];
  /** Every project's own items, in project order (with one project: the "Workspace" group). */
  workspace: DerivationItem[];
  other: DerivationItem[];
  /** Attribute paths whose evaluation threw. */
  failed: string[];
}

export interface CrateRef {
  name: string;
  /** Built for wasm32: its package is shown as its wasm build. */
  wasm?: boolean;
  /** Its flake attribute when not its name (see crateOutputNames in src/core/flake/projects.ts). */
  output?: string;
}

export interface ProjectRef {
  key: string;
  dir: string;
  crates: readonly CrateRef[];
}

type Place =
  | { group: 'crate'; project: string; crate: string }
  | { group: 'project'; project: string }
  | { group: 'other' };

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

/** What grouping needs of the flake's projects: their keys, crates and the crates' output names. */
export function projectRefs(projects: readonly FlakeProject[]): ProjectRef[] {
  const outputs = crateOutputNames(projects);
  return projects.map((p) => {
    const seen = new Map<string, CrateRef>();
    for (const pkg of members(p.workspace)) {
      if (seen.has(pkg.name)) continue;
      const output = outputs.get(p.key)?.get(pkg.name) ?? pkg.name;
      seen.set(pkg.name, {
        name: pkg.name,
        wasm: pkg.nixify.wasm !== null,
        ...(output !== pkg.name && { output }),
      });
    }
    return { key: p.key, dir: p.dir, crates: [...seen.values()] };
  });
}

/** The grouping of a flake with one project at its root (checks `workspace-*`, `devShells.default`). */
export function groupDerivations(flake: FlakeDerivations, crates: readonly CrateRef[]): DerivationGroups {
  return groupProjectDerivations(flake, [{ key: ROOT_PROJECT_KEY, dir: '', crates }]);
}

/**
 * Groups the flake's attributes by project (in the order given; the primary one is the root
 * project, else the first), and within a project by crate.
 */
export function groupProjectDerivations(
  flake: FlakeDerivations,
  projects: readonly ProjectRef[],
): DerivationGroups {
  const primary = primaryProject(projects)?.key ?? ROOT_PROJECT_KEY;
  const crateByOutput = new Map<string, { project: string; crate: CrateRef }>();
  for (const project of projects) {
    for (const crate of project.crates) {
      crateByOutput.set(crate.output ?? crate.name, { project: project.key, crate });
    }
  }
  const projectKeys = new Set(projects.map((p) => p.key));
  // Longest first, so that `app-cli-image` belongs to `app-cli` rather than `app`.
  const byLength = [...crateByOutput.keys()].sort((a, b) => b.length - a.length);
  const keysByLength = [...projectKeys].sort((a, b) => b.length - a.length);
  const items = new Map<string, { item: DerivationItem; placement: Placement }>();
  const failed: string[] = [];

  const projectCheck = (name: string): { project: string; check: string } | null => {
    for (const key of keysByLength) {
      if (!name.startsWith(`${key}-`)) continue;
      const check = name.slice(key.length + 1);
      // The root project's checks were always `workspace-<anything>`; others only have the four.
      if (key === ROOT_PROJECT_KEY || (PROJECT_CHECKS as readonly string[]).includes(check)) {
        return { project: key, check };
      }
    }
    return null;
  };

  const place = (attr: FlakeAttribute): Placement => {
    const { section, name } = attr;
    const crate = crateByOutput.get(name);
    if (crate && section !== 'devShells') {
      const kind = crate.crate.wasm ? 'wasm' : 'package';
      return {
        place: { group: 'crate', project: crate.project, crate: name },
        kind,
        label: kind === 'wasm' ? 'wasm build' : 'package',
        rank: 0,
      };
    }
    if (section === 'devShells') {
      const own = projectKeys.has(name) || name === 'default';
      return {
        place: { group: 'project', project: projectKeys.has(name) ? name : primary },
        kind: 'devShell',
        label: own ? 'dev shell' : `dev shell ${name}`,
        rank: 2,
      };
    }
    const check = section === 'checks' ? projectCheck(name) : null;
    if (check !== null) {
      return {
        place: { group: 'project', project: check.project },
        kind: 'check',
        label: check.check,
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
      const project = crateByOutput.get(owner)?.project ?? primary;
      return { place: { group: 'crate', project, crate: owner }, kind, label: suffix, rank: 1 };
    }
    if (section === 'packages' && name === 'default') {
      return {
        place: { group: 'project', project: primary },
        kind: 'package',
        label: 'default package',
        rank: 2,
      };
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
        ...(derivation.build && { build: derivation.build }),
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

  // Dependency artifacts go where their consumers are: one crate's alone stay with it; a project's
  // shared ones (a workspace-wide deps derivation, `deps = shared`) go to the project; artifacts
  // several projects use (none in Nixify's flakes) to Other outputs.
  const consumers = new Map<string, { derivation: FlakeDerivation; places: Place[]; of: string[] }>();
  for (const attr of flake.attributes) {
    if (attr.derivation === null || attr.cargoArtifacts === null) continue;
    const consumer = items.get(attr.derivation.drvPath);
    if (!consumer) continue;
    const deps = attr.cargoArtifacts;
    const entry = consumers.get(deps.drvPath) ?? { derivation: deps, places: [], of: [] };
    entry.places.push(consumer.placement.place);
    entry.of.push(attributePath(attr.section, flake.system, attr.name));
    consumers.set(deps.drvPath, entry);
  }
  for (const [drvPath, { derivation, places, of }] of consumers) {
    const placement: Placement = {
      place: artifactsPlace(places, primary),
      kind: 'dependencies',
      label: 'dependencies',
      rank: 4,
    };
    add(derivation, placement, null);
    items.get(drvPath)?.item.artifactsOf.push(...new Set(of));
  }

  const projectGroups: ProjectGroup[] = projects.map((p) => ({
    key: p.key,
    dir: p.dir,
    primary: p.key === primary,
    crates: p.crates.map((c) => ({ crate: c.name, output: c.output ?? c.name, project: p.key, items: [] })),
    items: [],
  }));
  const byKey = new Map(projectGroups.map((g) => [g.key, g]));
  const crateGroups = new Map(projectGroups.flatMap((g) => g.crates.map((c) => [c.output, c] as const)));
  const other: DerivationItem[] = [];
  for (const { item, placement } of items.values()) {
    const { place: where } = placement;
    if (where.group === 'crate') crateGroups.get(where.crate)?.items.push(item);
    else if (where.group === 'project') (byKey.get(where.project)?.items ?? other).push(item);
    else other.push(item);
  }
  const order = (a: DerivationItem, b: DerivationItem) =>
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.label.localeCompare(b.label);
  for (const g of projectGroups) {
    for (const c of g.crates) c.items.sort(order);
    g.items.sort(order);
  }
  other.sort(order);
  return {
    system: flake.system,
    projects: projectGroups,
    crates: projectGroups.flatMap((g) => g.crates),
    workspace: projectGroups.flatMap((g) => g.items),
    other,
    failed,
  };
}

function artifactsPlace(places: readonly Place[], primary: string): Place {
  const keys = new Set(places.map((p) => JSON.stringify(p)));
  const [only] = places;
  if (keys.size === 1 && only) return only;
  const projectsOf = new Set(places.map((p) => (p.group === 'other' ? primary : p.project)));
  const [project] = projectsOf;
  return projectsOf.size === 1 && project !== undefined ? { group: 'project', project } : { group: 'other' };
}

/** Every item of every group, once each. */
export function allItems(groups: DerivationGroups): DerivationItem[] {
  return [...groups.crates.flatMap((g) => g.items), ...groups.workspace, ...groups.other];
}
