import * as path from 'node:path';
import { expandGlob, hasGlobMagic } from './glob';
import { locateDependency, locateKey, locateString, valueColumn } from './locate';
import { invalidDependencyMessage, isTable } from './toml';
import { under } from './fsCache';
import type { ManifestStore, WorkspaceConfig } from './manifestStore';
import { normalizePackage } from './package';
import { packageNameError } from './packageName';
import { fileProblem, keyProblem } from './problems';
import type { CargoPackage, Problem } from './types';

// Workspace membership exactly as cargo computes it (src/cargo/core/workspace.rs): find_root walks
// up from a manifest, find_members expands `members` and follows path dependencies, then the
// members are validated. Where cargo stops with an error we record a Problem and keep going.

export interface ResolvedWorkspace {
  rootManifest: string;
  virtual: boolean;
  /** Member manifests in cargo's order, only those that loaded. */
  members: string[];
  defaultMembers: string[];
  problems: Problem[];
}

export class WorkspaceResolver {
  private readonly roots = new Map<string, string | null>();
  private readonly packages = new Map<string, { pkg: CargoPackage | null; problems: Problem[] }>();

  constructor(private readonly store: ManifestStore) {}

  /** The root manifest of the workspace `manifestPath` belongs to, or null for a lone package. */
  findRoot(manifestPath: string): string | null {
    let root = this.roots.get(manifestPath);
    if (root === undefined) {
      root = this.computeRoot(manifestPath);
      this.roots.set(manifestPath, root);
    }
    return root;
  }

  /** The normalized package of a manifest (null for a virtual manifest or broken input), cached. */
  package(manifestPath: string): { pkg: CargoPackage | null; problems: Problem[] } {
    let entry = this.packages.get(manifestPath);
    if (!entry) {
      const loaded = this.store.load(manifestPath);
      const problems: Problem[] = loaded.problem ? [loaded.problem] : [];
      let pkg: CargoPackage | null = null;
      if (loaded.manifest) {
        const root = this.findRoot(manifestPath);
        pkg = normalizePackage(
          {
            manifestPath,
            text: loaded.text,
            manifest: loaded.manifest,
            workspace: root ? this.store.inheritance(root) : null,
            fsCache: this.store.fsCache,
          },
          problems,
        );
      }
      entry = { pkg, problems };
      this.packages.set(manifestPath, entry);
    }
    return entry;
  }

  private computeRoot(manifestPath: string): string | null {
    const own = this.store.load(manifestPath);
    const fromOwn = this.wsRoot(manifestPath, this.store.config(own), manifestPath);
    if (fromOwn) return fromOwn;
    for (let dir = path.dirname(path.dirname(manifestPath)); ; dir = path.dirname(dir)) {
      const candidate = under(dir, 'Cargo.toml');
      if (this.store.exists(candidate)) {
        const loaded = this.store.load(candidate);
        // cargo stops at an ancestor it cannot parse: every manifest below it fails with that error,
        // so the broken ancestor is the root (resolve() reports it) — never a lone package.
        if (!loaded.manifest) return candidate;
        const found = this.wsRoot(candidate, this.store.config(loaded), manifestPath);
        if (found) return found;
      }
      if (path.dirname(dir) === dir) return null;
    }
  }

  private wsRoot(selfPath: string, config: WorkspaceConfig, lookFrom: string): string | null {
    if (config.kind === 'root') return isExcluded(config, lookFrom) ? null : selfPath;
    if (config.pointer !== undefined)
      return path.resolve(path.dirname(selfPath), config.pointer, 'Cargo.toml');
    return null;
  }

