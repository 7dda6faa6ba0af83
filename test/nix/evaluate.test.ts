// The generated flake evaluates with the real Nix against the stand-in inputs, every output of every
// system (`nix flake check --no-build`), and its derivations carry what crane needs: --locked on
// every cargo call; in the workspace layout every native crate built with the workspace's own
// package selection (`--workspace`) on the one workspace dependency-artifacts derivation, in the
// per-crate layout one crate per derivation (`-p`) on its own artifacts; wasm crates built for wasm32
// and left out of the workspace-wide ones, the system libraries, the dev shell's tools.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SYSTEM_LIBRARY_TABLE } from '../../src/core/cargo/systemLibraries';
import type { Workspace } from '../../src/core/cargo';
import { wasmCrates, type InitOptions, type InitPlan } from '../../src/core/flake';
import { assertStoreNamesFit, cargoArgs, hasPair } from './helpers/checks';
import {
  checkFlake,
  derivations,
  devEnv,
  envList,
  envString,
  evalFlake,
  gitInit,
  standInOutPaths,
  storeName,
  type DrvInfo,
} from './helpers/flake';
import { forEachNix, runNix, type Nix } from './helpers/nix';
import { EXAMPLES, FIXTURES, removeTempDirs } from './helpers/paths';
import { findCargo } from './helpers/synthetic';
import { copyToTemp, members, options, workspaceAt, writePlan } from './helpers/workspace';

const WASM32 = 'wasm32-unknown-unknown';
/** crane functions that run cargo with cargoExtraArgs (cargoFmt runs `cargo fmt`, which has no --locked). */
const CARGO_CALLS = ['buildPackage', 'buildDepsOnly', 'cargoClippy', 'cargoTest', 'cargoNextest', 'cargoDoc'];
const WORKSPACE_CHECKS = ['workspace-clippy', 'workspace-test', 'workspace-doc'];

interface App {
  type: string;
  program: string;
}

/** A generated flake in a git repository, and everything it evaluates to for x86_64-linux. */
interface Evaluated {
  dir: string;
  ws: Workspace;
  plan: InitPlan;
  packages: Record<string, DrvInfo>;
  checks: Record<string, DrvInfo>;
  shell: DrvInfo;
  apps: Record<string, App>;
}

function evaluate(nix: Nix, source: string, overrides: Partial<InitOptions> = {}): Evaluated {
  const dir = copyToTemp(source, 'eval');
  // The stand-in crane only needs the file; cargo is never asked to resolve it here.
  const lock = path.join(dir, 'Cargo.lock');
  if (!fs.existsSync(lock)) fs.writeFileSync(lock, '# placeholder written by the nix tests\nversion = 3\n');
  const ws = workspaceAt(dir);
  const plan = writePlan(ws, options(ws, overrides));
  gitInit(dir);
  const shells = derivations(nix, dir, 'devShells');
  assert.ok(shells['default'], 'devShells.default exists');
  const evaluated = {
    dir,
    ws,
    plan,
    packages: derivations(nix, dir, 'packages'),
    checks: derivations(nix, dir, 'checks'),
    shell: shells['default'],
    apps: evalFlake<Record<string, App>>(nix, dir, 'apps.x86_64-linux'),
  };
  // After the evaluations: --no-build is read-only, and mkDummySrc (the stand-in's, like crane's)
  // reads the sources at evaluation time, so they must already be in the store.
  checkFlake(nix, dir);
  return evaluated;
}

function buildsOf(e: Evaluated, crate: string): DrvInfo {
  const info = e.checks[crate];
  assert.ok(info, `checks.${crate} exists`);
  return info;
}

