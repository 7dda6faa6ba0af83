// nix/wasm-pkg.nix and nix/leptos.nix, evaluated and built by the real Nix against the stand-in
// inputs, in a small flake of this test's own (the generated flake.nix does not call them yet) that
// calls them as their headers say. This machine has no wasm32 standard library and no crates.io, so
// the wasm32 crane builds, wasm-bindgen, wasm-opt, sass and tailwindcss are stand-ins that record
// their command lines in what they write (test/nix/flake-inputs), and a Leptos server is checked on
// its derivation (cargo arguments, LEPTOS_* variables) and replaced by a stand-in binary of the same
// name for the site, app and image builds. Every evaluation refuses import-from-derivation.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { LEPTOS_NIX, TRUNK_NIX, WASM_PKG_NIX } from '../../src/core/flake/artefactsNix';
import { WASM_NIX, WORKSPACE_NIX } from '../../src/core/flake/workspaceNix';
import { cargoArgs } from './helpers/checks';
import {
  buildFlake,
  derivations,
  envString,
  evalFlake,
  flakeArgs,
  gitInit,
  standInOutPaths,
  type DrvInfo,
} from './helpers/flake';
import { forEachNix, runNix, type Nix } from './helpers/nix';
import { FIXTURES, removeTempDirs, tempDir } from './helpers/paths';
import { copyToTemp, workspaceAt } from './helpers/workspace';

const WASM32 = 'wasm32-unknown-unknown';

// The calls the headers of nix/wasm-pkg.nix and nix/leptos.nix document, plus what the assertions
// read: `testData`, and each piece of each site as a package.
const HARNESS_FLAKE = `{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    crane.url = "github:ipetkov/crane";
  };

  outputs =
    { self, nixpkgs, crane }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.\${system};
      inherit (pkgs) lib;
      craneLib = crane.mkLib pkgs;
      workspace = import ./nix/workspace.nix { root = ./.; };
      inherit (workspace) crates;
      wasm = import ./nix/wasm.nix {
        root = ./.;
        inherit crates;
      };
      inherit (pkgs) wasm-bindgen-cli;
      commonArgs = {
        inherit (workspace) src;
        strictDeps = true;
      };
      wasmBuilds = lib.mapAttrs (
        name: crate:
        craneLib.buildPackage (
          commonArgs
          // {
            pname = name;
            inherit (crate) version;
            cargoExtraArgs = "--locked --target ${WASM32} -p \${name}";
            doCheck = false;
          }
        )
      ) wasm.crates;
      wasmPkg = import ./nix/wasm-pkg.nix { inherit pkgs wasm-bindgen-cli; };
      leptos = import ./nix/leptos.nix {
        inherit pkgs craneLib wasm-bindgen-cli commonArgs crates;
        root = ./.;
      };
      trunk = import ./nix/trunk.nix {
        inherit pkgs craneLib wasm-bindgen-cli commonArgs crates;
        root = ./.;
      };
      stubbed = lib.mapAttrs (
        _: site:
        site.withServer (
          pkgs.writeShellScriptBin site.config.binTarget ''echo "stand-in server: $LEPTOS_SITE_ROOT $LEPTOS_SITE_ADDR $LEPTOS_OUTPUT_NAME"''
        )
      ) leptos.sites;
      each = prefix: f: set: lib.mapAttrs' (name: value: lib.nameValuePair "\${prefix}-\${name}" (f value)) set;
    in
    {
      testData = {
        wasmCrates = lib.attrNames wasm.crates;
        leptosCrates = leptos.crateNames;
        sites = lib.attrNames leptos.sites;
        shellPackages = map (p: p.name) leptos.shellPackages;
        apps = lib.mapAttrs (_: site: site.app.program) stubbed;
        trunkApps = trunk.crateNames;
        trunkShellPackages = map (p: p.name) trunk.shellPackages;
      };
      packages.\${system} =
        lib.mapAttrs (
          name: crate:
          wasmPkg {
            inherit name;
            inherit (crate) version;
            wasm = wasmBuilds.\${name};
          }
        ) wasm.crates
        // each "server" (s: s.server) leptos.sites
        // each "front-wasm" (s: s.frontWasm) leptos.sites
        // each "front" (s: s.front) leptos.sites
        // each "real-site" (s: s.package) leptos.sites
        // each "site" (s: s.package) stubbed
        // each "launcher" (s: s.launcher) stubbed
        // each "image" (s: s.image) stubbed
        // each "dist" (dist: dist) trunk.apps;
    };
}
`;

