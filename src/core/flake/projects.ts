import * as path from 'node:path';
import type { Workspace } from '../cargo/types';
import { members } from './options';

// One flake covers every Cargo project under its root: workspaces, separate packages (each with its
// own Cargo.lock) and nested projects. This file names them and their outputs, for the generator
// and for the views that read the flake back, so both agree on every attribute name.

/** The project at the flake's root is called this: its checks keep the names `workspace-clippy`… */
export const ROOT_PROJECT_KEY = 'workspace';

export interface FlakeProject {
  /** Attribute name: `devShells.<key>`, `checks.<key>-clippy`. */
  key: string;
  /** The project's directory relative to the flake root, forward slashes, "" for the root. */
  dir: string;
  workspace: Workspace;
}

/**
 * The projects of a flake rooted at `root`, root first, then by directory. Keys are the directory
 * with `/` turned into `-` (`tools/gen` → `tools-gen`), made unique with a number when two
 * directories give the same key.
 */
export function flakeProjects(root: string, workspaces: readonly Workspace[]): FlakeProject[] {
  const sorted = [...workspaces]
    .map((workspace) => ({ workspace, dir: relativeDir(root, workspace.root) }))
    .sort((a, b) => (a.dir === '' ? -1 : b.dir === '' ? 1 : a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  const used = new Set<string>();
  return sorted.map(({ workspace, dir }) => {
    const base = dir === '' ? ROOT_PROJECT_KEY : projectKeyOf(dir);
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}-${n}`;
    used.add(key);
    return { key, dir, workspace };
  });
}

// Directories whose Cargo projects are a test's data (cargo's own `tests/testsuite`, a formatter's
// fixtures), not something to build: left out of a repository-wide flake unless named.
const TEST_DATA_DIRS = new Set(['tests', 'test', 'testdata', 'test-data', 'fixtures', 'benches']);

/** Why the project in `dir` (relative to the flake root) is not built by default, or null. */
export function testDataReason(dir: string): string | null {
  const part = dir.split('/').find((p) => TEST_DATA_DIRS.has(p));
  return part === undefined
    ? null
    : `under ${part}/, so taken for test data (name its directory to build it)`;
}

/**
 * Which of a repository's projects a flake builds unless told otherwise, and why the others are
 * left out: projects that look like test data, and projects without a Cargo.lock when others have
 * one (every build runs --locked, so such a project would fail the whole `nix flake check`; a
 * repository's unlocked examples are the usual case). `named` is a directory the user named: its
 * project is always built.
 */
export function defaultProjectChoice(
  root: string,
  workspaces: readonly Workspace[],
  named?: string,
): { chosen: Workspace[]; leftOut: { workspace: Workspace; reason: string }[] } {
  const anyLocked = workspaces.some((ws) => ws.lockfile !== null);
  const chosen: Workspace[] = [];
  const leftOut: { workspace: Workspace; reason: string }[] = [];
  for (const workspace of workspaces) {
    const dir = relativeDir(root, workspace.root);
    const reason =
      workspace.root === named
        ? null
        : (testDataReason(dir) ??
          (anyLocked && workspace.lockfile === null
            ? 'no Cargo.lock (run `cargo generate-lockfile` there, then Nixify again, to add it)'
            : null));
    if (reason === null) chosen.push(workspace);
    else leftOut.push({ workspace, reason });
  }
  return { chosen, leftOut };
}

/** `dir` relative to `root` with forward slashes; "" for the root itself. */
export function relativeDir(root: string, dir: string): string {
  return path.relative(root, dir).split(path.sep).join('/');
}

function projectKeyOf(dir: string): string {
  const key = dir
    .replace(/\//g, '-')
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .replace(/^[^A-Za-z_]/, (c) => `_${c}`);
  return key === ROOT_PROJECT_KEY ? `${key}-dir` : key;
}

/**
 * The flake attribute of each project's crates (`packages.<name>`, `checks.<name>`): the crate's
 * name, or `<project>-<crate>` when crates of several projects share the name. The flake computes
 * the same at evaluation time (`crateOutputs` in flake.nix).
 */
export function crateOutputNames(projects: readonly FlakeProject[]): Map<string, Map<string, string>> {
  const count = new Map<string, number>();
  const namesOf = (p: FlakeProject) => [...new Set(members(p.workspace).map((pkg) => pkg.name))];
  for (const project of projects) {
    for (const name of namesOf(project)) count.set(name, (count.get(name) ?? 0) + 1);
  }
  return new Map(
    projects.map((project) => [
      project.key,
      new Map(
        namesOf(project).map((name) => [name, (count.get(name) ?? 0) > 1 ? `${project.key}-${name}` : name]),
      ),
    ]),
  );
}

/** The crate names several projects share (their outputs carry the project's key). */
export function sharedCrateNames(projects: readonly FlakeProject[]): string[] {
  const names = crateOutputNames(projects);
  return [
    ...new Set(
      [...names.values()].flatMap((byCrate) =>
        [...byCrate.entries()].filter(([crate, output]) => crate !== output).map(([crate]) => crate),
      ),
    ),
  ].sort();
}

/** The project whose dev shell and package are the flake's defaults: the root one, else the first. */
export function primaryProject<T extends { dir: string }>(projects: readonly T[]): T | undefined {
  return projects.find((p) => p.dir === '') ?? projects[0];
}

/** Workspace-wide check names of a project: `<key>-clippy`, `<key>-fmt`, `<key>-test`, `<key>-doc`. */
export const PROJECT_CHECKS = ['clippy', 'fmt', 'test', 'doc'] as const;

export function projectCheckName(project: { key: string }, check: string): string {
  return `${project.key}-${check}`;
}

/**
 * The projects a Nixify flake lists (`<key> = mkProject { dir = "<dir>"; … }`), in its order; null
 * when the text lists none (not a multi-project Nixify flake, or hand-written).
 */
export function projectsInFlakeText(text: string): { key: string; dir: string }[] | null {
  const found = [
    ...text.matchAll(/^\s*([A-Za-z_][\w'-]*)\s*=\s*mkProject\s*\{\s*dir\s*=\s*"([^"]*)"\s*;/gm),
  ].map((m) => ({ key: m[1] ?? '', dir: m[2] ?? '' }));
  return found.length === 0 ? null : found;
}

/**
 * The projects the flake at `root` builds: the ones its text lists when it lists them (keys as
 * written there), else every workspace at or below `root` that a repository-wide flake would take
 * (test data left out).
 */
export function projectsOfFlake(
  root: string,
  workspaces: readonly Workspace[],
  flakeText: string | null,
): FlakeProject[] {
  const listed = flakeText === null ? null : projectsInFlakeText(flakeText);
  const below = workspaces.filter((ws) => {
    const dir = relativeDir(root, ws.root);
    return dir === '' || (!dir.startsWith('..') && !path.isAbsolute(dir));
  });
  if (listed === null) {
    return flakeProjects(
      root,
      below.filter((ws) => testDataReason(relativeDir(root, ws.root)) === null),
    );
  }
  const keyOf = new Map(listed.map((p) => [p.dir, p.key]));
  return flakeProjects(
    root,
    below.filter((ws) => keyOf.has(relativeDir(root, ws.root))),
  ).map((p) => ({ ...p, key: keyOf.get(p.dir) ?? p.key }));
}
