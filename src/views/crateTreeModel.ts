// The Crates view as plain data: which nodes exist, their labels and what clicking does.
// `crateTree.ts` only turns these nodes into TreeItems, so everything worth testing lives here
// and is tested in plain Node (no `vscode` import allowed in this file).
import * as path from 'node:path';
import type { CargoPackage, DetectResult, Problem, Workspace } from '../core/cargo';
import { projectsInFlakeText, projectsOfFlake, relativeDir } from '../core/flake/projects';
import {
  countOf,
  displayPath,
  formatProblem,
  problemLocation,
  targetKinds,
  workspaceKind,
  workspaceName,
} from '../describe';

/** One workspace folder as the view sees it; `result` is undefined until its first detection. */
export interface FolderInput {
  name: string;
  path: string;
  result: DetectResult | undefined;
  /** Whether the folder has a flake.nix at its root; unknown counts as having one. */
  hasFlake?: boolean;
  /** The folder's flake.nix: a multi-project Nixify flake names each project's attributes. */
  flakeText?: string | null;
}

export interface FolderNode {
  kind: 'folder';
  id: string;
  label: string;
  description: string;
  path: string;
  children: CrateTreeNode[];
}

export interface WorkspaceNode {
  kind: 'workspace';
  id: string;
  label: string;
  description: string;
  tooltip: string;
  manifestPath: string;
  /** Its key in the folder's multi-project flake (`devShells.<key>`), else null. */
  flakeKey: string | null;
  children: CrateTreeNode[];
}

export type CrateIcon = 'package' | 'library' | 'wasm';

export interface CrateNode {
  kind: 'crate';
  id: string;
  label: string;
  description: string;
  tooltip: string;
  manifestPath: string;
  icon: CrateIcon;
}

export interface ProblemNode {
  kind: 'problem';
  id: string;
  label: string;
  description: string;
  tooltip: string;
  severity: Problem['severity'];
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  column: number;
}

export type CrateTreeNode = FolderNode | WorkspaceNode | CrateNode | ProblemNode;

/**
 * The line shown above the tree when a folder with a Cargo workspace has no flake.nix yet. (A
 * `viewsWelcome` entry would never show: welcome content replaces an empty view, and this view
 * lists the crates.)
 */
export function crateTreeMessage(folders: readonly FolderInput[]): string | undefined {
  const without = folders.filter(
    (f) => f.hasFlake === false && f.result !== undefined && f.result.workspaces.length > 0,
  );
  if (without.length === 0) {
    return undefined;
  }
  const where = folders.length > 1 ? ` in ${without.map((f) => f.name).join(', ')}` : '';
  return `No flake.nix yet${where}. "Nixify Workspace" (the button above) writes one, showing every file first.`;
}

/**
 * The roots of the view. With one workspace folder they are that folder's Cargo workspaces (and
 * its stray problems); with several, one node per folder so it is clear which crate lives where.
 */
export function buildCrateTree(folders: readonly FolderInput[]): CrateTreeNode[] {
  const [only] = folders;
  if (folders.length === 1 && only) {
    return folderChildren(only);
  }
  return folders.map(folderNode);
}

function folderNode(folder: FolderInput): FolderNode {
  return {
    kind: 'folder',
    id: `folder:${folder.path}`,
    label: folder.name,
    description: folderDescription(folder.result),
    path: folder.path,
    children: folderChildren(folder),
  };
}

function folderDescription(result: DetectResult | undefined): string {
  if (!result) {
    return 'detecting…';
  }
  if (result.workspaces.length === 0) {
    return 'no Cargo.toml';
  }
  return countOf(result.workspaces.length, 'workspace');
}

function folderChildren(folder: FolderInput): CrateTreeNode[] {
  if (!folder.result) {
    return [];
  }
  // Ids carry the folder path because nested workspace folders can show the same workspace twice.
  const idPrefix = `${folder.path}#`;
  const keys = flakeKeys(folder);
  return [
    ...folder.result.workspaces.map((workspace) => workspaceNode(workspace, folder.path, idPrefix, keys)),
    ...folder.result.problems.map((problem, index) =>
      problemNode(problem, folder.path, `${idPrefix}problem:${index}`),
    ),
  ];
}

/**
 * Workspace root → its key in the folder's flake, when the flake has several projects (a Nixify
 * flake listing them, or any flake over several projects); null for a project the flake leaves
 * out. Undefined when the flake does not name projects.
 */
