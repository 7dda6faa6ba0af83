// The Derivations view as plain data: one root per folder with a flake, a node per crate holding
// its package, dependency artifacts, wasm build and checks, "Workspace" and "Other outputs", each
// derivation with its status, icon, colour, tooltip and menu key. A flake with several Cargo
// projects has a node per project above its crates, its own "Project" node instead of "Workspace". `derivationTree.ts` only turns
// these nodes into TreeItems, so everything worth testing lives here (no `vscode` import).
import type { DetectResult } from '../core/cargo';
import {
  allItems,
  countPlacements,
  countStatuses,
  formatPlacementCounts,
  placeItem,
  type BuildMachines,
  type BuildPlacement,
  formatSummary,
  projectRefs,
  type CrateGroup,
  type DerivationGroups,
  type DerivationItem,
  type DerivationStatus,
  type ItemStatus,
  type ProjectGroup,
  type ProjectRef,
  type StatusCounts,
} from '../core/derivations';
import { crateOutputNames, projectsOfFlake } from '../core/flake/projects';
import { countOf, workspaceName } from '../describe';
import { sshTarget } from '../core/nix/buildMachines';
import { errorLocation, firstErrorLine } from '../core/nix/evalError';

/** What a derivation shows: its cache status, or what Nixify is doing with it. */
export type NodeStatus = DerivationStatus | 'evaluating' | 'building' | 'failed';

/** One folder as the view sees it; the controller keeps it up to date. */
export interface DerivationFolderInput {
  name: string;
  path: string;
  /** Crate output name (`packages.<name>`) → its Cargo.toml. */
  manifests: Readonly<Record<string, string>>;
  /** Project key → what to call it: its directory, or for the root project its package or folder name. */
  projectNames?: Readonly<Record<string, string>>;
  /** Evaluation is off until the workspace is trusted. */
  untrusted: boolean;
  /** An evaluation or classification is running. */
  evaluating: boolean;
  /** Why the last evaluation failed. */
  error: string | null;
  groups: DerivationGroups | null;
  /** Null while the statuses of `groups` are being computed. */
  statuses: ReadonlyMap<string, ItemStatus> | null;
  /** One line each: flake caches that are not used and how to trust them. */
  notes: readonly string[];
  /** Derivations whose last build through Nixify failed. */
  failedBuilds: ReadonlySet<string>;
  /** Derivations being built through Nixify right now. */
  building: ReadonlySet<string>;
  /** This machine and the remote builders Nix is configured with, once read; marks "to build" items. */
  machines?: BuildMachines | null;
}

/** A folder nothing has been evaluated for yet: no derivations, no error, nothing building. */
export function newFolderInput(
  name: string,
  folderPath: string,
  manifests: Readonly<Record<string, string>>,
): DerivationFolderInput & { failedBuilds: Set<string>; building: Set<string> } {
  return {
    name,
    path: folderPath,
    manifests,
    untrusted: false,
    evaluating: false,
    error: null,
    groups: null,
    statuses: null,
    notes: [],
    failedBuilds: new Set(),
    building: new Set(),
  };
}

interface NodeBase {
  id: string;
  label: string;
  description: string;
  tooltip: string;
  /** A codicon id, e.g. `pass`, `sync~spin`. */
  icon: string;
  /** A theme colour id for the icon, e.g. `charts.blue`; null for the default. */
  color: string | null;
  contextValue: string;
  /** The folder this node belongs to. */
  folder: string;
}

export interface FolderNode extends NodeBase {
  kind: 'folder';
  children: DerivationNode[];
}

export interface GroupNode extends NodeBase {
  kind: 'group';
  /** `project`: one Cargo project of a multi-project flake, holding its crates and `workspace` node. */
  group: 'project' | 'crate' | 'workspace' | 'other';
  /** The crate's output name (`packages.<crate>`), for crate groups. */
  crate: string | null;
  /** The project's key, for project, crate and workspace groups. */
  project: string | null;
  manifestPath: string | null;
  children: DerivationNode[];
}

