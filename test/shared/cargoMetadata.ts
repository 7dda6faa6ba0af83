// `cargo metadata --no-deps` as the conformance tier and the property-based tests run it, and the
// field-by-field comparison of Nixify's workspace with cargo's: one definition of "agrees with cargo".
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  CargoDependency,
  CargoPackage,
  CargoTarget,
  DetectResult,
  Workspace,
} from '../../src/core/cargo';

/** The part of `cargo metadata` output this test reads. */
export interface CargoMetadata {
  packages: CargoPackage[];
  workspace_members: string[];
  workspace_default_members: string[];
  workspace_root: string;
}

/**
 * Fixtures may hold rust-toolchain files naming toolchains that are not installed; rustup would try
 * to install them. Pin cargo to the toolchain that is active outside any project instead.
 */
export function cargoEnv(): NodeJS.ProcessEnv {
  const rustup = spawnSync('rustup', ['show', 'active-toolchain'], { cwd: os.tmpdir(), encoding: 'utf8' });
  const toolchain = rustup.status === 0 ? rustup.stdout.trim().split(/\s+/)[0] : undefined;
  return toolchain ? { ...process.env, RUSTUP_TOOLCHAIN: toolchain } : { ...process.env };
}

export function runCargoMetadata(manifest: string, env: NodeJS.ProcessEnv): CargoMetadata {
  const run = tryCargoMetadata(manifest, env);
  assert.ok(run.ok, `cargo metadata failed for ${manifest}:\n${run.ok ? '' : run.stderr}`);
  return run.metadata;
}

function projectTarget(t: CargoTarget): Record<string, unknown> {
  return {
    name: t.name,
    kind: t.kind,
    crate_types: t.crate_types,
    src_path: t.src_path,
    edition: t.edition,
    // cargo leaves the key out unless the manifest sets it; keep "absent" distinct from [].
    'required-features': 'required-features' in t ? t['required-features'] : '(absent)',
    doc: t.doc,
    doctest: t.doctest,
    test: t.test,
  };
}

function projectDependency(d: CargoDependency): Record<string, unknown> {
  return {
    name: d.name,
    source: d.source,
    req: d.req,
    kind: d.kind,
    rename: d.rename,
    optional: d.optional,
    uses_default_features: d.uses_default_features,
    features: d.features,
    target: d.target,
    registry: d.registry,
    // cargo only prints `path` for path dependencies; null is not the same as absent.
    path: 'path' in d ? d.path : '(absent)',
  };
}

function projectPackage(p: CargoPackage): Record<string, unknown> {
  return {
    name: p.name,
    version: p.version,
    id: p.id,
    manifest_path: p.manifest_path,
    edition: p.edition,
    rust_version: p.rust_version,
    links: p.links,
    default_run: p.default_run,
    publish: p.publish,
    description: p.description,
    license: p.license,
    license_file: p.license_file,
    authors: p.authors,
    keywords: p.keywords,
    categories: p.categories,
    repository: p.repository,
    homepage: p.homepage,
    documentation: p.documentation,
    features: p.features,
  };
}

function describeWorkspaces(result: DetectResult): string {
  return result.workspaces.map((ws) => `  ${ws.manifest_path}`).join('\n') || '  (none)';
}

export function compareWithCargo(result: DetectResult, manifest: string, cargo: CargoMetadata): void {
  const rootManifest = path.join(cargo.workspace_root, 'Cargo.toml');
  assert.equal(
    rootManifest,
    manifest,
    `expectation error: ${manifest} is not a workspace root (cargo says the root is ${cargo.workspace_root})`,
  );
  const matches = result.workspaces.filter((ws) => ws.manifest_path === rootManifest);
  assert.equal(
    matches.length,
    1,
    `Nixify should report exactly one workspace with manifest_path ${rootManifest}; it reported:\n${describeWorkspaces(result)}`,
  );
  const ws = matches[0] as Workspace;
  const where = path.basename(path.dirname(manifest));
  assert.equal(ws.root, cargo.workspace_root, `${where}: workspace root`);

  assert.deepStrictEqual(
    [...ws.workspace_members].sort(),
    [...cargo.workspace_members].sort(),
    `${where}: workspace_members (as a set)`,
  );
  assert.deepStrictEqual(
    ws.workspace_members,
    cargo.workspace_members,
    `${where}: workspace_members (order)`,
  );
  assert.deepStrictEqual(
    ws.workspace_default_members,
    cargo.workspace_default_members,
    `${where}: workspace_default_members`,
  );

  assert.deepStrictEqual(
    ws.packages.map((p) => p.id).sort(),
    cargo.packages.map((p) => p.id).sort(),
    `${where}: package ids`,
  );
  const byId = new Map(ws.packages.map((p) => [p.id, p]));
  for (const expected of cargo.packages) {
    const actual = byId.get(expected.id) as CargoPackage;
    assert.deepStrictEqual(
      projectPackage(actual),
      projectPackage(expected),
      `package ${expected.name}: fields`,
    );
    assert.deepStrictEqual(
      actual.targets.map(projectTarget),
      expected.targets.map(projectTarget),
      `package ${expected.name}: targets`,
    );
    assert.deepStrictEqual(
      actual.dependencies.map(projectDependency),
      expected.dependencies.map(projectDependency),
      `package ${expected.name}: dependencies`,
    );
  }
}

/** cargo's metadata for `manifest`, or its error text when it refuses the manifest. */
export function tryCargoMetadata(
  manifest: string,
  env: NodeJS.ProcessEnv,
): { ok: true; metadata: CargoMetadata } | { ok: false; stderr: string } {
  const run = spawnSync(
    'cargo',
    ['metadata', '--no-deps', '--offline', '--format-version', '1', '--manifest-path', manifest],
    { cwd: path.dirname(manifest), env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (run.error) throw run.error;
  // cwd = the manifest's directory, as for a user running cargo there (.cargo/config.toml is found from cwd).
  return run.status === 0
    ? { ok: true, metadata: JSON.parse(run.stdout) as CargoMetadata }
    : { ok: false, stderr: run.stderr };
}
