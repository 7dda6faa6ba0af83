// The Derivations view as plain data: one root per folder with a flake, a node per crate holding
// its package, dependency artifacts, wasm build and checks, "Workspace" and "Other outputs", each
// derivation with its status, icon, colour, tooltip and menu key. `derivationTree.ts` only turns
// these nodes into TreeItems, so everything worth testing lives here (no `vscode` import).
import type { DetectResult } from '../core/cargo';
import {
  allItems,
  countStatuses,
  formatSummary,
  type CrateRef,
  type DerivationGroups,
  type DerivationItem,
  type DerivationStatus,
  type ItemStatus,
  type StatusCounts,
} from '../core/derivations';
import { errorLocation, firstErrorLine } from '../core/nix/evalError';

/** What a derivation shows: its cache status, or what Nixify is doing with it. */
export type NodeStatus = DerivationStatus | 'evaluating' | 'building' | 'failed';

/** One folder as the view sees it; the controller keeps it up to date. */
export interface DerivationFolderInput {
  name: string;
  path: string;
  /** Crate name → its Cargo.toml. */
  manifests: Readonly<Record<string, string>>;
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
  group: 'crate' | 'workspace' | 'other';
  /** The crate's name, for crate groups. */
  crate: string | null;
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

/** The crates of a folder's Cargo workspaces (members only), with their manifests. */
export function cratesOfModel(result: DetectResult | undefined): {
  crates: CrateRef[];
  manifests: Record<string, string>;
} {
  const crates = new Map<string, CrateRef>();
  const manifests: Record<string, string> = {};
  for (const ws of result?.workspaces ?? []) {
    for (const p of ws.packages) {
      if (!ws.workspace_members.includes(p.id) || crates.has(p.name)) continue;
      crates.set(p.name, { name: p.name, wasm: p.nixify.wasm !== null });
      manifests[p.name] = p.manifest_path;
    }
  }
  return { crates: [...crates.values()], manifests };
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
  const summary = formatSummary(total);
  return folders.some((f) => f.evaluating) ? `${summary} (checking…)` : summary;
}

function folderCounts(folder: DerivationFolderInput): StatusCounts {
  const statuses = allItems(folder.groups ?? emptyGroups()).flatMap((i) => {
    const s = folder.statuses?.get(i.drvPath);
    return s ? [s] : [];
  });
  return countStatuses(statuses);
}

function emptyGroups(): DerivationGroups {
  return { system: '', crates: [], workspace: [], other: [], failed: [] };
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
    for (const g of groups.crates) {
      const manifest = folder.manifests[g.crate] ?? null;
      const wasm = g.items.some((i) => i.kind === 'wasm');
      children.push(
        groupNode(folder, 'crate', g.crate, g.crate, g.items, manifest, wasm ? 'globe' : 'package'),
      );
    }
    if (groups.workspace.length > 0) {
      children.push(
        groupNode(folder, 'workspace', null, 'Workspace', groups.workspace, null, 'folder-library'),
      );
    }
    if (groups.other.length > 0) {
      children.push(groupNode(folder, 'other', null, 'Other outputs', groups.other, null, 'symbol-misc'));
    }
  }
  const description =
    groups !== null && folder.statuses !== null
      ? formatSummary(folderCounts(folder))
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

function groupNode(
  folder: DerivationFolderInput,
  group: GroupNode['group'],
  crate: string | null,
  label: string,
  items: readonly DerivationItem[],
  manifestPath: string | null,
  icon: string,
): GroupNode {
  const id = `derivations:${folder.path}:${group}:${crate ?? ''}`;
  const statuses = items.map((i) => nodeStatus(folder, i.drvPath));
  const counts = new Map<NodeStatus, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  const order: NodeStatus[] = ['failed', 'building', 'build', 'unknown', 'cached', 'local', 'evaluating'];
  const description =
    items.length === 0
      ? 'no derivations'
      : order
          .filter((s) => counts.has(s))
          .map((s) => `${counts.get(s)} ${STATUS_TEXT[s]}`)
          .join(' · ');
  return {
    kind: 'group',
    group,
    crate,
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
  return {
    kind: 'item',
    id: `${parentId}:${item.drvPath}`,
    label: item.label,
    description: `${STATUS_TEXT[status]}${size} · ${item.name}`,
    tooltip: itemTooltip(item, status, itemStatus),
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