/** Everything that holds for any generated flake, whatever the options. */
function checkInvariants(nix: Nix, e: Evaluated): void {
  const { plan, packages, checks, shell } = e;
  // The crates built as plain wasm32 crates (a Leptos site's front is built by nix/leptos.nix).
  const wasm = plan.options.wasm ? new Set(wasmCrates(e.ws)) : new Set<string>();
  const all = [...Object.values(packages), ...Object.values(checks)];
  const withArtifacts = [...all, ...all.flatMap((d) => (d.artifacts ? [d.artifacts] : []))];

  for (const info of withArtifacts) {
    const fn = info.env['craneFunction'];
    if (typeof fn === 'string' && CARGO_CALLS.includes(fn)) {
      assert.ok(cargoArgs(info).includes('--locked'), `${info.name} (${fn}) runs cargo without --locked`);
    }
    if (fn === 'buildDepsOnly') {
      assert.equal(
        storeName(envString(info, 'src')),
        'dummy-src',
        `${info.name}: dependency artifacts use the dummy source`,
      );
    }
  }

  const workspaceChecks = WORKSPACE_CHECKS.map((name) => checks[name]?.artifacts?.drv);
  for (const p of members(e.ws)) {
    const build = buildsOf(e, p.name);
    const args = cargoArgs(build);
    const isWasm = wasm.has(p.name);
    assert.equal(build.env['craneFunction'], 'buildPackage');
    assert.equal(build.env['pname'], p.name);
    const targetsWasm = hasPair(args, '--target', WASM32);
    assert.equal(targetsWasm, isWasm, `${p.name}: --target ${WASM32} iff it is a wasm crate`);
    const deps = build.artifacts;
    assert.ok(deps, `${p.name} has cargoArtifacts`);
    // Cargo reuses the artifacts only for the package selection they were built with.
    assert.deepEqual(
      cargoArgs(deps),
      args,
      `${p.name}: its dependency artifacts are built with the same arguments`,
    );
    if (plan.options.deps === 'per-crate') {
      assert.ok(hasPair(args, '-p', p.name), `${p.name}: ${args.join(' ')} has -p ${p.name}`);
      assert.equal(args.filter((w) => w === '-p').length, 1, `${p.name}: one crate only: ${args.join(' ')}`);
      assert.ok(!args.includes('--workspace'), `${p.name}: a crate's build is not workspace-wide`);
      // Unset means crane's default: the tests run.
      assert.equal(build.env['doCheck'] ?? true, !isWasm, `${p.name}: tests run unless wasm`);
      assert.equal(deps.name, `${p.name}-deps-${p.version}`);
    } else {
      if (isWasm) {
        // Every wasm crate, for wasm32: the selection of the wasm dependency artifacts.
        assert.ok(!args.includes('--workspace'), `${p.name}: ${args.join(' ')}`);
        for (const w of wasm) assert.ok(hasPair(args, '-p', w), `${p.name}: ${args.join(' ')} has -p ${w}`);
        assert.equal(deps.name, `${plan.facts.name}-wasm-deps-${plan.facts.version}`);
      } else {
        // The workspace's own selection, as the workspace-wide checks use it.
        assert.ok(args.includes('--workspace'), `${p.name}: ${args.join(' ')} has --workspace`);
        assert.ok(!args.includes('-p'), `${p.name}: ${args.join(' ')} selects no single crate`);
        for (const w of wasm)
          assert.ok(hasPair(args, '--exclude', w), `${p.name} leaves the wasm crate ${w} out`);
        assert.deepEqual(
          args,
          cargoArgs(checks['workspace-clippy'] as DrvInfo),
          `${p.name}: the checks' selection`,
        );
        assert.equal(deps.name, `${plan.facts.name}-deps-${plan.facts.version}`);
        for (const [i, name] of WORKSPACE_CHECKS.entries()) {
          assert.equal(deps.drv, workspaceChecks[i], `${p.name}: the dependency artifacts of ${name}`);
        }
      }
      assert.equal(build.env['doCheck'], false, `${p.name}: tests run in checks.workspace-test`);
      // Cargo builds the whole selection: only this crate's artifacts are kept from its JSON log.
      const manifest = path.relative(e.ws.root, p.manifest_path).split(path.sep).join('/');
      const command = envString(build, 'buildPhaseCargoCommand');
      assert.ok(command.includes(`"$(realpath ${manifest})"`), `${p.name}: ${command}`);
      assert.ok(command.includes(args.join(' ')), `${p.name}: the build runs with ${args.join(' ')}`);
    }
    const binaryOrCdylib =
      p.nixify.has_binary ||
      p.targets.some(
        (t) =>
          t.crate_types.includes('cdylib') && !t.kind.some((k) => ['example', 'test', 'bench'].includes(k)),
      );
    if (binaryOrCdylib) {
      assert.equal(packages[p.name]?.drv, build.drv, `packages.${p.name} is the crate's build`);
    } else {
      assert.equal(packages[p.name], undefined, `${p.name} is a library: no package`);
    }
  }

  for (const name of WORKSPACE_CHECKS) {
    const info = checks[name];
    assert.ok(info, `checks.${name} exists`);
    const args = cargoArgs(info);
    assert.ok(args.includes('--workspace'), `${name}: ${args.join(' ')}`);
    assert.ok(!args.includes('-p'), `${name} builds the whole workspace`);
    for (const w of wasm) assert.ok(hasPair(args, '--exclude', w), `${name} leaves the wasm crate ${w} out`);
  }
  assert.equal(checks['workspace-fmt']?.env['craneFunction'], 'cargoFmt');
  assert.equal(
    checks['workspace-test']?.env['craneFunction'],
    plan.options.nextest ? 'cargoNextest' : 'cargoTest',
  );
  assert.ok(packages['default'], 'packages.default exists');

  // System libraries reach every crate's build and the dev shell.
  const libs = standInOutPaths(nix, [...plan.facts.buildInputs, ...plan.facts.nativeBuildInputs]);
  for (const info of [...members(e.ws).map((p) => buildsOf(e, p.name)), shell]) {
    for (const attr of plan.facts.buildInputs) {
      assert.ok(
        envList(info, 'buildInputs').includes(libs[attr] ?? ''),
        `${info.name}: buildInputs has ${attr}`,
      );
    }
    for (const attr of plan.facts.nativeBuildInputs) {
      assert.ok(
        envList(info, 'nativeBuildInputs').includes(libs[attr] ?? ''),
        `${info.name}: nativeBuildInputs has ${attr}`,
      );
    }
  }

  // Binaries can be run with `nix run .#<crate>`.
  for (const p of members(e.ws).filter((m) => m.nixify.has_binary && !wasm.has(m.name))) {
    const app = e.apps[p.name];
    assert.ok(app, `apps.${p.name} exists`);
    assert.equal(app.type, 'app');
    const out = path.join(buildsOf(e, p.name).out, 'bin', String(buildsOf(e, p.name).meta['mainProgram']));
    assert.equal(app.program, out);
  }

  assertStoreNamesFit([packages, checks, shell]);
}

