import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectDependencies } from './dependencies';
import { compareBytes, type FsCache } from './fsCache';
import { INHERITABLE_PACKAGE_KEYS, type WorkspaceInheritance } from './inheritance';
import { packageNameError } from './packageName';
import { locateKey, valueColumn } from './locate';
import { discoverTargets } from './targets';
import { isTable, str, strings, table, type TomlTable } from './toml';
import type { CargoPackage, Problem } from './types';
import { describeSemverError, isSemver } from './versionReq';

export interface PackageInput {
  manifestPath: string;
  text: string;
  manifest: TomlTable;
  /** The workspace this package inherits from, if any. */
  workspace: WorkspaceInheritance | null;
  fsCache: FsCache;
}

/** A `[package]` manifest as `cargo metadata --no-deps` describes it; null when it has no usable `[package]`. */
export function normalizePackage(input: PackageInput, problems: Problem[]): CargoPackage | null {
  const { manifestPath, text, manifest } = input;
  const packageDir = path.dirname(manifestPath);
  const pkg = table(manifest['package']) ?? table(manifest['project']);
  if (!pkg) return null;
  const at = (
    key: string | undefined,
    message: string,
    severity: Problem['severity'] = 'error',
  ): Problem => ({
    file: manifestPath,
    ...locateKey(text, 'package', key),
    message,
    severity,
  });

  const name = str(pkg['name']);
  if (name === undefined) {
    problems.push(at(undefined, 'missing field `name` in `[package]`'));
    return null;
  }
  const nameError = packageNameError(name);
  if (nameError !== undefined) {
    // Listed all the same, like a package with an invalid version: the rest of it is still useful.
    problems.push({
      file: manifestPath,
      ...valueColumn(text, locateKey(text, 'package', 'name')),
      message: nameError,
      severity: 'error',
    });
  }

  const field = (key: string): unknown => {
    const value = pkg[key];
    if (!(isTable(value) && value['workspace'] === true && INHERITABLE_PACKAGE_KEYS.has(key))) return value;
    const inherited = input.workspace?.package?.[key];
    if (inherited === undefined) {
      problems.push(
        at(
          key,
          `error inheriting \`${key}\` from workspace root manifest's \`workspace.package.${key}\`: ${input.workspace ? `\`workspace.package.${key}\` was not defined` : 'no workspace root was found'}`,
        ),
      );
      return undefined;
    }
    // Paths in [workspace.package] are relative to the workspace root; cargo rebases them.
    if ((key === 'license-file' || key === 'readme') && typeof inherited === 'string' && input.workspace) {
      return path.relative(packageDir, path.join(input.workspace.rootDir, inherited));
    }
    return inherited;
  };

  const declaredVersion = field('version');
  let version = '0.0.0';
  if (typeof declaredVersion === 'string') {
    if (!isSemver(declaredVersion)) {
      problems.push({
        file: manifestPath,
        ...valueColumn(text, locateKey(text, 'package', 'version')),
        message: `${describeSemverError(declaredVersion)} (package \`${name}\` version \`${declaredVersion}\`)`,
        severity: 'error',
      });
    }
    version = declaredVersion;
  }
  const edition = str(field('edition')) ?? '2015';
  const publishValue = field('publish');
  const publish =
    publishValue === false
      ? []
      : Array.isArray(publishValue)
        ? (strings(publishValue) ?? [])
        : declaredVersion === undefined && publishValue === undefined
          ? []
          : null;

  const dependencies = collectDependencies(manifest, {
    manifestPath,
    edition,
    fsCache: input.fsCache,
    packageDir,
    text,
    workspace: input.workspace,
    problems,
  });
  const targets = discoverTargets(manifest, pkg, {
    packageName: name,
    packageDir,
    manifestPath,
    text,
    edition,
    fsCache: input.fsCache,
    problems,
  });

  if (targets.every((t) => t.kind.includes('custom-build'))) {
    problems.push(
      at(
        undefined,
        'no targets specified in the manifest\neither src/lib.rs, src/main.rs, a [lib] section, or [[bin]] section must be present',
      ),
    );
  }

  return {
    name,
    version,
    id: packageId(packageDir, name, version),
    license: str(field('license')) ?? null,
    license_file: str(field('license-file')) ?? null,
    description: str(field('description')) ?? null,
    source: null,
    dependencies,
    targets,
    features: features(
      manifest,
      dependencies.filter((d) => d.optional).map((d) => d.rename ?? d.name),
    ),
    manifest_path: manifestPath,
    metadata: pkg['metadata'] ?? null,
    publish,
    authors: strings(field('authors')) ?? [],
    categories: strings(field('categories')) ?? [],
    keywords: strings(field('keywords')) ?? [],
    repository: str(field('repository')) ?? null,
    homepage: str(field('homepage')) ?? null,
    documentation: str(field('documentation')) ?? null,
    edition,
    links: str(pkg['links']) ?? null,
    default_run: str(pkg['default-run']) ?? null,
    rust_version: str(field('rust-version')) ?? null,
    nixify: {
      path_dependencies: [],
      wasm: null,
      leptos: null,
      has_binary: targets.some((t) => t.kind.includes('bin')),
      // The lib target's kinds are its crate types; an example built as a cdylib does not count.
      has_cdylib: targets.some((t) => t.kind.includes('cdylib')),
    },
  };
}

/** `[features]` plus the implicit feature cargo creates for each optional dependency not named with `dep:`. */
function features(manifest: TomlTable, optionalDeps: string[]): Record<string, string[]> {
  const declared = table(manifest['features']) ?? {};
  const result: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(declared)) result[key] = strings(value) ?? [];
  const namedWithDep = new Set(
    Object.values(result)
      .flat()
      .filter((v) => v.startsWith('dep:'))
      .map((v) => v.slice(4)),
  );
  for (const dep of optionalDeps) {
    if (!namedWithDep.has(dep) && !(dep in result)) result[dep] = [`dep:${dep}`];
  }
  // cargo keeps features in a BTreeMap: byte order of the names.
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => compareBytes(a, b)));
}

/** cargo's package id spec: the URL fragment names the package only when the directory name differs. */
export function packageId(packageDir: string, name: string, version: string): string {
  // pathToFileURL percent-encodes; most paths need none of it, and it is slow enough to matter.
  const url = /^[A-Za-z0-9/._~+@-]+$/.test(packageDir)
    ? `file://${packageDir}`
    : pathToFileURL(packageDir).href;
  return path.basename(packageDir) === name ? `path+${url}#${version}` : `path+${url}#${name}@${version}`;
}
