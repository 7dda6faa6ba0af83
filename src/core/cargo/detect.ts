import * as fs from 'node:fs';
import * as path from 'node:path';
import { findBuildTarget } from './cargoConfig';
import { findDependencyCycles } from './cycles';
import { compareBytes, FsCache } from './fsCache';
import { parseLockfile } from './lockfile';
import { fileProblem } from './problems';
import { ManifestStore } from './manifestStore';
import { systemLibrariesFor } from './systemLibraries';
import { findToolchainFile } from './toolchain';
import type { CargoPackage, DetectOptions, DetectResult, Lockfile, Problem, Workspace } from './types';
import { findManifests } from './walk';
import { leptosPackage, leptosSites } from './leptos';
import { detectWasm } from './wasm';
import { isInside, WorkspaceResolver, type ResolvedWorkspace } from './workspace';

/**
 * Every Cargo workspace under `dir`, computed from the files alone (users of Nix often have no
 * cargo outside the dev shell). Synchronous on purpose: a thousand small reads finish faster
 * without a promise per file. Never throws: whatever goes wrong becomes a Problem.
 */
export function detectWorkspaces(dir: string, options: DetectOptions = {}): DetectResult {
  const result: DetectResult = { root: path.resolve(dir), workspaces: [], problems: [] };
  try {
    result.root = fs.realpathSync(dir);
    if (!fs.statSync(result.root).isDirectory()) throw new Error(`${result.root} is not a directory`);
  } catch (error) {
    result.problems.push(fileProblem(result.root, `cannot read directory: ${messageOf(error)}`));
    return result;
  }
  try {
    detectInto(result, options);
  } catch (error) {
    // A bug in the model must not take the editor down with it; say so plainly instead.
    result.problems.push(
      fileProblem(result.root, `internal error while reading Cargo manifests: ${messageOf(error)}`),
    );
  }
  return result;
}

/**
 * The errors of manifests at `dir` or above it that do not parse: cargo loads no crate at or below
 * them, so no command should act on `dir` (or suggest a workspace below it) until they are fixed.
 */
export function brokenManifestsAbove(result: DetectResult, dir: string): Problem[] {
  return result.problems.filter(
    (p) =>
      p.severity === 'error' &&
      path.basename(p.file) === 'Cargo.toml' &&
      isInside(path.resolve(dir), path.dirname(p.file)),
  );
}

function detectInto(result: DetectResult, options: DetectOptions): void {
  const fsCache = new FsCache();
  const store = new ManifestStore(fsCache);
  const resolver = new WorkspaceResolver(store);
  const manifests = findManifests(result.root, fsCache, options);

  const roots = new Set<string>();
  // Manifests whose workspace root exists but does not parse: cargo refuses them with the root's
  // error, so they are not listed as workspaces of their own; the root's problem names them.
  const blocked = new Map<string, string[]>();
  for (const manifest of manifests) {
    const root = resolver.findRoot(manifest);
    if (!root) continue;
    if (store.load(root).manifest || !store.exists(root)) roots.add(root);
    else if (root !== manifest) blocked.set(root, [...(blocked.get(root) ?? []), manifest]);
  }
  const blockedManifests = new Set([...blocked.values()].flat());
  const claimed = new Set<string>();
  const reported = new Set<string>();
  for (const rootManifest of [...roots].sort(compareBytes)) {
    const resolved = resolver.resolve(rootManifest);
    resolved.members.forEach((m) => claimed.add(m));
    claimed.add(rootManifest);
    const workspace = buildWorkspace(resolved, resolver, store, true);
    workspace.problems.forEach((p) => reported.add(p.file));
    result.workspaces.push(workspace);
  }

  for (const manifest of manifests) {
    if (claimed.has(manifest)) continue;
    const loaded = store.load(manifest);
    const root = resolver.findRoot(manifest);
    if (!loaded.manifest) {
      if (loaded.problem && !reported.has(manifest))
        result.problems.push(withBlocked(loaded.problem, blocked.get(manifest) ?? []));
      continue;
    }
    if (blockedManifests.has(manifest)) continue;
    if (!resolver.package(manifest).pkg) continue; // e.g. a `[workspace]` that excludes itself
    const lone: ResolvedWorkspace = {
      rootManifest: manifest,
      virtual: false,
      members: [manifest],
      defaultMembers: [manifest],
      problems: [],
    };
    if (root && !store.load(root).problem) {
      const relative = path.relative(path.dirname(root), path.dirname(manifest));
      lone.problems.push({
        file: manifest,
        line: 1,
        column: 1,
        severity: 'error',
        message:
          `current package believes it's in a workspace when it's not:\ncurrent:   ${manifest}\nworkspace: ${root}\n\n` +
          `this may be fixable by adding \`${relative}\` to the \`workspace.members\` array of the manifest located at: ${root}\n` +
          "Alternatively, to keep it out of the workspace, add the package to the `workspace.exclude` array, or add an empty `[workspace]` table to the package's manifest.",
      });
    }
    result.workspaces.push(buildWorkspace(lone, resolver, store, false));
  }
  // A root above the searched folder (`detect app/` under a broken root) was not walked: report it here.
  const walked = new Set(manifests);
  for (const [root, below] of blocked) {
    const problem = store.load(root).problem;
    if (!walked.has(root) && problem) result.problems.push(withBlocked(problem, below));
  }
  result.workspaces.sort((a, b) => compareBytes(a.manifest_path, b.manifest_path));
}

