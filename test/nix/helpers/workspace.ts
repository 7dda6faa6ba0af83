// Workspaces for the nix tier: fixtures copied to temp dirs, the TS model of them, the files
// Nixify would write, and what the model says each crate is built from (cargo's rules).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { detectWorkspaces, type CargoPackage, type Workspace } from '../../../src/core/cargo';
import { defaultOptions, planInit, type InitOptions, type InitPlan } from '../../../src/core/flake';
import { FIXTURES, tempDir } from './paths';
import { applyFixtureSetup, type FixtureSetup } from '../../shared/fixtureSetup';

export const NIXIFY_VERSION = '0.1.0';

/** Fixture directories (the flake-inputs link and other non-fixtures are left out). */
export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(FIXTURES, e.name, 'nixify-expect.json')))
    .map((e) => e.name)
    .sort();
}

/** Copies a fixture (or any directory) to a fresh temp dir, with the fixture's `setup` applied. */
export function copyToTemp(source: string, prefix: string): string {
  const root = path.join(tempDir(prefix), path.basename(source));
  fs.cpSync(source, root, { recursive: true, verbatimSymlinks: true });
  const expectFile = path.join(root, 'nixify-expect.json');
  if (fs.existsSync(expectFile)) {
    const setup = (JSON.parse(fs.readFileSync(expectFile, 'utf8')) as { setup?: FixtureSetup }).setup ?? {};
    fs.rmSync(expectFile);
    applyFixtureSetup(root, setup);
  }
  return root;
}

/** The workspaces under `dir` that the model reads without errors. */
export function healthyWorkspaces(dir: string): Workspace[] {
  return detectWorkspaces(dir, { maxDepth: 12 }).workspaces.filter(
    (ws) => !ws.problems.some((p) => p.severity === 'error'),
  );
}

/** The one workspace rooted at `dir`. */
export function workspaceAt(dir: string): Workspace {
  const ws = healthyWorkspaces(dir).find((w) => w.root === fs.realpathSync(dir));
  if (ws === undefined) throw new Error(`no healthy Cargo workspace at ${dir}`);
  return ws;
}

export function options(ws: Workspace, overrides: Partial<InitOptions> = {}): InitOptions {
  return { ...defaultOptions(ws), ...overrides };
}

/** Writes every file of the plan into the workspace root, as "Nixify workspace" would. */
export function writePlan(ws: Workspace, opts: InitOptions): InitPlan {
  const plan = planInit(ws, opts, NIXIFY_VERSION);
  for (const file of plan.files) {
    const target = path.join(ws.root, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  return plan;
}

export function members(ws: Workspace): CargoPackage[] {
  const ids = new Set(ws.workspace_members);
  return ws.packages.filter((p) => ids.has(p.id));
}

/** `{ package name: directory }` from the root manifest's `[patch.<source>]` and `[replace]` paths. */
function patchedPaths(ws: Workspace): Map<string, string> {
  const root = parseToml(fs.readFileSync(ws.manifest_path, 'utf8')) as Record<string, unknown>;
  const tables = [
    ...Object.values((root['patch'] ?? {}) as Record<string, Record<string, unknown>>),
    (root['replace'] ?? {}) as Record<string, unknown>,
  ];
  const result = new Map<string, string>();
  for (const table of tables) {
    for (const [key, spec] of Object.entries(table)) {
      if (typeof spec !== 'object' || spec === null) continue;
      const { path: dir, package: pkg } = spec as { path?: unknown; package?: unknown };
      if (typeof dir !== 'string') continue;
      const name = typeof pkg === 'string' ? pkg : (key.split(':')[0] ?? key);
      result.set(name, path.resolve(ws.root, dir));
    }
  }
  return result;
}

/**
 * What each member is built from, by cargo's rules: the crate, its dev-dependencies, and the normal
 * and build dependencies of those all the way down (a dependency's dev-dependencies are not built);
 * path dependencies of any target, and registry or git dependencies that [patch] points at a path.
 * The model does not read a [patch] target outside the workspace's packages: it counts by name, as
 * a leaf. `{ member name: sorted package names }`.
 */
export function buildClosures(ws: Workspace, others: readonly Workspace[] = []): Map<string, string[]> {
  // Path dependencies outside the workspace are other projects' packages (../shared).
  const byDir = new Map(
    [...others, ws].flatMap((w) => w.packages.map((p) => [path.dirname(p.manifest_path), p] as const)),
  );
  const patched = patchedPaths(ws);
  const pathDeps = (p: CargoPackage, withDev: boolean): (CargoPackage | string)[] =>
    p.dependencies
      .filter((d) => withDev || d.kind !== 'dev')
      .flatMap((d) => {
        if (d.path !== undefined) return byDir.has(d.path) ? [byDir.get(d.path) as CargoPackage] : [];
        const dir = d.source === null ? undefined : patched.get(d.name);
        if (dir === undefined) return [];
        return [byDir.get(dir) ?? d.name];
      });
  const nameOf = (node: CargoPackage | string) => (typeof node === 'string' ? node : node.name);
  const result = new Map<string, string[]>();
  for (const member of members(ws)) {
    const seen = new Set<CargoPackage | string>([member]);
    const stack = pathDeps(member, true).filter((q) => !seen.has(q));
    stack.forEach((q) => seen.add(q));
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (typeof next === 'string') continue;
      for (const q of pathDeps(next, false)) {
        if (!seen.has(q)) {
          seen.add(q);
          stack.push(q);
        }
      }
    }
    result.set(member.name, [...new Set([...seen].map(nameOf))].sort());
  }
  return result;
}

/** The members whose build uses `crate`: it and everything that depends on it, dev included. */
export function rebuiltBy(closures: Map<string, string[]>, crate: string): string[] {
  return [...closures].filter(([, closure]) => closure.includes(crate)).map(([name]) => name);
}
