// The little git a flake needs: nix only sees files that are in the git index.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureSuccess, ProcessError, runProcess, type ProcessResult } from './process';

// Our callers name the repository by directory. These variables (set inside git hooks, or by
// people who keep a bare dotfiles repository) would silently point git somewhere else.
const REDIRECTING_GIT_ENV = {
  GIT_DIR: undefined,
  GIT_WORK_TREE: undefined,
  GIT_INDEX_FILE: undefined,
  GIT_COMMON_DIR: undefined,
  GIT_OBJECT_DIRECTORY: undefined,
};

function git(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<ProcessResult> {
  // Literal pathspecs: a file called `[id].nix` must not be matched as a glob.
  return runProcess('git', ['--literal-pathspecs', ...args], {
    cwd,
    env: REDIRECTING_GIT_ENV,
    ...(signal && { signal }),
  });
}

/** Whether `dir` is inside a git work tree; false for a directory that does not exist. */
export async function isInsideGitWorkTree(dir: string, signal?: AbortSignal): Promise<boolean> {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return false;
  const result = await git(dir, ['rev-parse', '--is-inside-work-tree'], signal);
  if (result.cancelled) throw new ProcessError(result);
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

/**
 * The nearest directory at or above `dir` holding a `.git` (a directory, or a file for worktrees
 * and submodules): the repository Nix copies when it evaluates a flake in `dir`. Runs no process.
 */
export function findGitRoot(dir: string): string | null {
  for (let root = path.resolve(dir); ; root = path.dirname(root)) {
    if (fs.existsSync(path.join(root, '.git'))) return root;
    if (path.dirname(root) === root) return null;
  }
}

export interface TrackedStatus {
  /** The given paths that are in the index (committed or staged); a directory counts when any file below it is. */
  tracked: string[];
  untracked: string[];
}

/**
 * Splits `relPaths` (relative to `root`, which must be inside a work tree) into tracked and
 * untracked, in one `git ls-files` call. Each path is returned as given.
 */
export async function gitTrackedStatus(
  root: string,
  relPaths: readonly string[],
  signal?: AbortSignal,
): Promise<TrackedStatus> {
  // Without pathspecs ls-files would list every file of the repository.
  if (relPaths.length === 0) return { tracked: [], untracked: [] };
  const result = ensureSuccess(await git(root, ['ls-files', '-z', '--', ...relPaths.map(gitPath)], signal));
  const known = new Set<string>();
  for (const file of result.stdout.split('\0')) {
    // Every ancestor directory of a listed file counts as tracked too.
    for (let p = file; p !== '' && p !== '.' && !known.has(p); p = path.posix.dirname(p)) known.add(p);
  }
  const status: TrackedStatus = { tracked: [], untracked: [] };
  for (const p of relPaths) (known.has(gitPath(p)) ? status.tracked : status.untracked).push(p);
  return status;
}

/** `git add -- relPaths` in `root`; throws `ProcessError` when git refuses (e.g. an ignored file). */
export async function gitAdd(root: string, relPaths: readonly string[], signal?: AbortSignal): Promise<void> {
  if (relPaths.length === 0) return;
  ensureSuccess(await git(root, ['add', '--', ...relPaths.map(gitPath)], signal));
}

/** The path as git prints it: forward slashes, no `./`, no trailing slash. */
function gitPath(relPath: string): string {
  if (path.isAbsolute(relPath)) throw new Error(`Expected a path relative to the repository: ${relPath}`);
  return path.posix.normalize(relPath.split(path.sep).join('/')).replace(/\/$/, '');
}
