// One flake for a whole repository (issue 13): separate packages with `../` path dependencies, and a
// root workspace beside a separate Leptos package (own Cargo.lock, nightly toolchain file) and a
// standalone package whose crate shares a name with a root member. The flakes evaluate without
// import-from-derivation, name every output as src/core/flake/projects.ts says, give each project
// its own Cargo.lock and toolchain, keep rebuilds minimal across projects, and the stand-in crane
// really builds a binary whose path dependency lives in another project.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { detectWorkspaces } from '../../src/core/cargo';
import { crateOutputNames, defaultOptions, flakeProjects, planRepository } from '../../src/core/flake';
import {
  buildFlake,
  checkFlake,
  derivations,
  envString,
  evalFlake,
  flakeArgs,
  gitAdd,
  gitInit,
  type DrvInfo,
} from './helpers/flake';
import { forEachNix, runNix, type Nix } from './helpers/nix';
import { FIXTURES, removeTempDirs } from './helpers/paths';
import { copyToTemp, NIXIFY_VERSION } from './helpers/workspace';

/** Copies a fixture, plans one flake for every project in it, writes it and tracks it in git. */
function nixifyRepository(fixture: string) {
  const root = copyToTemp(path.join(FIXTURES, fixture), 'repository');
  const { workspaces } = detectWorkspaces(root, {});
  const plan = planRepository(
    { root, workspaces },
    { ...defaultOptions(workspaces), ci: false, oci: true },
    NIXIFY_VERSION,
  );
  for (const file of plan.files) {
    fs.mkdirSync(path.dirname(path.join(root, file.path)), { recursive: true });
    fs.writeFileSync(path.join(root, file.path), file.content);
  }
  gitInit(root);
  return { root, plan, workspaces, outputs: crateOutputNames(flakeProjects(root, workspaces)) };
}

const names = (set: Record<string, unknown>) => Object.keys(set).sort();

/** The .drv of every check, to compare before and after an edit. */
function checkDrvs(nix: Nix, root: string): Record<string, string> {
  return evalFlake<Record<string, string>>(
    nix,
    root,
    'checks.x86_64-linux',
    'cs: builtins.mapAttrs (_: c: c.drvPath) cs',
  );
}

function changedAfter(nix: Nix, root: string, file: string, before: Record<string, string>): string[] {
  fs.appendFileSync(path.join(root, file), '\n// edited\n');
  gitAdd(root);
  const after = checkDrvs(nix, root);
  return Object.keys(after)
    .filter((name) => after[name] !== before[name])
    .sort();
}

/** `nix eval` refusing import-from-derivation: the crate graph must come from the files alone. */
function evalWithoutIfd(nix: Nix, root: string, attr: string): void {
  const args = ['eval', '--json', '--option', 'allow-import-from-derivation', 'false', ...flakeArgs(root)];
  runNix(nix, 'nix', [...args, `git+file://${root}#${attr}`, '--apply', 'xs: builtins.attrNames xs']);
}