function flakeKeys(folder: FolderInput): Map<string, string | null> | undefined {
  const workspaces = folder.result?.workspaces ?? [];
  const listed = folder.flakeText ? projectsInFlakeText(folder.flakeText) : null;
  const multi = listed !== null ? listed.length > 1 : folder.hasFlake === true && workspaces.length > 1;
  if (!multi) return undefined;
  const keys = new Map<string, string | null>(workspaces.map((ws) => [ws.root, null]));
  for (const project of projectsOfFlake(folder.path, workspaces, folder.flakeText ?? null)) {
    keys.set(project.workspace.root, project.key);
  }
  return keys;
}

function workspaceNode(
  workspace: Workspace,
  folderPath: string,
  idPrefix: string,
  keys: Map<string, string | null> | undefined,
): WorkspaceNode {
  const id = `${idPrefix}workspace:${workspace.manifest_path}`;
  const crates = countOf(workspace.packages.length, 'crate');
  const key = keys?.get(workspace.root) ?? null;
  const inFlake = keys === undefined ? [] : key === null ? ['not in flake.nix'] : [`devShells.${key}`];
  const dir = relativeDir(folderPath, workspace.root);
  const flakeLine =
    key === null ? [] : [`In flake.nix as ${key}: devShells.${key}, checks.${key}-clippy, -fmt, -test, -doc`];
  return {
    kind: 'workspace',
    id,
    label: workspaceName(workspace),
    description: [workspace.virtual ? `virtual · ${crates}` : crates, ...inFlake].join(' · '),
    tooltip: [
      `${workspaceKind(workspace)}${keys !== undefined && dir !== '' ? ` in ${dir}/` : ''}`,
      workspace.manifest_path,
      ...flakeLine,
    ].join('\n'),
    manifestPath: workspace.manifest_path,
    flakeKey: key,
    children: [
      ...workspace.packages.map((pkg) => crateNode(pkg, `${id}/crate:${pkg.manifest_path}`)),
      ...workspace.problems.map((problem, index) =>
        problemNode(problem, folderPath, `${id}/problem:${index}`),
      ),
    ],
  };
}

function crateNode(pkg: CargoPackage, id: string): CrateNode {
  const kinds = targetKinds(pkg);
  const wasm = pkg.nixify.wasm;
  const leptos = pkg.nixify.leptos;
  const description = [
    pkg.version,
    kinds.length > 0 ? kinds.join(', ') : undefined,
    wasm ? 'wasm' : undefined,
    leptos ? 'Leptos' : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
  const tooltip = [pkg.manifest_path];
  if (pkg.nixify.path_dependencies.length > 0) {
    tooltip.push(`Path dependencies: ${pkg.nixify.path_dependencies.join(', ')}`);
  }
  if (wasm) {
    tooltip.push(`Builds for ${wasm.target}: ${wasm.reasons.join('; ')}`);
  }
  for (const site of leptos?.sites ?? []) {
    const parts = [
      ...(site.bin_package === pkg.name ? ['its server'] : []),
      ...(site.lib_package === pkg.name ? ['its front, built for wasm32'] : []),
    ];
    tooltip.push(`Leptos site ${site.output_name}: ${parts.join(' and ')}`);
  }
  return {
    kind: 'crate',
    id,
    label: pkg.name,
    description,
    tooltip: tooltip.join('\n'),
    manifestPath: pkg.manifest_path,
    icon: crateIcon(pkg, kinds),
  };
}

function crateIcon(pkg: CargoPackage, kinds: readonly string[]): CrateIcon {
  if (pkg.nixify.wasm || pkg.nixify.leptos?.front) {
    return 'wasm';
  }
  return kinds.includes('bin') ? 'package' : 'library';
}

function problemNode(problem: Problem, folderPath: string, id: string): ProblemNode {
  const file = displayPath(problem.file, folderPath);
  return {
    kind: 'problem',
    id,
    // Tree labels are one line; a multi-line message keeps its first line there and the rest in the tooltip.
    label: problem.message.split('\n', 1)[0] ?? problem.message,
    description: problemLocation(problem, file === '.' ? path.basename(problem.file) : file),
    tooltip: formatProblem(problem, file),
    severity: problem.severity,
    file: problem.file,
    line: problem.line,
    column: problem.column,
  };
}