interface TestData {
  wasmCrates: string[];
  leptosCrates: string[];
  sites: string[];
  shellPackages: string[];
  apps: Record<string, string>;
  trunkApps: string[];
  trunkShellPackages: string[];
}

interface Harness {
  dir: string;
  data: TestData;
  packages: Record<string, DrvInfo>;
}

/** A fixture copy with the library files and the harness flake, in a git repository. */
function harness(
  nix: Nix,
  fixture: string,
  edit?: (dir: string) => void,
  { summarise = true }: { summarise?: boolean } = {},
): Harness {
  const dir = copyToTemp(path.join(FIXTURES, fixture), 'artefacts');
  edit?.(dir);
  fs.mkdirSync(path.join(dir, 'nix'), { recursive: true });
  const files: [string, string][] = [
    ['workspace.nix', WORKSPACE_NIX],
    ['wasm.nix', WASM_NIX],
    ['wasm-pkg.nix', WASM_PKG_NIX],
    ['leptos.nix', LEPTOS_NIX],
    ['trunk.nix', TRUNK_NIX],
  ];
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, 'nix', name), text);
  fs.writeFileSync(path.join(dir, 'flake.nix'), HARNESS_FLAKE);
  gitInit(dir);
  // Said again on the command line: the configuration of every call refuses it too (helpers/nix.ts).
  const data = JSON.parse(
    runNix(nix, 'nix', [
      'eval',
      '--json',
      '--option',
      'allow-import-from-derivation',
      'false',
      ...flakeArgs(dir),
      `git+file://${dir}#testData`,
    ]),
  ) as TestData;
  return { dir, data, packages: summarise ? derivations(nix, dir, 'packages') : {} };
}

function drv(h: Harness, name: string): DrvInfo {
  const info = h.packages[name];
  assert.ok(info, `packages.${name} exists; there are ${Object.keys(h.packages).join(', ')}`);
  return info;
}

function build(nix: Nix, h: Harness, name: string): string {
  return buildFlake(nix, h.dir, `packages.x86_64-linux.${name}`);
}

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => !fs.statSync(path.join(dir, f)).isDirectory())
    .sort();
}

function firstLine(file: string): string {
  return fs.readFileSync(file, 'utf8').split('\n')[0] ?? '';
}

function leptosEnv(info: DrvInfo): Record<string, unknown> {
  return Object.fromEntries(Object.entries(info.env).filter(([k]) => k.startsWith('LEPTOS_')));
}

/** The recorded crane call and its dependency artifacts' agree: cargo reuses artifacts only then. */
function assertCraneBuild(info: DrvInfo, args: string[]): void {
  assert.equal(info.env['craneFunction'], 'buildPackage');
  assert.deepEqual(cargoArgs(info), args);
  assert.equal(info.env['doCheck'], false, `${info.name}: no tests`);
  assert.ok(info.artifacts, `${info.name} has dependency artifacts of its own`);
  assert.equal(info.artifacts.env['craneFunction'], 'buildDepsOnly');
  assert.deepEqual(cargoArgs(info.artifacts), args, `${info.name}: artifacts built with the same arguments`);
  assert.deepEqual(
    leptosEnv(info.artifacts),
    leptosEnv(info),
    `${info.name}: and the same LEPTOS_* variables`,
  );
}

interface ImageConfig {
  Cmd: string[];
  Env: string[];
  ExposedPorts: Record<string, unknown>;
}

function imageConfig(info: DrvInfo): ImageConfig {
  return JSON.parse(envString(info, 'imageConfig')) as ImageConfig;
}

