// Hand-built workspace models for tests of code that reads them. Only the fields a test cares
// about need to be given; the rest get plausible defaults.
import * as path from 'node:path';
import type { CargoPackage, CargoTarget, DetectResult, Problem, Workspace } from '../../../src/core/cargo';

export function target(kind: string[], name = 'main'): CargoTarget {
  return {
    name,
    kind,
    crate_types: kind.filter((k) => k !== 'test' && k !== 'example' && k !== 'bench'),
    src_path: `/src/${name}.rs`,
    edition: '2021',
    doc: true,
    doctest: kind.includes('lib'),
    test: true,
  };
}

export function pkg(name: string, dir: string, overrides: Partial<CargoPackage> = {}): CargoPackage {
  return {
    name,
    version: '0.1.0',
    id: `path+file://${dir}#${name}@0.1.0`,
    license: null,
    license_file: null,
    description: null,
    source: null,
    dependencies: [],
    targets: [target(['lib'], name)],
    features: {},
    manifest_path: path.join(dir, 'Cargo.toml'),
    metadata: null,
    publish: null,
    authors: [],
    categories: [],
    keywords: [],
    repository: null,
    homepage: null,
    documentation: null,
    edition: '2021',
    links: null,
    default_run: null,
    rust_version: null,
    nixify: { path_dependencies: [], wasm: null, leptos: null, has_binary: false, has_cdylib: false },
    ...overrides,
  };
}

export function workspace(
  root: string,
  packages: CargoPackage[],
  overrides: Partial<Workspace> = {},
): Workspace {
  return {
    root,
    manifest_path: path.join(root, 'Cargo.toml'),
    virtual: false,
    explicit: true,
    packages,
    workspace_members: packages.map((p) => p.id),
    workspace_default_members: packages.map((p) => p.id),
    lockfile: null,
    toolchain: null,
    system_libraries: [],
    build_target: null,
    problems: [],
    ...overrides,
  };
}

export function problem(file: string, message: string, overrides: Partial<Problem> = {}): Problem {
  return { file, line: 1, column: 1, message, severity: 'error', ...overrides };
}

export function result(root: string, workspaces: Workspace[], problems: Problem[] = []): DetectResult {
  return { root, workspaces, problems };
}

/** A virtual workspace with a binary, a library it depends on, and a wasm crate. */
export function demoWorkspace(root = '/w/demo'): Workspace {
  const core = pkg('demo-core', path.join(root, 'crates/core'));
  const cli = pkg('demo-cli', path.join(root, 'crates/cli'), {
    version: '1.2.3',
    targets: [target(['bin'], 'demo'), target(['lib'], 'demo_cli'), target(['test'], 'it')],
    nixify: {
      path_dependencies: ['demo-core'],
      wasm: null,
      leptos: null,
      has_binary: true,
      has_cdylib: false,
    },
  });
  const web = pkg('demo-web', path.join(root, 'crates/web'), {
    targets: [target(['cdylib', 'rlib'], 'demo_web')],
    nixify: {
      path_dependencies: ['demo-core'],
      wasm: {
        target: 'wasm32-unknown-unknown',
        reasons: ['cdylib depending on wasm-bindgen'],
        wasm_bindgen_version: '0.2.92',
      },
      leptos: null,
      has_binary: false,
      has_cdylib: true,
    },
  });
  return workspace(root, [core, cli, web], { virtual: true });
}
