// The dev-shell core against the real Nix (2.8 and 2.26): `nix print-dev-env --profile` evaluation
// of the fixture flakes and shell.nix, the shellHook's exports, equality with `nix develop`, the
// content-keyed cache (zero processes when unchanged, stale on edit, last good kept on failure),
// the profile as a GC root, and cancellation.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyEnvDelta,
  deltaFromBuildEnvironment,
  DevShellEvaluationError,
  evaluateDevShell,
  forgetDevShell,
  isStale,
  listDevShellAttrs,
  loadDevShell,
  parseBuildEnvironment,
  readCachedDevShell,
  usableCachedDevShell,
  shellSourceFor,
  type DevShellEnv,
  type ShellSource,
} from '../../src/core/devenv';
import { isDroppedVariable } from '../../src/core/devenv/variables';
import {
  devenvEnv,
  devenvFixture,
  evalOptions,
  nixDevelopEnvironment,
  processesMentioning,
  storeTool,
  withProcessCount,
} from './helpers/devenv';
import { gitAdd, gitInit } from './helpers/flake';
import { forEachNix, runNix, type Nix } from './helpers/nix';
import { removeTempDirs, tempDir } from './helpers/paths';

const SYSTEM = 'x86_64-linux';
const STORE_PATH = /\/nix\/store\/[0-9a-z]{32}-[^/:]+/g;

function flakeSource(dir: string, attr = 'default'): ShellSource {
  const source = shellSourceFor(dir, { attr, system: SYSTEM });
  assert.ok(source?.kind === 'flake', `${dir} holds a flake`);
  return source;
}

/** The fixture's tool directory on the shell's PATH. */
function toolBin(env: DevShellEnv): string {
  const entry = env.delta.prepend['PATH']?.split(':').find((e) => e.endsWith('-devenv-fixture-tool/bin'));
  assert.ok(entry, `the tool's bin is on PATH: ${env.delta.prepend['PATH']}`);
  return entry;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the promise to reject');
}

