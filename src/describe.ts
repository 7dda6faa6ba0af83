// Plain-text descriptions of the workspace model, shared by the CLI and the Crates view so both
// name things the same way. No `vscode` here: this is unit-tested in plain Node.
import * as path from 'node:path';
import type { CargoPackage, DetectResult, Problem, Workspace } from './core/cargo';

// Test, example, bench and build-script targets say little about what a crate *is*.
const AUXILIARY_KINDS = new Set(['example', 'test', 'bench', 'custom-build']);
const KIND_ORDER = ['bin', 'lib', 'rlib', 'dylib', 'cdylib', 'staticlib', 'proc-macro'];

/** The distinct target kinds of a package that describe it, e.g. `["bin", "lib"]`. */
export function targetKinds(pkg: CargoPackage): string[] {
  const kinds = new Set(pkg.targets.flatMap((target) => target.kind).filter((k) => !AUXILIARY_KINDS.has(k)));
  const rank = (kind: string) => {
    const index = KIND_ORDER.indexOf(kind);
    return index === -1 ? KIND_ORDER.length : index;
  };
  return [...kinds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The package whose manifest is the workspace's root manifest; none for a virtual manifest. */
export function rootPackage(workspace: Workspace): CargoPackage | undefined {
  return workspace.packages.find((pkg) => pkg.manifest_path === workspace.manifest_path);
}

/** The root package's name, or the root directory's name when there is no root package. */
export function workspaceName(workspace: Workspace): string {
  return rootPackage(workspace)?.name ?? path.basename(workspace.root);
}

export function workspaceKind(workspace: Workspace): 'virtual workspace' | 'workspace' | 'package' {
  if (workspace.virtual) {
    return 'virtual workspace';
  }
  return workspace.explicit ? 'workspace' : 'package';
}

/** A workspace worth showing: it has packages, or at least a `[workspace]` manifest. */
export function isCargoWorkspace(workspace: Workspace): boolean {
  return workspace.packages.length > 0 || workspace.explicit || workspace.virtual;
}

/** "1 crate", "3 crates". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** Every problem of a detection: the workspaces' first, then those that belong to none. */
export function allProblems(result: DetectResult): Problem[] {
  return [...result.workspaces.flatMap((workspace) => workspace.problems), ...result.problems];
}

/** `file:line:column`, leaving out the parts that are unknown (0), as compilers do. */
export function problemLocation(problem: Problem, displayFile: string = problem.file): string {
  if (problem.line <= 0) {
    return displayFile;
  }
  if (problem.column <= 0) {
    return `${displayFile}:${problem.line}`;
  }
  return `${displayFile}:${problem.line}:${problem.column}`;
}

/** `file:line:column: severity: message`, the shape terminals and problem matchers link. */
export function formatProblem(problem: Problem, displayFile: string = problem.file): string {
  return `${problemLocation(problem, displayFile)}: ${problem.severity}: ${problem.message}`;
}

/** The problem's start as 0-based line and character, as editors count (unknown parts become 0). */
export function zeroBasedStart(problem: Pick<Problem, 'line' | 'column'>): {
  line: number;
  character: number;
} {
  return { line: Math.max(0, problem.line - 1), character: Math.max(0, problem.column - 1) };
}

/** `target` relative to `base` when it lies inside it (`.` for `base` itself), else unchanged. */
export function displayPath(target: string, base: string): string {
  const relative = path.relative(base, target);
  if (relative === '') {
    return '.';
  }
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return target;
  }
  return relative;
}