/** The problem of a manifest that does not parse, naming the manifests below it that it blocks. */
function withBlocked(problem: Problem, below: string[]): Problem {
  if (below.length === 0) return problem;
  const dir = path.dirname(problem.file);
  const names = below.map((manifest) => path.relative(dir, manifest)).join(', ');
  return {
    ...problem,
    message: `${problem.message}\nit is the workspace root of ${names}: cargo cannot load ${below.length === 1 ? 'it' : 'them'} until it parses`,
  };
}

function buildWorkspace(
  resolved: ResolvedWorkspace,
  resolver: WorkspaceResolver,
  store: ManifestStore,
  explicit: boolean,
): Workspace {
  const fsCache = store.fsCache;
  const rootDir = path.dirname(resolved.rootManifest);
  const problems: Problem[] = [...resolved.problems];
  const packages: CargoPackage[] = [];
  for (const member of resolved.members) {
    const { pkg, problems: packageProblems } = resolver.package(member);
    problems.push(...packageProblems);
    if (pkg) packages.push(pkg);
  }
  const rootLoaded = store.load(resolved.rootManifest);
  if (resolved.virtual && rootLoaded.problem && rootLoaded.manifest) problems.push(rootLoaded.problem);

  const lockfile = readLockfile(path.join(rootDir, 'Cargo.lock'), store, problems);
  const toolchain = findToolchainFile(rootDir, fsCache);
  problems.push(...toolchain.problems);

  const memberDirs = new Map(packages.map((p) => [path.dirname(p.manifest_path), p.name]));
  const sites = leptosSites(rootDir, rootLoaded.manifest, packages);
  for (const pkg of packages) {
    const deps = pkg.dependencies
      .map((d) => (d.path !== undefined ? memberDirs.get(d.path) : undefined))
      .filter((name): name is string => name !== undefined && name !== pkg.name);
    pkg.nixify.path_dependencies = [...new Set(deps)];
    pkg.nixify.leptos = leptosPackage(pkg, sites);
    // A site's crates are built as the site (nix/leptos.nix), not as wasm crates.
    pkg.nixify.wasm =
      pkg.nixify.leptos === null
        ? detectWasm(pkg, {
            fsCache,
            buildTarget: findBuildTarget(path.dirname(pkg.manifest_path), fsCache),
            lockfile,
          })
        : null;
  }

  problems.push(...findDependencyCycles(packages, (manifest) => store.load(manifest).text));

  const crateNames = new Set<string>(lockfile?.packages.map((p) => p.name));
  for (const pkg of packages) pkg.dependencies.forEach((d) => crateNames.add(d.name));
  const byManifest = new Map(packages.map((p) => [p.manifest_path, p.id]));
  const ids = (manifests: string[]) =>
    manifests.map((m) => byManifest.get(m)).filter((id): id is string => id !== undefined);

  return {
    root: rootDir,
    manifest_path: resolved.rootManifest,
    virtual: resolved.virtual,
    explicit,
    packages,
    workspace_members: ids(resolved.members),
    workspace_default_members: ids(resolved.defaultMembers),
    lockfile,
    toolchain: toolchain.toolchain,
    system_libraries: systemLibrariesFor(crateNames),
    build_target: findBuildTarget(rootDir, fsCache)?.target ?? null,
    problems: dedupe(problems),
  };
}

function readLockfile(file: string, store: ManifestStore, problems: Problem[]): Lockfile | null {
  if (!store.fsCache.isFile(file)) return null;
  const { lockfile, problem: lockProblem } = parseLockfile(store.fsCache.readText(file) ?? '', file);
  if (lockProblem) problems.push(lockProblem);
  return lockfile;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
