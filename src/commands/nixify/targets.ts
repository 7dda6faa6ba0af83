// Which Cargo projects the command works on, from what the folder models detected: a folder's
// every project in one flake at its root, or the one workspace a path names. No `vscode` here, so
// it is unit-tested in plain Node.
import * as path from 'node:path';
import type { Problem, Workspace } from '../../core/cargo';
import { defaultProjectChoice } from '../../core/flake/projects';
import { allProblems, isCargoWorkspace } from '../../describe';
import type { FolderInput } from '../../views/crateTreeModel';

/** One flake to write: where it goes and the Cargo projects it may build. */
export interface Target {
  folder: FolderInput;
  /** Where flake.nix goes. */
  root: string;
  /** Projects without errors, in the folder's order: the flake builds these (or a choice of them). */
  projects: Workspace[];
  /** The projects built unless the user changes it: not test data, locked when others are. */
  preselected: Workspace[];
  /** Projects whose manifests have errors: never built, named to the user. */
  broken: Workspace[];
}

/** `target` with its projects split as the command needs them. */
function targetOf(folder: FolderInput, root: string, workspaces: readonly Workspace[]): Target {
  const cargo = workspaces.filter(isCargoWorkspace);
  const hasErrors = (ws: Workspace) => ws.problems.some((p) => p.severity === 'error');
  const projects = cargo.filter((ws) => !hasErrors(ws));
  return {
    folder,
    root,
    projects,
    preselected: defaultProjectChoice(root, projects).chosen,
    broken: cargo.filter(hasErrors),
  };
}

/** One target per folder with a Cargo project, in workspace order: the whole folder, one flake. */
export function candidates(folders: readonly FolderInput[]): Target[] {
  return folders
    .map((folder) => {
      const workspaces = folder.result?.workspaces ?? [];
      // A folder opened inside its one workspace (a member's directory): the flake goes at the root.
      const [only] = workspaces;
      const enclosing =
        workspaces.length === 1 && only && !isInsideDir(only.root, folder.path) ? only.root : undefined;
      return targetOf(folder, enclosing ?? folder.path, workspaces);
    })
    .filter((t) => t.projects.length + t.broken.length > 0);
}

/**
 * The errors that may be why no folder has a Cargo workspace (say, a root Cargo.toml that does not
 * parse), in workspace order and each once: what "Nixify Workspace" names instead of "none found".
 */
export function blockingProblems(folders: readonly FolderInput[]): Problem[] {
  const seen = new Set<string>();
  return folders.flatMap((folder) =>
    (folder.result ? allProblems(folder.result) : []).filter((problem) => {
      const key = JSON.stringify([problem.file, problem.line, problem.column, problem.message]);
      if (problem.severity !== 'error' || seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}

/**
 * What `target` names: a workspace root below its folder, its Cargo.toml or a member's Cargo.toml
 * names that workspace alone (its flake at its root); the folder itself or any other path inside it
 * names the whole folder. Undefined outside every folder.
 */
export function targetAt(all: readonly Target[], target: string): Target | undefined {
  const p = path.resolve(target);
  for (const t of all) {
    const exact = [...t.projects, ...t.broken].find(
      (ws) => ws.root === p || ws.manifest_path === p || ws.packages.some((pkg) => pkg.manifest_path === p),
    );
    if (exact && exact.root !== t.root) return targetOf(t.folder, exact.root, [exact]);
  }
  // The innermost folder: nested workspace folders list the same workspace twice.
  return all
    .filter((t) => isInsideDir(p, t.root) || isInsideDir(p, t.folder.path))
    .sort((a, b) => b.root.length - a.root.length)[0];
}

function isInsideDir(p: string, dir: string): boolean {
  return p === dir || p.startsWith(`${dir}${path.sep}`);
}