export interface ItemNode extends NodeBase {
  kind: 'item';
  item: DerivationItem;
  status: NodeStatus;
  crate: string | null;
  manifestPath: string | null;
}

export interface MessageNode extends NodeBase {
  kind: 'message';
  /** Where the message points, e.g. an evaluation error's position (1-based). */
  location: { file: string; line: number; column: number } | null;
}

export type DerivationNode = FolderNode | GroupNode | ItemNode | MessageNode;

export const STATUS_ICONS: Record<NodeStatus, { icon: string; color: string | null }> = {
  local: { icon: 'pass', color: 'testing.iconPassed' },
  cached: { icon: 'cloud-download', color: 'charts.blue' },
  build: { icon: 'tools', color: 'charts.orange' },
  unknown: { icon: 'question', color: null },
  evaluating: { icon: 'sync~spin', color: null },
  building: { icon: 'loading~spin', color: 'charts.yellow' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
};

const STATUS_TEXT: Record<NodeStatus, string> = {
  local: 'local',
  cached: 'cached',
  build: 'to build',
  unknown: 'unknown',
  evaluating: 'checking…',
  building: 'building…',
  failed: 'build failed',
};

/**
 * The Cargo projects of a folder's flake (the ones `flakeText` lists, else every one a Nixify
 * flake there would have), named as the flake names them, with each crate's manifest by output name.
 */
export function projectsOfModel(
  folderPath: string,
  result: DetectResult | undefined,
  flakeText: string | null,
): { projects: ProjectRef[]; manifests: Record<string, string>; names: Record<string, string> } {
  const projects = projectsOfFlake(folderPath, result?.workspaces ?? [], flakeText);
  const outputs = crateOutputNames(projects);
  const manifests: Record<string, string> = {};
  const names: Record<string, string> = {};
  for (const project of projects) {
    names[project.key] = project.dir === '' ? workspaceName(project.workspace) : project.dir;
    const ws = project.workspace;
    for (const p of ws.packages) {
      if (!ws.workspace_members.includes(p.id)) continue;
      manifests[outputs.get(project.key)?.get(p.name) ?? p.name] ??= p.manifest_path;
    }
  }
  return { projects: projectRefs(projects), manifests, names };
}

/**
 * The derivations whose last build through Nixify failed, once a build of `built` ended: a failure
 * stays until the derivation is local, and a cancelled build is no failure.
 */
export function failedAfterBuild(
  failed: ReadonlySet<string>,
  built: readonly string[],
  outcome: { ok: boolean; cancelled: boolean },
  statuses: ReadonlyMap<string, ItemStatus> | null,
): Set<string> {
  const next = new Set(failed);
  for (const drvPath of built) {
    if (outcome.cancelled || statuses?.get(drvPath)?.status === 'local') next.delete(drvPath);
    else if (!outcome.ok) next.add(drvPath);
  }
  return next;
}

/** What a derivation shows: a running build or a failed one wins over the cache status. */
export function nodeStatus(folder: DerivationFolderInput, drvPath: string): NodeStatus {
  if (folder.building.has(drvPath)) return 'building';
  if (folder.failedBuilds.has(drvPath)) return 'failed';
  return folder.statuses?.get(drvPath)?.status ?? 'evaluating';
}

export function buildDerivationTree(folders: readonly DerivationFolderInput[]): FolderNode[] {
  return folders.map(folderNode);
}

/** The view's description: every folder's counts summed, "12 local · 30 cached · 4 to build". */
export function viewDescription(folders: readonly DerivationFolderInput[]): string {
  if (folders.some((f) => f.evaluating && f.groups === null)) return 'evaluating…';
  const ready = folders.filter((f) => f.groups !== null && f.statuses !== null);
  if (ready.length === 0) return folders.some((f) => f.evaluating) ? 'checking caches…' : '';
  const total: StatusCounts = { local: 0, cached: 0, build: 0, unknown: 0 };
  for (const f of ready) {
    const counts = folderCounts(f);
    for (const key of Object.keys(total) as DerivationStatus[]) total[key] += counts[key];
  }
  const summary = withPlacement(formatSummary(total), placementSummary(ready));
  return folders.some((f) => f.evaluating) ? `${summary} (checking…)` : summary;
}

function withPlacement(summary: string, where: string): string {
  return where === '' ? summary : `${summary} (${where})`;
}

/** "3 here · 1 on builders" over every "to build" item; "" when no folder knows of builders. */
function placementSummary(folders: readonly DerivationFolderInput[]): string {
  const placements = folders.flatMap((f) =>
    allItems(f.groups ?? emptyGroups()).flatMap((item) => {
      const placement =
        f.statuses?.get(item.drvPath)?.status === 'build' ? placeItem(item, f.machines) : null;
      return placement === null ? [] : [placement];
    }),
  );
  const haveBuilders = folders.some((f) => (f.machines?.builders.length ?? 0) > 0);
  return formatPlacementCounts(countPlacements(placements), haveBuilders);
}

/** The short mark after "to build": nothing when it builds here and there are no builders. */
function placementMark(folder: DerivationFolderInput, placement: BuildPlacement | null): string {
  if (placement === null) return '';
  switch (placement.where) {
    case 'local':
      return (folder.machines?.builders.length ?? 0) > 0 ? ' here' : '';
    case 'either':
    case 'remote':
      return ` on ${sshTarget(placement.builders[0] ?? '').host}${placement.where === 'either' ? ' or here' : ''}`;
    case 'nowhere':
      return ': no machine can';
  }
}

function placementTooltip(placement: BuildPlacement | null): string | null {
  if (placement === null) return null;
  switch (placement.where) {
    case 'local':
      return 'Builds on: this machine';
    case 'either':
      return `Builds on: ${placement.builders.join(', ')} (offered first), else this machine`;
    case 'remote':
      return `Builds on: ${placement.builders.join(', ')} (this machine cannot)`;
    case 'nowhere':
      return `No machine can build it: ${placement.reason}`;
  }
}

function folderCounts(folder: DerivationFolderInput): StatusCounts {
  const statuses = allItems(folder.groups ?? emptyGroups()).flatMap((i) => {
    const s = folder.statuses?.get(i.drvPath);
    return s ? [s] : [];
  });
  return countStatuses(statuses);
}

function emptyGroups(): DerivationGroups {
  return { system: '', projects: [], crates: [], workspace: [], other: [], failed: [] };
}

function folderNode(folder: DerivationFolderInput): FolderNode {
  const id = `derivations:${folder.path}`;
  const children: DerivationNode[] = [];
  const message = (key: string, label: string, icon: string, color: string | null, tooltip = label) =>
    children.push({
      kind: 'message',
      id: `${id}:${key}`,
      label,
      description: '',
      tooltip,
      icon,
      color,
      contextValue: 'nixify.derivationMessage',
      folder: folder.path,
      location: null,
    });

  if (folder.untrusted) {
    message(
      'untrusted',
      'Trust this folder to see its derivations',
      'shield',
      null,
      'Listing derivations evaluates the flake, which runs code from the workspace. Nixify does that only in a trusted workspace.',
    );
  } else if (folder.error !== null) {
    const location = errorLocation(folder.error, folder.path);
    children.push({
      kind: 'message',
      id: `${id}:error`,
      label: `Evaluation failed: ${firstErrorLine(folder.error)}`,
      description: '',
      tooltip: folder.error,
      icon: 'error',
      color: 'problemsErrorIcon.foreground',
      contextValue: 'nixify.derivationError',
      folder: folder.path,
      location,
    });
  } else if (folder.groups === null) {
    message('evaluating', 'Evaluating the flake…', 'sync~spin', null);
  }
  folder.notes.forEach((note, i) => message(`note${i}`, note, 'info', 'charts.yellow'));

  const groups = folder.groups;
  if (groups !== null) {
    if (groups.failed.length > 0) {
      message(
        'failed-attrs',
        `${groups.failed.length} attribute${groups.failed.length === 1 ? '' : 's'} failed to evaluate`,
        'warning',
        'problemsWarningIcon.foreground',
        groups.failed.join('\n'),
      );
    }
    if (groups.projects.length > 1) {
      children.push(...groups.projects.map((p) => projectNode(folder, p)));
    } else {
      for (const p of groups.projects) children.push(...projectChildren(folder, p, 'Workspace', ''));
    }
    if (groups.other.length > 0) {
      children.push(
        groupNode(folder, 'other', null, null, 'Other outputs', groups.other, null, 'symbol-misc'),
      );
    }
  }
  const description =
    groups !== null && folder.statuses !== null
      ? withPlacement(formatSummary(folderCounts(folder)), placementSummary([folder]))
      : folder.evaluating
        ? 'evaluating…'
        : '';
  return {
    kind: 'folder',
    id,
    label: folder.name,
    description,
    tooltip: folder.path,
    icon: 'root-folder',
    color: null,
    contextValue: 'nixify.derivationFolder',
    folder: folder.path,
    children,
  };
}

/** A project's crates, then its own items (`ownLabel`: "Workspace" alone in its flake, else "Project"). */
function projectChildren(
  folder: DerivationFolderInput,
  project: ProjectGroup,
  ownLabel: string,
  ownIdKey: string,
): GroupNode[] {
  const children = project.crates.map((g) => crateNode(folder, g));
  if (project.items.length > 0) {
    children.push(
      groupNode(
        folder,
        'workspace',
        null,
        project.key,
        ownLabel,
        project.items,
        null,
        'folder-library',
        ownIdKey,
      ),
    );
  }
  return children;
}

function crateNode(folder: DerivationFolderInput, g: CrateGroup): GroupNode {
  const manifest = folder.manifests[g.output] ?? null;
  const wasm = g.items.some((i) => i.kind === 'wasm');
  return groupNode(
    folder,
    'crate',
    g.output,
    g.project,
    g.output,
    g.items,
    manifest,
    wasm ? 'globe' : 'package',
  );
}

/** One project of a multi-project flake: "3 crates · 2 to build", its attribute names in the tooltip. */
function projectNode(folder: DerivationFolderInput, project: ProjectGroup): GroupNode {
  const id = `derivations:${folder.path}:project:${project.key}`;
  const children = projectChildren(folder, project, 'Project', project.key);
  const items = [...project.crates.flatMap((c) => c.items), ...project.items];
  const name = folder.projectNames?.[project.key] ?? (project.dir || project.key);
  const tooltip = [
    `${name}${project.dir === '' ? ' (at the flake’s root)' : ` in ${project.dir}/`}`,
    `devShells.${project.key}${project.primary ? ' (the default)' : ''} · checks.${project.key}-clippy, -fmt, -test, -doc`,
  ];
  return {
    kind: 'group',
    group: 'project',
    crate: null,
    project: project.key,
    id,
    label: name,
    description: [countOf(project.crates.length, 'crate'), statusSummary(folder, items)].join(' · '),
    tooltip: tooltip.join('\n'),
    icon: 'folder-library',
    color: null,
    contextValue: 'nixify.derivationGroup.project',
    folder: folder.path,
    manifestPath: null,
    children,
  };
}

/** "1 build failed · 2 to build · 3 local", worst first. */
function statusSummary(folder: DerivationFolderInput, items: readonly DerivationItem[]): string {
  const counts = new Map<NodeStatus, number>();
  for (const i of items) {
    const s = nodeStatus(folder, i.drvPath);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const order: NodeStatus[] = ['failed', 'building', 'build', 'unknown', 'cached', 'local', 'evaluating'];
  return items.length === 0
    ? 'no derivations'
    : order
        .filter((s) => counts.has(s))
        .map((s) => `${counts.get(s)} ${STATUS_TEXT[s]}`)
        .join(' · ');
}

function groupNode(
  folder: DerivationFolderInput,
  group: GroupNode['group'],
  crate: string | null,
  project: string | null,
  label: string,
  items: readonly DerivationItem[],
  manifestPath: string | null,
  icon: string,
  idKey: string = crate ?? '',
): GroupNode {
  const id = `derivations:${folder.path}:${group}:${idKey}`;
  const description = statusSummary(folder, items);
  return {
    kind: 'group',
    group,
    crate,
    project,
    id,
    label,
    description,
    tooltip: manifestPath ?? label,
    icon,
    color: null,
    contextValue:
      group === 'crate'
        ? `nixify.derivationCrate${items.some((i) => i.kind === 'dependencies') ? '.withDeps' : ''}`
        : 'nixify.derivationGroup',
    folder: folder.path,
    manifestPath,
    children: items.map((item) => itemNode(folder, item, crate, manifestPath, id)),
  };
}

function itemNode(
  folder: DerivationFolderInput,
  item: DerivationItem,
  crate: string | null,
  manifestPath: string | null,
  parentId: string,
): ItemNode {
  const status = nodeStatus(folder, item.drvPath);
  const { icon, color } = STATUS_ICONS[status];
  const itemStatus = folder.statuses?.get(item.drvPath) ?? null;
  const size =
    status === 'cached' && itemStatus !== null
      ? ` · ${formatBytes(itemStatus.downloadSize ?? itemStatus.narSize)}`
      : '';
  const placement = status === 'build' ? placeItem(item, folder.machines) : null;
  const where = placementTooltip(placement);
  const tooltip = itemTooltip(item, status, itemStatus);
  return {
    kind: 'item',
    id: `${parentId}:${item.drvPath}`,
    label: item.label,
    description: `${STATUS_TEXT[status]}${placementMark(folder, placement)}${size} · ${item.name}`,
    tooltip: where === null ? tooltip : `${tooltip}\n${where}`,
    icon,
    color,
    contextValue: `nixify.derivation.${status}.${item.kind}`,
    folder: folder.path,
    item,
    status,
    crate,
    manifestPath,
  };
}

/** Attribute, drv path, output paths, sizes, which cache has it and which key signed it. */
export function itemTooltip(item: DerivationItem, status: NodeStatus, itemStatus: ItemStatus | null): string {
  const lines = [`${item.name}: ${STATUS_TEXT[status]}`];
  if (item.attributes.length > 0) lines.push(`Attribute: ${item.attributes.join(', ')}`);
  if (item.artifactsOf.length > 0) lines.push(`Dependency artifacts of: ${item.artifactsOf.join(', ')}`);
  lines.push(`Derivation: ${item.drvPath}`);
  for (const [output, storePath] of Object.entries(item.outputs)) {
    const o = itemStatus?.outputs.find((x) => x.output === output);
    lines.push(`Output ${output}: ${storePath}${o ? ` (${STATUS_TEXT[o.status]})` : ''}`);
    if (o?.hit) {
      const signed = o.hit.signedBy !== null ? `, signed by ${o.hit.signedBy}` : ', signatures not required';
      lines.push(`  in ${o.hit.url}${signed}`);
    }
  }
  if (itemStatus !== null && itemStatus.narSize > 0) {
    const download =
      itemStatus.downloadSize !== null ? ` · download ${formatBytes(itemStatus.downloadSize)}` : '';
    lines.push(`NAR size ${formatBytes(itemStatus.narSize)}${download}`);
  }
  if (itemStatus?.detail) lines.push(itemStatus.detail);
  return lines.join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** The derivations a Build on `node` builds: a crate's all (or only its dependencies), a folder's missing ones. */
export function buildTargets(node: DerivationNode, scope: 'all' | 'dependencies' = 'all'): DerivationItem[] {
  const items = (n: DerivationNode): ItemNode[] =>
    n.kind === 'item' ? [n] : n.kind === 'group' || n.kind === 'folder' ? n.children.flatMap(items) : [];
  const seen = new Set<string>();
  return items(node)
    .filter((n) => node.kind === 'item' || n.status !== 'local')
    .filter((n) => scope === 'all' || n.item.kind === 'dependencies')
    .filter((n) => !seen.has(n.item.drvPath) && seen.add(n.item.drvPath))
    .map((n) => n.item);
}
