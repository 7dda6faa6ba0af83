// Human output of `nixify detect`. Pure: takes the model and the directory paths are shown
// relative to, returns text.
import * as path from 'node:path';
import { firstLocatedError } from '../core/nix/evalError';
import type { CargoPackage, DetectResult, Problem, Workspace } from '../core/cargo';
import {
  allProblems,
  countOf,
  displayPath,
  formatProblem,
  targetKinds,
  workspaceKind,
  workspaceName,
} from '../describe';

const NONE = '-';

/** The whole report; `cwd` is where relative paths start, like a compiler's output. */
export function formatDetectResult(result: DetectResult, cwd: string): string {
  const sections = result.workspaces.map((workspace) => formatWorkspace(workspace, cwd));
  if (result.problems.length > 0) {
    sections.push(
      result.problems.map((problem) => formatProblem(problem, displayPath(problem.file, cwd))).join('\n'),
    );
  }
  sections.push(formatSummary(result, cwd));
  return `${sections.join('\n\n')}\n`;
}

/** `demo (virtual workspace) crates/demo · Cargo.lock v3 · rust-toolchain.toml 1.80.0` + crates + problems. */
export function formatWorkspace(workspace: Workspace, cwd: string): string {
  const lines = [workspaceHeader(workspace, cwd)];
  if (workspace.packages.length > 0) {
    lines.push(...indent(formatCrateTable(workspace.packages)));
  }
  const systemLibraries = formatSystemLibraries(workspace);
  if (systemLibraries) lines.push(...indent([systemLibraries]));
  lines.push(
    ...indent(workspace.problems.map((problem) => formatProblem(problem, displayPath(problem.file, cwd)))),
  );
  return lines.join('\n');
}

export function workspaceHeader(workspace: Workspace, cwd: string): string {
  const parts = [
    `${workspaceName(workspace)} (${workspaceKind(workspace)}) ${displayPath(workspace.root, cwd)}`,
  ];
  if (workspace.lockfile) {
    parts.push(`${path.basename(workspace.lockfile.path)} v${workspace.lockfile.version}`);
  }
  if (workspace.toolchain) {
    const channel = workspace.toolchain.channel ? ` ${workspace.toolchain.channel}` : '';
    parts.push(`${path.basename(workspace.toolchain.path)}${channel}`);
  }
  return parts.join(' · ');
}

export function formatCrateTable(packages: readonly CargoPackage[]): string[] {
  return formatTable(
    ['CRATE', 'VERSION', 'KINDS', 'WASM', 'PATH DEPS'],
    packages.map((pkg) => [
      pkg.name,
      pkg.version,
      joinedOrNone(targetKinds(pkg)),
      pkg.nixify.wasm?.target ?? NONE,
      joinedOrNone(pkg.nixify.path_dependencies),
    ]),
  );
}

/** `system libraries: openssl, pkg-config (openssl-sys)` — what a flake must provide. */
export function formatSystemLibraries(workspace: Workspace): string | null {
  if (workspace.system_libraries.length === 0) return null;
  const entries = workspace.system_libraries.map(
    (lib) => `${[...lib.buildInputs, ...lib.nativeBuildInputs].join(', ')} (${lib.crate})`,
  );
  return `system libraries: ${entries.join('; ')}`;
}

/** Left-aligned columns two spaces apart, without trailing spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  return [headers, ...rows].map((row) =>
    widths
      .map((width, column) => (row[column] ?? '').padEnd(width))
      .join('  ')
      .trimEnd(),
  );
}

export function formatSummary(result: DetectResult, cwd: string): string {
  if (result.workspaces.length === 0) {
    const errors = result.problems.filter((problem) => problem.severity === 'error').length;
    return errors === 0
      ? `No Cargo.toml found in ${displayPath(result.root, cwd)}.`
      : `No Cargo workspace in ${displayPath(result.root, cwd)} can be loaded: ${countOf(errors, 'error')} above.`;
  }
  const crates = result.workspaces.reduce((count, workspace) => count + workspace.packages.length, 0);
  const problems = allProblems(result);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const parts = [countOf(result.workspaces.length, 'workspace'), countOf(crates, 'crate')];
  if (problems.length > 0) {
    parts.push(`${countOf(errors, 'error')}, ${countOf(problems.length - errors, 'warning')}`);
  }
  return parts.join(', ');
}

function joinedOrNone(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : NONE;
}

// Problem messages can span lines (cargo's do); every line moves in, so the block stays readable.
function indent(lines: readonly string[]): string[] {
  return lines.flatMap((line) => line.split('\n')).map((line) => `  ${line}`);
}

/** Problems for an error message: `file:line:column: error: message`, every line indented. */
export function formatProblemBlock(problems: readonly Problem[], cwd: string): string {
  return indent(problems.map((problem) => formatProblem(problem, displayPath(problem.file, cwd)))).join('\n');
}

/**
 * `DIR/flake.nix:12:7: error: …` and a newline, for the first error Nix located in a file of
 * `folder` (Nix names the copy it evaluated in the store, which is not the file to open); "" when it
 * located none. `fallbackFile` is the file errors at the flake's top belong to.
 */
export function locatedNixError(stderr: string, folder: string, fallbackFile: string, cwd: string): string {
  const at = firstLocatedError(stderr, folder, { fallbackFile });
  if (at === null) return '';
  return `${path.relative(cwd, at.file) || at.file}:${at.line}:${at.column}: error: ${at.message}\n`;
}
