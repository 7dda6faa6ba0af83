// Which Cargo workspace the command works on, from what the folder models detected. No `vscode`
// here, so it is unit-tested in plain Node.
import * as path from 'node:path';
import type { Problem, Workspace } from '../../core/cargo';
import { allProblems, isCargoWorkspace } from '../../describe';
import type { FolderInput } from '../../views/crateTreeModel';

/** A Cargo workspace to nixify and the workspace folder it was found in. */
export interface Target {
  folder: FolderInput;
  ws: Workspace;
}

/** Every Cargo workspace of every folder, in workspace order. */
export function candidates(folders: readonly FolderInput[]): Target[] {
  return folders.flatMap((folder) =>
    (folder.result?.workspaces ?? []).filter(isCargoWorkspace).map((ws) => ({ folder, ws })),
  );
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
 * The workspaces `target` names: exactly one for a workspace root, its Cargo.toml or a member's
 * Cargo.toml; every workspace of the folder for the folder itself or any other path inside it.
 */
export function targetsAt(all: readonly Target[], target: string): Target[] {
  const p = path.resolve(target);
  const exact = all.find(
    ({ ws }) => ws.root === p || ws.manifest_path === p || ws.packages.some((pkg) => pkg.manifest_path === p),
  );
  if (exact) return [exact];
  const inside = (dir: string) => p === dir || p.startsWith(`${dir}${path.sep}`);
  // The innermost folder: nested workspace folders list the same workspace twice.
  const folder = all
    .map((t) => t.folder)
    .filter((f) => inside(f.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
  return folder ? all.filter((t) => t.folder === folder) : [];
}