function runLauncher(launcher: string, env: Record<string, string>): string {
  const result = spawnSync(launcher, [], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', ...env } });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

/** TypeScript's own diagnostics for `source`, resolved as a Node ES module next to `dir`. */
function typeCheck(dir: string, source: string): string[] {
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  fs.writeFileSync(file, source);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

forEachNix('wasm-bindgen packages and Leptos sites (nix/wasm-pkg.nix, nix/leptos.nix)', (nix) => {
  after(removeTempDirs);

  describe('wasm-bindgen-cdylib: the crate as a package TypeScript imports', function () {
    let h: Harness;
    let out: string;
    before(function () {
      h = harness(nix, 'wasm-bindgen-cdylib');
      out = build(nix, h, 'wasm-widget');
    });

    it('is a wasm crate and no Leptos one, as in the TS model', function () {
      assert.deepEqual(h.data.wasmCrates, ['wasm-widget']);
      assert.deepEqual([h.data.leptosCrates, h.data.sites, h.data.shellPackages], [[], [], []]);
      const ws = workspaceAt(h.dir);
      assert.notEqual(ws.packages[0]?.nixify.wasm, null);
      assert.equal(ws.packages[0]?.nixify.leptos, null);
    });

    it("holds wasm-bindgen's files named by the lib name, the .d.ts kept, and a package.json", function () {
      assert.deepEqual(filesUnder(out), [
        'package.json',
        'wasm_widget.d.ts',
        'wasm_widget.js',
        'wasm_widget_bg.wasm',
        'wasm_widget_bg.wasm.d.ts',
      ]);
      const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        [pkg['name'], pkg['version'], pkg['type'], pkg['module'], pkg['main'], pkg['types']],
        ['wasm-widget', '0.1.0', 'module', 'wasm_widget.js', 'wasm_widget.js', 'wasm_widget.d.ts'],
      );
      for (const file of filesUnder(out).filter((f) => f !== 'package.json')) {
        assert.ok((pkg['files'] as string[]).includes(file), `package.json's files list ${file}`);
      }
    });

    it('ran wasm-bindgen --target web on the wasm32 build of the crate', function () {
      const wasm = drv(h, 'wasm-widget').env['wasm'] as string;
      assert.equal(
        firstLine(path.join(out, 'wasm_widget.js')),
        `// wasm-bindgen --target web --out-dir ${out} --out-name wasm_widget ${wasm}/lib/wasm_widget.wasm`,
      );
      assert.equal(
        fs.readFileSync(path.join(wasm, 'nix-support', 'cargo-command'), 'utf8'),
        `cargo build --profile release --locked --target ${WASM32} -p wasm-widget\n`,
      );
    });

    it('type-checks an import of init by path and by package name', function () {
      const project = tempDir('artefacts-ts');
      fs.mkdirSync(path.join(project, 'node_modules'));
      fs.symlinkSync(out, path.join(project, 'node_modules', 'wasm-widget'));
      const ok = typeCheck(
        project,
        `import init from ${JSON.stringify(`${out}/wasm_widget.js`)};\nimport again from 'wasm-widget';\nconst ready: Promise<void> = init();\nvoid ready;\nvoid again;\n`,
      );
      assert.deepEqual(ok, []);
      // The check is real: a wrong type is reported.
      const wrong = typeCheck(
        project,
        `import init from 'wasm-widget';\nconst n: number = init();\nvoid n;\n`,
      );
      assert.equal(wrong.length, 1, wrong.join('\n'));
    });
  });

  describe('leptos-package: [package.metadata.leptos], one package for both halves', function () {
    let h: Harness;
    before(function () {
      h = harness(nix, 'leptos-package');
    });

    it('is a site, not a wasm crate (though a cdylib with wasm-bindgen), as in the TS model', function () {
      assert.deepEqual(h.data.wasmCrates, []);
      assert.deepEqual(h.data.leptosCrates, ['leptos-start']);
      assert.deepEqual(h.data.sites, ['leptos-start']);
      const model = workspaceAt(h.dir).packages[0]?.nixify;
      assert.equal(model?.wasm, null);
      assert.deepEqual(
        model?.leptos?.sites.map((s) => s.output_name),
        h.data.sites,
      );
    });

    it('the dev shell gets cargo-leptos, binaryen, wasm-bindgen and dart-sass (a .scss style file), no tailwindcss', function () {
      const names = h.data.shellPackages.map((n) => n.replace(/-[0-9.]+$/, ''));
      assert.deepEqual(names, ['cargo-leptos', 'binaryen', 'wasm-bindgen-cli', 'dart-sass']);
    });

    it('the server: native, --bin, --no-default-features, the bin-features, the LEPTOS_* variables', function () {
      const server = drv(h, 'server-leptos-start');
      assertCraneBuild(server, [
        '--locked',
        '-p',
        'leptos-start',
        '--bin',
        'leptos-start',
        '--no-default-features',
        '--features',
        'ssr',
      ]);
      assert.deepEqual(leptosEnv(server), {
        LEPTOS_BIN_DIR: '.',
        LEPTOS_LIB_DIR: '.',
        LEPTOS_OUTPUT_NAME: 'leptos-start',
        LEPTOS_RELOAD_PORT: '3001',
        LEPTOS_SITE_ADDR: '127.0.0.1:3000',
        LEPTOS_SITE_PKG_DIR: 'pkg',
        LEPTOS_SITE_ROOT: 'target/site',
      });
      assert.equal(server.meta['mainProgram'], 'leptos-start');
      // The real site package is made of this server.
      assert.equal(drv(h, 'real-site-leptos-start').env['server'], server.out);
    });

    it('the front: wasm32, --lib, --no-default-features, the lib-features', function () {
      assertCraneBuild(drv(h, 'front-wasm-leptos-start'), [
        '--locked',
        '--target',
        WASM32,
        '--lib',
        '-p',
        'leptos-start',
        '--no-default-features',
        '--features',
        'hydrate',
      ]);
    });

    it('the site: bin/<server>, the assets, pkg/ with the bound and optimised wasm and the compiled stylesheet', function () {
      const out = build(nix, h, 'site-leptos-start');
      assert.deepEqual(filesUnder(out), [
        'bin/leptos-start',
        'site/pkg/leptos-start.css',
        'site/pkg/leptos-start.js',
        'site/pkg/leptos-start_bg.wasm',
        'site/robots.txt',
      ]);
      const front = drv(h, 'front-leptos-start').out;
      const frontWasm = drv(h, 'front-wasm-leptos-start').out;
      const bindgen = `wasm-bindgen --target web --out-dir ${front} --out-name leptos-start --no-typescript ${frontWasm}/lib/leptos_start.wasm`;
      assert.equal(firstLine(path.join(out, 'site/pkg/leptos-start.js')), `// ${bindgen}`);
      const wasm = fs.readFileSync(path.join(out, 'site/pkg/leptos-start_bg.wasm'), 'utf8');
      assert.match(
        wasm,
        /placeholder wasm32 build of leptos_start: cargo build --locked --target wasm32-unknown-unknown --lib/,
      );
      assert.ok(
        wasm.includes(`wasm-opt -Oz ${front}/leptos-start_bg.wasm -o ${front}/leptos-start_bg.wasm`),
        wasm,
      );
      const css = fs.readFileSync(path.join(out, 'site/pkg/leptos-start.css'), 'utf8');
      assert.match(
        css,
        /^\/\* sass --no-source-map --style=compressed \/nix\/store\/[0-9a-z]{32}-main\.scss /,
      );
      assert.ok(css.includes('font-family: sans-serif;'), css);
      assert.equal(fs.readFileSync(path.join(out, 'site/robots.txt'), 'utf8'), 'User-agent: *\n');
    });

    it('the app runs the server with the site in the store and the address of the metadata, which the environment overrides', function () {
      const site = build(nix, h, 'site-leptos-start');
      const launcher = build(nix, h, 'launcher-leptos-start');
      assert.equal(h.data.apps['leptos-start'], `${launcher}/bin/leptos-start`);
      assert.equal(
        runLauncher(`${launcher}/bin/leptos-start`, {}),
        `stand-in server: ${site}/site 127.0.0.1:3000 leptos-start`,
      );
      assert.equal(
        runLauncher(`${launcher}/bin/leptos-start`, { LEPTOS_SITE_ADDR: '0.0.0.0:8000' }),
        `stand-in server: ${site}/site 0.0.0.0:8000 leptos-start`,
      );
    });

    it('the image: the site inside, the server as Cmd, listening on every interface', function () {
      const image = drv(h, 'image-leptos-start');
      const site = drv(h, 'site-leptos-start').out;
      assert.deepEqual(imageConfig(image), {
        Cmd: [`${site}/bin/leptos-start`],
        Env: [
          'LEPTOS_OUTPUT_NAME=leptos-start',
          'LEPTOS_SITE_PKG_DIR=pkg',
          `LEPTOS_SITE_ROOT=${site}/site`,
          'LEPTOS_SITE_ADDR=0.0.0.0:3000',
        ],
        ExposedPorts: { '3000/tcp': {} },
      });
      assert.deepEqual(image.env['imageContents'], [site]);
      assert.equal(image.env['imageName'], 'leptos-start');
    });
  });

  describe('leptos-workspace: [[workspace.metadata.leptos]] with a tailwind input and a sass style file', function () {
    let h: Harness;
    before(function () {
      h = harness(nix, 'leptos-workspace', (dir) => {
        // Keys appended to the fixture's one [[workspace.metadata.leptos]] entry.
        fs.appendFileSync(
          path.join(dir, 'Cargo.toml'),
          'tailwind-input-file = "style/tailwind.css"\nbin-features = ["ssr"]\nlib-features = ["hydrate"]\nlib-default-features = true\nsite-addr = "127.0.0.1:8080"\nreload-port = 8081\n',
        );
        fs.writeFileSync(path.join(dir, 'style/tailwind.css'), '@tailwind base;\n');
        fs.writeFileSync(path.join(dir, 'tailwind.config.js'), 'export default { content: ["**/*.rs"] };\n');
      });
    });

    it('bin-package and lib-package are the site, the library they share is not; no wasm crate; as in the TS model', function () {
      assert.deepEqual(h.data.wasmCrates, []);
      assert.deepEqual([...h.data.leptosCrates].sort(), ['frontend', 'server']);
      assert.deepEqual(h.data.sites, ['shop']);
      const ws = workspaceAt(h.dir);
      const roles = ws.packages.map((p) => [
        p.name,
        p.nixify.leptos?.server ?? false,
        p.nixify.leptos?.front ?? false,
      ]);
      assert.deepEqual(roles, [
        ['app', false, false],
        ['frontend', false, true],
        ['server', true, false],
      ]);
      assert.ok(ws.packages.every((p) => p.nixify.wasm === null));
      assert.deepEqual(
        ws.packages.flatMap((p) => p.nixify.leptos?.sites.map((s) => s.output_name) ?? []),
        ['shop', 'shop'],
      );
    });

    it('the dev shell gets tailwindcss too', function () {
      assert.ok(
        h.data.shellPackages.some((n) => n.startsWith('tailwindcss-')),
        h.data.shellPackages.join(' '),
      );
      assert.ok(h.data.shellPackages.some((n) => n.startsWith('dart-sass-')));
    });

    it('the server and the front: each its own package, the front with its default features', function () {
      const server = drv(h, 'server-shop');
      assertCraneBuild(server, [
        '--locked',
        '-p',
        'server',
        '--bin',
        'server',
        '--no-default-features',
        '--features',
        'ssr',
      ]);
      assert.deepEqual(leptosEnv(server), {
        LEPTOS_BIN_DIR: 'server',
        LEPTOS_LIB_DIR: 'frontend',
        LEPTOS_OUTPUT_NAME: 'shop',
        LEPTOS_RELOAD_PORT: '8081',
        LEPTOS_SITE_ADDR: '127.0.0.1:8080',
        LEPTOS_SITE_PKG_DIR: 'pkg',
        LEPTOS_SITE_ROOT: 'target/site',
      });
      const front = drv(h, 'front-wasm-shop');
      assertCraneBuild(front, [
        '--locked',
        '--target',
        WASM32,
        '--lib',
        '-p',
        'frontend',
        '--features',
        'hydrate',
      ]);
      assert.deepEqual(leptosEnv(front), leptosEnv(server));
    });

    it('the site: pkg/shop.css is tailwind (with its config, minified) followed by the compiled sass', function () {
      const out = build(nix, h, 'site-shop');
      assert.deepEqual(filesUnder(out), [
        'bin/server',
        'site/pkg/shop.css',
        'site/pkg/shop.js',
        'site/pkg/shop_bg.wasm',
      ]);
      const css = fs.readFileSync(path.join(out, 'site/pkg/shop.css'), 'utf8').split('\n');
      assert.match(
        css[0] ?? '',
        /^\/\* tailwindcss --input \/nix\/store\/[0-9a-z]{32}-tailwind\.css --output \S+ --minify --config \/nix\/store\/[0-9a-z]{32}-tailwind\.config\.js \*\/$/,
      );
      assert.equal(css[1], '@tailwind base;');
      assert.match(css[2] ?? '', /^\/\* sass .*-main\.scss /);
      assert.equal(css[3], '$accent: #b85;');
      assert.match(
        firstLine(path.join(out, 'site/pkg/shop.js')),
        / --out-name shop --no-typescript .*\/lib\/frontend\.wasm$/,
      );
    });

    it('a bin-package without a binary stops the evaluation of the server with a message', function () {
      const broken = harness(
        nix,
        'leptos-workspace',
        (dir) => {
          const manifest = path.join(dir, 'Cargo.toml');
          fs.writeFileSync(
            manifest,
            fs.readFileSync(manifest, 'utf8').replace('bin-package = "server"', 'bin-package = "app"'),
          );
        },
        { summarise: false },
      );
      assert.deepEqual([...broken.data.leptosCrates].sort(), ['app', 'frontend']);
      assert.throws(
        // Through --apply: Nix 2.8 reports a throw inside an installable's attribute path as "not an
        // attribute set" instead of the message.
        () => evalFlake(nix, broken.dir, 'packages.x86_64-linux', 'ps: ps.server-shop.drvPath'),
        /Leptos site shop: its bin-package app has no binary target to serve it/,
      );
    });

    it('the image listens on the port of site-addr', function () {
      const config = imageConfig(drv(h, 'image-shop'));
      assert.ok(config.Env.includes('LEPTOS_SITE_ADDR=0.0.0.0:8080'), config.Env.join(' '));
      assert.deepEqual(config.ExposedPorts, { '8080/tcp': {} });
      assert.deepEqual(config.Cmd, [`${drv(h, 'site-shop').out}/bin/server`]);
    });
  });
  describe("wasm-trunk: crane's buildTrunkPackage on each crate with a Trunk.toml (nix/trunk.nix)", function () {
    let h: Harness;
    let nested: Harness;
    before(function () {
      h = harness(nix, 'wasm-trunk');
      // The same app as a member in a subdirectory of a workspace.
      nested = harness(nix, 'wasm-trunk', (dir) => {
        const member = path.join(dir, 'web');
        fs.mkdirSync(member);
        for (const entry of fs.readdirSync(dir).filter((e) => e !== 'web')) {
          fs.renameSync(path.join(dir, entry), path.join(member, entry));
        }
        fs.writeFileSync(path.join(dir, 'Cargo.toml'), '[workspace]\nresolver = "2"\nmembers = ["web"]\n');
      });
    });

    it('finds the app, and the dev shell gets trunk', function () {
      assert.deepEqual(h.data.trunkApps, ['trunk-app']);
      assert.deepEqual(nested.data.trunkApps, ['trunk-app']);
      assert.deepEqual(
        h.data.trunkShellPackages.map((n) => n.replace(/-[0-9.]+$/, '')),
        ['trunk'],
      );
      assert.deepEqual([h.data.leptosCrates, h.data.sites], [[], []]);
    });

    it('builds for wasm32 with the locked wasm-bindgen, dependency artifacts for wasm32 first, no tests', function () {
      const dist = drv(h, 'dist-trunk-app');
      assert.equal(dist.env['craneFunction'], 'buildTrunkPackage');
      assert.equal(dist.env['trunkIndexPath'], './index.html');
      assert.equal(dist.env['CARGO_BUILD_TARGET'], WASM32);
      assert.equal(dist.env['doCheck'], false);
      // The one the flake passes (here nixpkgs' own, the stand-in's 0.2.92, which the fixture locks).
      assert.equal(
        envString(dist, 'wasmBindgenCli'),
        standInOutPaths(nix, ['wasm-bindgen-cli'])['wasm-bindgen-cli'],
      );
      const deps = dist.artifacts;
      assert.ok(deps);
      assert.equal(deps.env['craneFunction'], 'buildDepsOnly');
      assert.equal(deps.env['CARGO_BUILD_TARGET'], WASM32);
      assert.equal(deps.env['doCheck'], false);
    });

    it("dist/ holds the app's index.html and trunk's .js and _bg.wasm; trunk ran in the crate's directory", function () {
      const out = build(nix, h, 'dist-trunk-app');
      assert.deepEqual(filesUnder(out), ['index.html', 'trunk_app.js', 'trunk_app_bg.wasm']);
      const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
      assert.ok(index.includes('<title>trunk-app</title>'), index);
      assert.ok(
        index.includes(
          `<!-- trunk build --release ./index.html (in source, CARGO_BUILD_TARGET=${WASM32}) -->`,
        ),
        index,
      );
      const nestedIndex = fs.readFileSync(
        path.join(build(nix, nested, 'dist-trunk-app'), 'index.html'),
        'utf8',
      );
      assert.ok(nestedIndex.includes('(in source/web, '), nestedIndex);
    });
  });
});