  resolve(rootManifest: string): ResolvedWorkspace {
    const problems: Problem[] = [];
    const loaded = this.store.load(rootManifest);
    const config = this.store.config(loaded);
    const result: ResolvedWorkspace = {
      rootManifest,
      virtual: false,
      members: [],
      defaultMembers: [],
      problems,
    };
    if (loaded.problem && !loaded.manifest) {
      problems.push(loaded.problem);
      return result;
    }
    if (config.kind !== 'root') {
      problems.push(
        fileProblem(rootManifest, `root of a workspace inferred but wasn't a root: ${rootManifest}`),
      );
      return result;
    }
    result.virtual = !loaded.manifest?.['package'] && !loaded.manifest?.['project'];
    // cargo validates every `[workspace.dependencies]` key when it loads the root, used or not.
    for (const [key, value] of Object.entries(this.store.inheritance(rootManifest)?.dependencies ?? {})) {
      if (typeof value !== 'string' && !isTable(value)) {
        const at = keyProblem(
          { manifestPath: rootManifest, text: loaded.text },
          'workspace.dependencies',
          key,
          invalidDependencyMessage(value),
        );
        problems.push({ ...at, ...valueColumn(loaded.text, at) });
      }
      const nameError = packageNameError(key);
      if (nameError !== undefined)
        problems.push(
          keyProblem(
            { manifestPath: rootManifest, text: loaded.text },
            'workspace.dependencies',
            key,
            nameError,
          ),
        );
    }

    const visited = new Set<string>();
    const members: string[] = [];
    type Origin = { message: () => string; at: () => Omit<Problem, 'message' | 'severity'> };
    // Every caller passes an absolute, normalised manifest path.
    const followPathDeps = (normalized: string, isPathDep: boolean, origin: Origin): void => {
      if (visited.has(normalized)) return;
      const dir = path.dirname(normalized);
      if (isPathDep && !isInside(dir, config.rootDir) && this.findRoot(normalized) !== rootManifest) return;
      if (isExcluded(config, normalized)) return;
      visited.add(normalized);
      if (!this.store.exists(normalized)) {
        problems.push({
          ...origin.at(),
          message: `${origin.message()}\n\nCaused by:\n  failed to read \`${normalized}\`: No such file or directory`,
          severity: 'error',
        });
        return;
      }
      const { pkg, problems: packageProblems } = this.package(normalized);
      const { manifest, text } = this.store.load(normalized);
      if (!manifest) {
        problems.push(
          ...packageProblems.map((p) => ({ ...p, message: `${p.message}\n(${origin.message()})` })),
        );
        return;
      }
      members.push(normalized);
      if (!pkg) return; // virtual manifest (or no [package]); its problems are reported where it is listed
      for (const dep of pkg.dependencies) {
        if (dep.path === undefined) continue;
        followPathDeps(under(dep.path, 'Cargo.toml'), true, {
          message: () => `failed to load manifest for dependency \`${dep.rename ?? dep.name}\``,
          at: () => ({ file: normalized, ...locateDependency(text, dep) }),
        });
      }
    };

    const memberPaths = expandMembers(config, config.members ?? [], this.store);
    const rootText = loaded.text;
    for (const { dir, pattern, glob } of memberPaths) {
      followPathDeps(under(dir, 'Cargo.toml'), false, {
        message: () =>
          `failed to load manifest for workspace member \`${dir}\`\nreferenced${glob ? ` via \`${glob}\`` : ''} by workspace at \`${rootManifest}\``,
        at: () => ({
          file: rootManifest,
          ...(locateString(rootText, pattern) ?? locateKey(rootText, 'workspace', 'members')),
        }),
      });
    }
    followPathDeps(rootManifest, false, {
      message: () => `failed to load manifest for workspace root \`${rootManifest}\``,
      at: () => ({ file: rootManifest, line: 1, column: 1 }),
    });
    result.members = members.filter((m) => this.package(m).pkg !== null);
    result.defaultMembers = this.defaultMembers(config, memberPaths, result, problems);
    this.validate(result, problems);
    return result;
  }

  private defaultMembers(
    config: Extract<WorkspaceConfig, { kind: 'root' }>,
    memberPaths: MemberPath[],
    ws: ResolvedWorkspace,
    problems: Problem[],
  ): string[] {
    if (config.defaultMembers === undefined) return ws.virtual ? [...ws.members] : [ws.rootManifest];
    const result: string[] = [];
    for (const { dir, glob } of expandMembers(config, config.defaultMembers, this.store)) {
      const manifestPath = path.join(dir, 'Cargo.toml');
      if (ws.members.includes(manifestPath)) {
        result.push(manifestPath);
        continue;
      }
      // default-members may name an excluded path as long as `members` names it too.
      if (memberPaths.some((m) => m.dir === dir) && isExcluded(config, dir)) continue;
      problems.push(
        fileProblem(
          ws.rootManifest,
          `package \`${dir}\` is listed in default-members${glob ? ` via \`${glob}\`` : ''} but is not a member`,
        ),
      );
    }
    return result;
  }

  private validate(ws: ResolvedWorkspace, problems: Problem[]): void {
    const byName = new Map<string, string[]>();
    for (const member of ws.members) {
      const root = this.findRoot(member);
      if (root !== ws.rootManifest) {
        problems.push(
          fileProblem(
            member,
            root
              ? `package \`${member}\` is a member of the wrong workspace\nexpected: ${ws.rootManifest}\nactual:   ${root}`
              : `workspace member \`${member}\` is not hierarchically below the workspace root \`${ws.rootManifest}\``,
          ),
        );
      }
      const name = this.package(member).pkg?.name;
      if (name) byName.set(name, [...(byName.get(name) ?? []), member]);
    }
    for (const [name, manifests] of byName) {
      if (manifests.length > 1) {
        problems.push(
          fileProblem(
            ws.rootManifest,
            `two packages named \`${name}\` in this workspace:\n${manifests.map((m) => `- ${m}`).join('\n')}`,
          ),
        );
      }
    }
  }
}

interface MemberPath {
  dir: string;
  /** As written in the manifest, to point at it. */
  pattern: string;
  /** The pattern, when it was a glob that expanded (cargo names it in errors). */
  glob: string | null;
}

/** `members` patterns → directories, as cargo's `members_paths`: a pattern matching nothing stays as written. */
function expandMembers(
  config: Extract<WorkspaceConfig, { kind: 'root' }>,
  patterns: string[],
  store: ManifestStore,
): MemberPath[] {
  const result: MemberPath[] = [];
  for (const pattern of patterns) {
    const joined = path.resolve(config.rootDir, pattern);
    const expanded = hasGlobMagic(pattern)
      ? expandGlob(joined, store.fsCache)
      : store.fsCache.kind(joined)
        ? [joined]
        : [];
    if (expanded.length === 0) {
      result.push({ dir: joined, pattern, glob: null });
      continue;
    }
    const usedGlob = expanded.length > 1 || expanded[0] !== joined ? pattern : null;
    for (const dir of expanded) if (store.fsCache.isDir(dir)) result.push({ dir, pattern, glob: usedGlob });
  }
  return result;
}

function isExcluded(config: Extract<WorkspaceConfig, { kind: 'root' }>, manifestPath: string): boolean {
  const inside = (prefixes: string[]) => prefixes.some((prefix) => isInside(manifestPath, prefix));
  return !inside(config.memberPrefixes) && inside(config.excludePrefixes);
}

/** Path-component prefix, like Rust's `Path::starts_with`. */
export function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}