forEachNix('devenv core', (nix: Nix) => {
  after(removeTempDirs);
  let dir: string;
  let storage: string;
  let evaluated: DevShellEnv;

  before(async function () {
    this.timeout(120_000);
    dir = devenvFixture('rust-project', 'project');
    storage = tempDir('devenv-storage');
    evaluated = await evaluateDevShell(flakeSource(dir), evalOptions(nix, storage));
  });

  it("evaluates the flake's shell: its variables, the tool's bin on PATH, and the shellHook's exports, overrides and unsets", () => {
    const { set, prepend, unset } = evaluated.delta;
    assert.equal(set['GREETING'], 'hello from the dev shell');
    assert.equal(set['TRICKY_VALUE'], 'line one\nit\'s "quoted" $NOT_EXPANDED `not run`');
    assert.equal(set['HOOK_VAR'], 'set by the shellHook');
    assert.equal(set['HOOK_OVERRIDES'], 'set by the shellHook');
    assert.equal(set['GREETED'], 'hello, shellHook', 'the hook can call the shell’s bash functions');
    assert.equal(set['HOOK_SAW_TOOL'], 'devenv-fixture-tool ran', 'the hook runs with the shell’s PATH');
    assert.deepEqual(unset, ['DROPPED_BY_HOOK', 'UNSET_ME']);
    assert.ok(!('DROPPED_BY_HOOK' in set));
    const pathEntries = (prepend['PATH'] ?? '').split(':');
    assert.equal(pathEntries[0], path.join(dir, '.hook-bin'), 'the hook’s PATH entry comes first');
    assert.equal(pathEntries.length, 2, `only the hook's and the tool's entries: ${prepend['PATH']}`);
    assert.match(prepend['XDG_DATA_DIRS'] ?? '', /-devenv-fixture-tool\/share$/);
    for (const leftover of [
      'HOME',
      'TMP',
      'TMPDIR',
      'TEMP',
      'TEMPDIR',
      'NIX_BUILD_TOP',
      'out',
      'builder',
      'SHELL',
      'BASH',
      'LINENO',
      'PWD',
      'SHLVL',
      'shellHook',
    ]) {
      assert.ok(
        !(leftover in set) && !(leftover in prepend),
        `${leftover} is a leftover, not part of the delta`,
      );
    }
    for (const value of Object.values(set)) {
      assert.ok(!value.includes('shellHook output'), 'what the hook printed is not in the environment');
    }
    assert.match(evaluated.nixVersion, new RegExp(`^nix \\(Nix\\) ${nix.version.join('\\.')}`));
    assert.match(evaluated.key, /^[0-9a-f]{64}$/);
  });

  it("puts a runnable tool on PATH: the shell's tool runs with the delta applied to the user's environment", () => {
    const env = applyEnvDelta(process.env, evaluated.delta);
    const result = spawnSync('devenv-fixture-tool', [], { env, encoding: 'utf8' });
    assert.equal(result.stdout, 'devenv-fixture-tool ran\n');
    assert.ok(env['PATH']?.endsWith(`:${process.env['PATH']}`), "the user's PATH stays, after the shell's");
  });

  it('equals what the real `nix develop` gives a command, apart from the dropped sandbox and bash variables', () => {
    const baseline = devenvEnv(nix);
    const ours = applyEnvDelta(baseline, evaluated.delta);
    const theirs = nixDevelopEnvironment(nix, dir, [`${dir}#devShells.${SYSTEM}.default`]);
    const differences: string[] = [];
    for (const name of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      if (isDroppedVariable(name, new Set(['out']))) continue;
      if (ours[name] !== theirs[name])
        differences.push(
          `${name}: ours ${ours[name] === undefined ? 'unset' : 'set'}, nix develop ${theirs[name] === undefined ? 'unset' : 'set'}`,
        );
    }
    assert.deepEqual(differences, []);
    // What was left out really is sandbox state, bash's own, or the hook's source.
    const dropped = Object.keys(theirs).filter((name) => !(name in ours) && name !== 'UNSET_ME');
    for (const name of dropped) assert.ok(isDroppedVariable(name, new Set(['out'])), `${name} was dropped`);
  });

  it('runs no shell for a shell without a shellHook: the delta is the JSON alone (one nix print-dev-env, one nix --version)', async () => {
    const { result, started } = await withProcessCount(() =>
      evaluateDevShell(flakeSource(dir, 'plain'), evalOptions(nix, storage)),
    );
    assert.deepEqual(
      started
        .map(
          (p) =>
            `${path.basename(p.file)} ${p.args.includes('print-dev-env') ? 'print-dev-env' : p.args.join(' ')}`,
        )
        .sort(),
      ['nix --version', 'nix print-dev-env'],
    );
    const json = runNix(nix, 'nix', ['print-dev-env', '--json', `${dir}#devShells.${SYSTEM}.plain`], dir);
    assert.deepEqual(result.delta, deltaFromBuildEnvironment(parseBuildEnvironment(json), dir));
    assert.equal(result.delta.set['GREETING'], 'hello from the dev shell');
    assert.equal(result.delta.set['HOOK_VAR'], undefined);
  });

  it('lists the devShells of the current system with one nix eval, and none for a flake without them', async () => {
    const { result, started } = await withProcessCount(() =>
      listDevShellAttrs(flakeSource(dir), evalOptions(nix, storage)),
    );
    assert.deepEqual(result, ['default', 'plain']);
    assert.equal(started.length, 1);
    const bare = tempDir('devenv-bare');
    fs.writeFileSync(path.join(bare, 'flake.nix'), '{ outputs = { self }: { }; }\n');
    gitInit(bare);
    assert.deepEqual(await listDevShellAttrs(flakeSource(bare), evalOptions(nix, storage)), []);
  });

  it('loads from the cache with zero nix processes when the files are unchanged (cache-first)', async () => {
    const source = flakeSource(dir);
    const { result, started } = await withProcessCount(() =>
      loadDevShell(source, { ...evalOptions(nix, storage), policy: 'cache-first' }),
    );
    assert.deepEqual(started, [], 'no process at all');
    assert.equal(result.fromCache, true);
    assert.equal(result.stale, false);
    assert.deepEqual(result.env, readCachedDevShell(source, storage));
    assert.deepEqual(result.env.delta, evaluated.delta);
  });

  it('marks the cached environment stale when flake.nix is edited, still without starting nix', async () => {
    const copy = devenvFixture('rust-project', 'stale');
    const source = flakeSource(copy);
    const env = await evaluateDevShell(source, evalOptions(nix, storage));
    assert.equal(await isStale(env, evalOptions(nix, storage)), false);
    fs.appendFileSync(path.join(copy, 'flake.nix'), '# an edit\n');
    // What the editor applies before it asks whether the files changed.
    assert.deepEqual(usableCachedDevShell(source, storage), env, 'a stale cache is still applicable');
    const { result, started } = await withProcessCount(() =>
      loadDevShell(source, { ...evalOptions(nix, storage), policy: 'cache-first' }),
    );
    assert.deepEqual(started, []);
    assert.equal(result.stale, true);
    assert.equal(await isStale(env, evalOptions(nix, storage)), true);
    const fresh = await loadDevShell(source, { ...evalOptions(nix, storage), policy: 'evaluate' });
    assert.equal(fresh.fromCache, false);
    assert.notEqual(fresh.env.key, env.key);
    assert.equal(await isStale(fresh.env, evalOptions(nix, storage)), false);
  });

  it("keeps the last good environment when the flake breaks, and says why in Nix's own words", async () => {
    const copy = devenvFixture('rust-project', 'broken');
    const source = flakeSource(copy);
    const good = await evaluateDevShell(source, evalOptions(nix, storage));
    fs.writeFileSync(path.join(copy, 'flake.nix'), '{ outputs = { self }: { devShells = ; }; }\n');
    gitAdd(copy);
    const error = await rejection(evaluateDevShell(source, evalOptions(nix, storage)));
    assert.ok(error instanceof DevShellEvaluationError, String(error));
    assert.match(error.message, /^error: syntax error/);
    assert.equal(error.cancelled, false);
    assert.deepEqual(
      readCachedDevShell(source, storage),
      good,
      'the cache still holds the last good environment',
    );
    assert.ok(fs.existsSync(good.profile), 'and its GC root');
    const loaded = await loadDevShell(source, { ...evalOptions(nix, storage), policy: 'cache-first' });
    assert.deepEqual([loaded.fromCache, loaded.stale, loaded.env.key], [true, true, good.key]);
  });

  it('evaluates shell.nix through --file, hook included, with no PATH entries from a shell that sets none', async () => {
    const copy = devenvFixture('shell-nix', 'shell-nix');
    const source = shellSourceFor(copy, { system: SYSTEM });
    assert.equal(source?.kind, 'shell.nix');
    const loaded = await loadDevShell(source, { ...evalOptions(nix, storage), policy: 'cache-first' });
    assert.equal(loaded.fromCache, false, 'nothing was cached yet');
    assert.equal(loaded.env.delta.set['FROM_SHELL_NIX'], 'set by shell.nix');
    assert.equal(loaded.env.delta.set['SHELL_NIX_HOOK'], 'ran');
    assert.deepEqual(loaded.env.delta.prepend, {}, "the sandbox's /path-not-set is not an entry");
  });

  it('roots the closure: `nix-store --gc --print-roots` lists the profile, and `nix-store --delete` refuses the shell’s tool while it exists', async () => {
    const copy = devenvFixture('rust-project', 'gcroot');
    const source = flakeSource(copy);
    const env = await evaluateDevShell(source, evalOptions(nix, storage));
    const target = fs.realpathSync(env.profile);
    const roots = () => storeTool(nix, 'nix-store', ['--gc', '--print-roots']).stdout;
    const rootLine = roots()
      .split('\n')
      .find((line) => line.startsWith(`${path.dirname(env.profile)}/`));
    assert.ok(rootLine?.endsWith(` -> ${target}`), `the profile generation is a GC root: ${rootLine}`);
    const closure = storeTool(nix, 'nix-store', ['--query', '--requisites', target]).stdout.split('\n');
    const tool = path.dirname(toolBin(env));
    assert.ok(closure.includes(tool), "the tool is in the environment's closure");
    const deletion = storeTool(nix, 'nix-store', ['--delete', tool]);
    assert.notEqual(deletion.status, 0, 'nix-store --delete must refuse a live path');
    assert.match(deletion.stderr, /still alive/);
    assert.equal(
      storeTool(nix, 'nix-store', ['--check-validity', tool, target]).status,
      0,
      'both paths are still valid',
    );

    forgetDevShell(source, storage);
    assert.equal(readCachedDevShell(source, storage), undefined);
    assert.ok(!roots().includes(`${path.dirname(env.profile)}/`), 'forgetting removes the GC root');
  });

  it('re-evaluates on cache-first when the profile link is gone (its store path may have been collected)', async () => {
    const copy = devenvFixture('rust-project', 'relink');
    const source = flakeSource(copy);
    const env = await evaluateDevShell(source, evalOptions(nix, storage));
    for (const name of fs.readdirSync(path.dirname(env.profile))) {
      if (name.startsWith('profile')) fs.rmSync(path.join(path.dirname(env.profile), name));
    }
    assert.equal(usableCachedDevShell(source, storage), undefined, 'nothing to apply without its profile');
    const loaded = await loadDevShell(source, { ...evalOptions(nix, storage), policy: 'cache-first' });
    assert.equal(loaded.fromCache, false);
    assert.ok(fs.existsSync(loaded.env.profile));
  });

  it('keeps one profile generation: re-evaluating does not pile up GC roots', async () => {
    const source = flakeSource(dir);
    await evaluateDevShell(source, evalOptions(nix, storage));
    const env = await evaluateDevShell(source, evalOptions(nix, storage));
    const links = fs.readdirSync(path.dirname(env.profile)).filter((name) => name.startsWith('profile-'));
    assert.equal(links.length, 1, links.join(' '));
  });

  it('cancels: aborting kills nix and its build, rejects as cancelled, and leaves no process behind', async function () {
    this.timeout(60_000);
    const slow = tempDir('devenv-slow');
    // A unique sleep, so that the build (and its processes) can be found, and never comes from a cache.
    const seconds = `${90 + Math.floor(Math.random() * 9)}.${process.pid}${Date.now() % 100000}`;
    fs.writeFileSync(
      path.join(slow, 'flake.nix'),
      `{ outputs = { self }: { devShells.${SYSTEM}.default = derivation {
          name = "devenv-slow"; system = "${SYSTEM}"; builder = "/bin/bash"; outputs = [ "out" ];
          SLOW = derivation { name = "devenv-slow-dep"; system = "${SYSTEM}"; builder = "/bin/sh";
            args = [ "-c" "/bin/sleep ${seconds}; echo > $out" ]; };
        }; }; }\n`,
    );
    gitInit(slow);
    const controller = new AbortController();
    let evaluation: Promise<DevShellEnv> | undefined;
    const building = new Promise<void>((resolve) => {
      const opts = {
        ...evalOptions(nix, storage),
        signal: controller.signal,
        onStderrLine: (line: string) => {
          if (line.includes('devenv-slow-dep')) resolve();
        },
      };
      evaluation = evaluateDevShell(flakeSource(slow), opts);
    });
    await building;
    // Wait until the builder really runs, then cancel.
    for (let i = 0; i < 100 && processesMentioning(`sleep ${seconds}`).length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.notDeepEqual(processesMentioning(`sleep ${seconds}`), [], 'the build was running');
    controller.abort();
    const error = await rejection(evaluation as Promise<DevShellEnv>);
    assert.ok(error instanceof DevShellEvaluationError && error.cancelled, String(error));
    let left: string[] = [];
    for (let i = 0; i < 60; i++) {
      left = [...processesMentioning(slow), ...processesMentioning(`sleep ${seconds}`)];
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(left, [], 'no nix, builder or sleep process is left');
    assert.equal(readCachedDevShell(flakeSource(slow), storage), undefined);
  });

  it('store paths in the cached delta are real: every one exists', () => {
    for (const value of [...Object.values(evaluated.delta.set), ...Object.values(evaluated.delta.prepend)]) {
      for (const storePath of value.match(STORE_PATH) ?? []) assert.ok(fs.existsSync(storePath), storePath);
    }
  });
});