forEachNix('one flake for a repository of several Cargo projects', (nix) => {
  after(removeTempDirs);

  describe('separate packages app, cats and wasm, each with its own Cargo.lock; app and wasm use ../cats', () => {
    let repo: ReturnType<typeof nixifyRepository>;
    before(function () {
      this.timeout(300_000);
      repo = nixifyRepository('separate-packages');
    });

    it('plans every project and names outputs after the crates', () => {
      assert.deepEqual(
        repo.plan.projects.map((p) => [p.dir, p.key]),
        [
          ['app', 'app'],
          ['cats', 'cats'],
          ['wasm', 'wasm'],
        ],
      );
      assert.deepEqual(repo.plan.leftOut, []);
    });

    it('evaluates (nix flake check --no-build) without import-from-derivation', function () {
      this.timeout(300_000);
      checkFlake(nix, repo.root);
      evalWithoutIfd(nix, repo.root, 'checks.x86_64-linux');
    });

    it('has one dev shell per project, packages per crate, checks per crate and per project', function () {
      this.timeout(300_000);
      assert.deepEqual(
        names(evalFlake(nix, repo.root, 'devShells.x86_64-linux', 'builtins.mapAttrs (_: _: 1)')),
        ['app', 'cats', 'default', 'wasm'],
      );
      const checks = derivations(nix, repo.root, 'checks');
      for (const project of ['app', 'cats', 'wasm']) {
        for (const check of ['clippy', 'fmt', 'test', 'doc'])
          assert.ok(checks[`${project}-${check}`], `${project}-${check}`);
      }
      assert.ok(checks['app'] && checks['cats'] && checks['wasm']);
      const packages = derivations(nix, repo.root, 'packages');
      assert.deepEqual(names(packages), [
        'app',
        'app-image',
        'default',
        'wasm',
        'wasm-bindgen-cli',
        'wasm-pkg',
      ]);
      assert.equal(
        packages['default']?.drv,
        packages['app']?.drv,
        'the primary project (app) gives the default package',
      );
    });

    it("builds each project in its own directory from its own Cargo.lock, with ../cats in app's source", function () {
      this.timeout(300_000);
      const checks = derivations(nix, repo.root, 'checks');
      const app = checks['app'] as DrvInfo;
      // The assembled source is a derivation (nixpkgs' runCommandLocal): build it to look inside.
      const src = buildFlake(nix, repo.root, 'checks.x86_64-linux.app.src');
      assert.ok(fs.existsSync(path.join(src, 'cats', 'src', 'lib.rs')), 'cats is in app’s source');
      assert.ok(fs.existsSync(path.join(src, 'app', 'Cargo.lock')));
      assert.ok(!fs.existsSync(path.join(src, 'wasm')), 'another project’s files are not');
      assert.match(envString(app, 'postUnpack'), /cd "\$sourceRoot"\/'app'\nsourceRoot=\.\n/);
      const vendor = envString(app.artifacts as DrvInfo, 'cargoVendorDir');
      assert.ok(vendor.length > 0);
      const clippy = checks['app-clippy'] as DrvInfo;
      assert.equal(
        clippy.artifacts?.drv,
        app.artifacts?.drv,
        'the crate and the project checks share the artifacts',
      );
    });

    it('rebuilds exactly the edited crate and its dependents, across projects', function () {
      this.timeout(300_000);
      const before = checkDrvs(nix, repo.root);
      const changed = changedAfter(nix, repo.root, 'cats/src/lib.rs', before);
      const expected = ['app', 'cats', 'wasm']
        .flatMap((p) => [p, `${p}-clippy`, `${p}-doc`, `${p}-fmt`, `${p}-test`])
        .sort();
      assert.deepEqual(changed, expected);
      const again = checkDrvs(nix, repo.root);
      assert.deepEqual(changedAfter(nix, repo.root, 'app/src/main.rs', again), [
        'app',
        'app-clippy',
        'app-doc',
        'app-fmt',
        'app-test',
      ]);
    });

    it('really builds app, whose path dependency is another project, with the machine’s cargo', function () {
      this.timeout(600_000);
      const out = buildFlake(nix, repo.root, 'packages.x86_64-linux.app');
      const run = spawnSync(path.join(out, 'bin', 'app'), { encoding: 'utf8' });
      assert.equal(run.stdout.trim(), 'meow');
    });
  });

  describe('a root workspace, a separate Leptos package with a nightly toolchain file, and a standalone package', () => {
    let repo: ReturnType<typeof nixifyRepository>;
    before(function () {
      this.timeout(300_000);
      repo = nixifyRepository('repo-with-site');
    });

    it('names the crates two projects share <project>-<crate>, and says so', () => {
      assert.equal(repo.outputs.get('workspace')?.get('cli'), 'workspace-cli');
      assert.equal(repo.outputs.get('tools-standalone')?.get('cli'), 'tools-standalone-cli');
      assert.equal(repo.outputs.get('workspace')?.get('core-lib'), 'core-lib');
      assert.ok(repo.plan.followUps.some((n) => n.includes('workspace-cli and tools-standalone-cli')));
    });

    it('evaluates (nix flake check --no-build) without import-from-derivation', function () {
      this.timeout(300_000);
      checkFlake(nix, repo.root);
      evalWithoutIfd(nix, repo.root, 'checks.x86_64-linux');
    });

    it('gives each project its own outputs, and the root project the defaults and the plain check names', function () {
      this.timeout(300_000);
      const checks = derivations(nix, repo.root, 'checks');
      for (const name of [
        'workspace-cli',
        'tools-standalone-cli',
        'core-lib',
        'workspace-clippy',
        'tools-standalone-clippy',
        'leptos-website-clippy',
      ]) {
        assert.ok(checks[name], `checks.${name} in ${names(checks).join(' ')}`);
      }
      assert.ok(!checks['cli'], 'no output takes the shared name alone');
      const shells = derivations(nix, repo.root, 'devShells');
      assert.deepEqual(names(shells), ['default', 'leptos-website', 'tools-standalone', 'workspace']);
      assert.equal(shells['default']?.drv, shells['workspace']?.drv);
      const packages = derivations(nix, repo.root, 'packages');
      assert.ok(packages['leptos-website-site'], `a site package in ${names(packages).join(' ')}`);
      assert.ok(packages['leptos-website-site-image'], 'and its image (oci=yes)');
      const apps = evalFlake<Record<string, unknown>>(
        nix,
        repo.root,
        'apps.x86_64-linux',
        'builtins.mapAttrs (_: a: a.type)',
      );
      assert.equal(apps['leptos-website-site'], 'app');
      const siteShell = JSON.stringify(shells['leptos-website']?.env['packages']);
      assert.match(siteShell, /cargo-leptos/);
      assert.match(siteShell, /binaryen/);
      assert.doesNotMatch(JSON.stringify(shells['workspace']?.env['packages']), /cargo-leptos/);
    });

    it("uses leptos-website's own nightly toolchain for that project only", function () {
      this.timeout(300_000);
      const checks = derivations(nix, repo.root, 'checks');
      const channelOf = (name: string) => JSON.stringify((checks[name] as DrvInfo).toolchains);
      assert.match(channelOf('leptos-website-clippy'), /nightly-2024-08-01|2024-08-01/);
      assert.doesNotMatch(channelOf('workspace-clippy'), /2024-08-01/);
      assert.doesNotMatch(channelOf('tools-standalone-clippy'), /2024-08-01/);
    });

    it('keeps the projects apart: an edit in one rebuilds nothing of the others', function () {
      this.timeout(300_000);
      const before = checkDrvs(nix, repo.root);
      const changed = changedAfter(nix, repo.root, 'crates/core/src/lib.rs', before);
      assert.deepEqual(changed, [
        'core-lib',
        'workspace-cli',
        'workspace-clippy',
        'workspace-doc',
        'workspace-fmt',
        'workspace-test',
      ]);
      const again = checkDrvs(nix, repo.root);
      const site = changedAfter(nix, repo.root, 'leptos-website/src/lib.rs', again);
      assert.ok(site.length > 0 && site.every((n) => n.startsWith('leptos-website')), site.join(' '));
    });

    it('really builds the standalone tool, whose crate name a root member shares', function () {
      this.timeout(600_000);
      const out = buildFlake(nix, repo.root, 'packages.x86_64-linux.tools-standalone-cli');
      assert.equal(spawnSync(path.join(out, 'bin', 'cli'), { encoding: 'utf8' }).stdout.trim(), 'standalone');
      const cli = buildFlake(nix, repo.root, 'packages.x86_64-linux.workspace-cli');
      assert.equal(spawnSync(path.join(cli, 'bin', 'cli'), { encoding: 'utf8' }).stdout.trim(), 'hello');
    });
  });
});