function toolNames(info: DrvInfo): string[] {
  return envList(info, 'packages').map(storeName);
}

forEachNix('the generated flake evaluates against the stand-in inputs', (nix) => {
  after(removeTempDirs);

  describe('examples/ with the default options (rust-overlay, workspace dependencies, wasm)', function () {
    let e: Evaluated;
    before(function () {
      e = evaluate(nix, EXAMPLES);
      assert.equal(e.plan.options.toolchain, 'rust-overlay');
      assert.equal(e.plan.options.deps, 'workspace');
    });

    it('passes nix flake check --no-build and keeps the invariants', function () {
      checkInvariants(nix, e);
    });

    it('packages: the binaries, the wasm cdylib, default and wasm-bindgen-cli', function () {
      assert.deepEqual(Object.keys(e.packages).sort(), [
        'default',
        'hello-cli',
        'tls-client',
        'wasm-bindgen-cli',
        'web',
      ]);
      // Two binaries: the default package is the whole native workspace.
      const args = cargoArgs(e.packages['default'] as DrvInfo);
      assert.ok(args.includes('--workspace') && hasPair(args, '--exclude', 'web'), args.join(' '));
    });

    it('native crates are built with --locked --workspace --exclude web, on the one workspace dependency artifacts', function () {
      const native = ['hello-cli', 'shared', 'tls-client'].map((n) => buildsOf(e, n));
      for (const build of native) {
        assert.deepEqual(cargoArgs(build), ['--locked', '--workspace', '--exclude', 'web'], build.name);
        assert.equal(build.artifacts?.name, 'examples-deps-0.1.0', build.name);
      }
      const artifacts = new Set([
        ...native.map((b) => b.artifacts?.drv),
        e.checks['workspace-test']?.artifacts?.drv,
        e.packages['default']?.artifacts?.drv,
      ]);
      assert.equal(artifacts.size, 1, [...artifacts].join(' '));
    });

    it('no crate has dependency artifacts of its own: one derivation for the native crates, one for wasm', function () {
      const names = new Set(
        [...Object.values(e.packages), ...Object.values(e.checks)].flatMap((d) =>
          d.artifacts ? [d.artifacts.name] : [],
        ),
      );
      assert.deepEqual([...names].sort(), ['examples-deps-0.1.0', 'examples-wasm-deps-0.1.0']);
    });

    it('web is built for wasm32 with the wasm dependency artifacts, never with --workspace', function () {
      const web = buildsOf(e, 'web');
      assert.equal(web.artifacts?.name, 'examples-wasm-deps-0.1.0');
      for (const info of [web, web.artifacts as DrvInfo]) {
        const args = cargoArgs(info);
        assert.deepEqual(args, ['--locked', '--target', WASM32, '-p', 'web'], info.name);
      }
    });

    it('the crates that web does not need are stand-ins with a main function in its source', function () {
      const stubs = envString(buildsOf(e, 'web'), 'postUnpack');
      assert.ok(stubs.includes('fn main() {}'), stubs);
      assert.ok(
        stubs.includes('crates/cli/src/main.rs') && stubs.includes('crates/tls-client/src/main.rs'),
        stubs,
      );
      assert.ok(!stubs.includes('crates/shared/'), 'web is built from shared: it is no stand-in');
    });

    it("the toolchain is rust-toolchain.toml's release with the wasm32 target", function () {
      const [toolchain] = buildsOf(e, 'web').toolchains;
      assert.equal(toolchain?.['release'], '1.85.0');
      assert.ok((toolchain?.['targets'] as string[]).includes(WASM32));
    });

    it('the dev shell has wasm-bindgen-cli (the locked version), trunk, openssl, pkg-config, rust-analyzer', function () {
      const tools = toolNames(e.shell);
      assert.ok(tools.includes('wasm-bindgen-cli-0.2.100'), tools.join(' '));
      assert.ok(
        tools.some((t) => t.startsWith('trunk-')),
        tools.join(' '),
      );
      assert.ok(envList(e.shell, 'buildInputs').some((p) => storeName(p).startsWith('openssl-')));
      assert.ok(envList(e.shell, 'nativeBuildInputs').some((p) => storeName(p).startsWith('pkg-config')));
      const [toolchain] = e.shell.toolchains;
      assert.deepEqual(toolchain?.['extensions'], ['rust-src', 'rust-analyzer']);
    });

    it("nix print-dev-env puts the tools and the toolchain on PATH, and the toolchain's cargo runs", function () {
      const dirs = (devEnv(nix, e.dir)['PATH'] ?? '').split(':');
      const names = dirs.map((d) => storeName(path.dirname(d)));
      for (const tool of ['wasm-bindgen-cli-0.2.100', 'trunk-', 'rust-default-1.85.0', 'pkg-config-']) {
        assert.ok(
          names.some((n) => n.startsWith(tool)),
          `${tool} on PATH ${dirs.join(':')}`,
        );
      }
      if (findCargo() === null) return;
      const cargo = spawnSync('cargo', ['--version'], { env: { PATH: dirs.join(':') }, encoding: 'utf8' });
      assert.equal(cargo.status, 0, cargo.stderr);
      assert.match(cargo.stdout, /^cargo \d+\.\d+/);
    });

    it('wasm-bindgen-cli is built from crates.io when nixpkgs lacks the locked version', function () {
      const cli = e.packages['wasm-bindgen-cli'] as DrvInfo;
      assert.equal(cli.name, 'wasm-bindgen-cli-0.2.100');
      assert.match(String(cli.env['src']), /-wasm-bindgen-cli-0\.2\.100$/);
    });
  });

  describe('examples/ with per-crate dependencies', function () {
    let e: Evaluated;
    before(function () {
      e = evaluate(nix, EXAMPLES, { deps: 'per-crate' });
    });

    it('passes nix flake check --no-build and keeps the invariants', function () {
      checkInvariants(nix, e);
    });

    it('each crate is built alone (-p) on its own dependency artifacts; the workspace checks keep theirs', function () {
      for (const name of ['hello-cli', 'shared', 'tls-client']) {
        const build = buildsOf(e, name);
        assert.deepEqual(cargoArgs(build), ['--locked', '-p', name], build.name);
        assert.equal(build.artifacts?.name, `${name}-deps-0.1.0`);
        assert.equal(build.env['doCheck'], true, `${name}: its own tests run`);
      }
      const workspaceDeps = e.checks['workspace-test']?.artifacts as DrvInfo;
      assert.equal(workspaceDeps.name, 'examples-deps-0.1.0');
      assert.deepEqual(cargoArgs(workspaceDeps), ['--locked', '--workspace', '--exclude', 'web']);
    });

    it('web is built alone for wasm32, with its own dependency artifacts', function () {
      const web = buildsOf(e, 'web');
      for (const info of [web, web.artifacts as DrvInfo]) {
        const args = cargoArgs(info);
        assert.ok(hasPair(args, '-p', 'web') && hasPair(args, '--target', WASM32), args.join(' '));
        assert.ok(!args.includes('--workspace'));
      }
      assert.equal(web.env['doCheck'], false);
    });
  });

  describe('examples/ with fenix, workspace dependencies, OCI images, Cachix and nextest', function () {
    let e: Evaluated;
    before(function () {
      e = evaluate(nix, EXAMPLES, {
        toolchain: 'fenix',
        deps: 'workspace',
        oci: true,
        cachix: 'nixify-test',
        cachixPublicKey: `nixify-test.cachix.org-1:${Buffer.alloc(32, 7).toString('base64')}`,
        nextest: true,
      });
    });

    it('passes nix flake check --no-build and keeps the invariants', function () {
      checkInvariants(nix, e);
    });

    it('one image per native binary, running the crate build', function () {
      for (const name of ['hello-cli', 'tls-client']) {
        const image = e.packages[`${name}-image`];
        assert.ok(image, `packages.${name}-image exists`);
        const config = JSON.parse(envString(image, 'imageConfig')) as { Cmd: string[] };
        assert.deepEqual(config.Cmd, [`${buildsOf(e, name).out}/bin/${name}`]);
      }
      assert.equal(e.packages['web-image'], undefined, 'no image for the wasm crate');
    });

    it('native crates share the workspace dependency artifacts; wasm crates have their own', function () {
      const native = ['hello-cli', 'shared', 'tls-client'].map((n) => buildsOf(e, n).artifacts?.drv);
      assert.equal(new Set(native).size, 1);
      assert.equal(native[0], e.checks['workspace-clippy']?.artifacts?.drv);
      const wasmDeps = buildsOf(e, 'web').artifacts as DrvInfo;
      assert.equal(wasmDeps.name, 'examples-wasm-deps-0.1.0');
      assert.ok(hasPair(cargoArgs(wasmDeps), '-p', 'web'));
    });

    it('nixConfig names the Cachix cache and its key', function () {
      const config = JSON.parse(
        runNix(nix, 'nix-instantiate', [
          '--eval',
          '--strict',
          '--json',
          '--expr',
          `(import ${e.dir}/flake.nix).nixConfig`,
        ]),
      ) as Record<string, string[]>;
      assert.deepEqual(config['extra-substituters'], ['https://nixify-test.cachix.org']);
      assert.deepEqual(config['extra-trusted-public-keys'], [e.plan.options.cachixPublicKey]);
    });

    it('the fenix toolchain has the wasm32 standard library', function () {
      const [toolchain] = buildsOf(e, 'web').toolchains;
      const components = (toolchain?.['paths'] as string[]).map(storeName);
      assert.ok(
        components.some((c) => c.startsWith('rust-std-') && c.endsWith(WASM32)),
        components.join(' '),
      );
    });

    it('every toolchain component comes from the release rust-toolchain.toml pins', () => {
      for (const info of [buildsOf(e, 'web'), e.shell]) {
        const releases = new Set(info.toolchains.flatMap((t) => t['releases'] as string[]));
        assert.deepEqual(
          [...releases],
          ['1.85.0'],
          `${info.name} mixes releases ${[...releases].join(', ')}`,
        );
      }
    });
  });

  describe("examples/ with nixpkgs' toolchain and wasm off", function () {
    let e: Evaluated;
    before(function () {
      e = evaluate(nix, EXAMPLES, { toolchain: 'nixpkgs', wasm: false });
    });

    it('passes nix flake check --no-build and keeps the invariants', function () {
      checkInvariants(nix, e);
    });

    it('web is an ordinary crate: no wasm32 target, not excluded', function () {
      const args = cargoArgs(buildsOf(e, 'web'));
      assert.ok(!args.includes('--target'), args.join(' '));
      assert.ok(!cargoArgs(e.checks['workspace-clippy'] as DrvInfo).includes('--exclude'));
      assert.equal(e.packages['wasm-bindgen-cli'], undefined);
    });

    it("crane keeps its default toolchain (nixpkgs' rustc and cargo); the shell has rust-analyzer and RUST_SRC_PATH", function () {
      const names = envList(buildsOf(e, 'hello-cli'), 'toolchain').map(storeName);
      assert.deepEqual(names, ['rustc-1.86.0', 'cargo-1.86.0']);
      assert.ok(toolNames(e.shell).some((t) => t.startsWith('rust-analyzer-')));
      assert.match(envString(e.shell, 'RUST_SRC_PATH'), /-rust-lib-src-/);
    });
  });

  const fixtures: [string, Partial<InitOptions>][] = [
    ['system-libraries', {}],
    ['wasm-trunk', {}],
    ['leptos-workspace', {}],
    ['root-package', { deps: 'per-crate' }],
    ['member-dirname-differs', { toolchain: 'fenix' }],
    ['build-scripts', { nextest: true, oci: true }],
    ['toolchain-legacy', {}],
  ];
  for (const [name, overrides] of fixtures) {
    it(`fixture ${name}${Object.keys(overrides).length ? ` (${JSON.stringify(overrides)})` : ''}`, function () {
      const e = evaluate(nix, path.join(FIXTURES, name), overrides);
      checkInvariants(nix, e);
      if (name === 'system-libraries') {
        assert.ok(e.plan.facts.buildInputs.length >= 5, 'the fixture needs several system libraries');
      }
      if (name === 'leptos-workspace') {
        const tools = toolNames(e.shell);
        assert.ok(
          tools.some((t) => t.startsWith('cargo-leptos-')) && tools.some((t) => t.startsWith('binaryen-')),
        );
      }
    });
  }

  describe('toolchain-toml: a rust-toolchain.toml with a profile, components and targets', function () {
    let e: Evaluated;
    before(function () {
      e = evaluate(nix, path.join(FIXTURES, 'toolchain-toml'));
    });

    it('passes nix flake check --no-build and keeps the invariants', function () {
      checkInvariants(nix, e);
    });

    it("crane's toolchain has the file's components (clippy and rustfmt on the minimal profile) and targets", () => {
      const [toolchain] = buildsOf(e, e.ws.packages[0]?.name ?? '').toolchains;
      assert.equal(toolchain?.['profile'], 'minimal');
      const extensions = toolchain?.['extensions'] as string[];
      for (const c of ['rustfmt', 'clippy'])
        assert.ok(extensions.includes(c), `extensions ${JSON.stringify(extensions)}`);
      const targets = toolchain?.['targets'] as string[];
      assert.ok(targets.includes('aarch64-unknown-linux-gnu'), `targets ${JSON.stringify(targets)}`);
    });
  });

  it('a Cargo.lock that git does not track stops evaluation with the command that fixes it', function () {
    const dir = copyToTemp(path.join(FIXTURES, 'root-package'), 'eval');
    fs.rmSync(path.join(dir, 'Cargo.lock'), { force: true });
    const ws = workspaceAt(dir);
    writePlan(ws, options(ws, {}));
    gitInit(dir);
    assert.throws(
      () => evalFlake(nix, dir, `checks.x86_64-linux.${ws.packages[0]?.name ?? ''}.drvPath`),
      (error: Error) =>
        /Cargo\.lock is missing or not tracked by git: run `cargo generate-lockfile`/.test(error.message),
    );
  });

  it('the stand-in nixpkgs has every attribute the system library table names', function () {
    const attrs = [
      ...new Set(
        Object.values(SYSTEM_LIBRARY_TABLE).flatMap((l) => [...l.buildInputs, ...l.nativeBuildInputs]),
      ),
    ];
    const paths = standInOutPaths(nix, attrs);
    assert.deepEqual(Object.keys(paths).sort(), [...attrs].sort());
  });
});
