// The CI plan script (.github/nix-ci-plan.sh) run for real by bash, against the real Nix and a real
// signed file:// binary cache: it must pick exactly what no store and no trusted cache has, count a
// path signed by an untrusted key as not cached, build nothing when everything is cached, and put
// everything in one group when allowed one job.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/run';
import { CI_PLAN_SCRIPT, CI_PLAN_SCRIPT_PATH } from '../../src/core/flake/workflowPlanned';
import { copyToCache, deleteFromStore, generateKey, sign, type SigningKey } from './helpers/binaryCache';
import { buildArgs } from './helpers/cacheScenario';
import { gitInit } from './helpers/flake';
import { forEachNix, nixEnv, runNix, type Nix } from './helpers/nix';
import { removeTempDirs, tempDir } from './helpers/paths';

const LINUX = 'x86_64-linux';

// Every check and package a plain `builtins.derivation` (no inputs: it builds offline). The nonce
// gives each run store paths of its own. packages.never is checks.never's derivation and
// packages.default is checks.local's: the plan names each derivation once.
const FLAKE = `{
  outputs = { self }:
    let
      mk = system: name: extra: builtins.derivation ({
        inherit system name;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [ "-c" "echo \${name} > $out" ];
        nonce = builtins.readFile ./nonce;
      } // extra);
      outputs = system: {
        checks = {
          local = mk system "local" { };
          cached = mk system "cached" { };
          never = mk system "never" { };
          untrusted = mk system "untrusted" { };
          cheap = mk system "cheap" { preferLocalBuild = true; };
          workspace-fmt = mk system "workspace-fmt" { };
        };
        packages = {
          never = mk system "never" { };
          default = mk system "local" { };
        };
      };
      linux = outputs "${LINUX}";
      darwin = outputs "aarch64-darwin";
    in {
      checks.${LINUX} = linux.checks;
      packages.${LINUX} = linux.packages;
      checks.aarch64-darwin = darwin.checks;
      packages.aarch64-darwin = darwin.packages;
    };
}
`;

interface MatrixEntry {
  name: string;
  os: string;
  system: string;
  installables: string;
}

interface PlanResult {
  matrix: { include: MatrixEntry[] };
  count: number;
  cheap: string;
  summary: string;
}

forEachNix('the CI plan script with a real signed binary cache', (nix: Nix) => {
  let dir: string;
  let work: string;
  let trusted: SigningKey;
  let untrusted: SigningKey;
  /** checks.<name> → its output path. */
  const out: Record<string, string> = {};

  const ref = (attr: string) => `git+file://${dir}#${attr}`;
  const cacheConfig = (cache: string) => [
    `substituters = file://${cache}`,
    `trusted-public-keys = ${trusted.publicKey}`,
    'narinfo-cache-negative-ttl = 0',
    'narinfo-cache-positive-ttl = 0',
  ];

  /** Runs the script as CI does (bash, GITHUB_OUTPUT set) with the Nix under test first on PATH. */
  function plan(args: string[], cache: string): PlanResult {
    const outputFile = path.join(work, `github-output-${Date.now()}-${Math.random()}`);
    const base = nixEnv();
    const result = spawnSync('bash', [CI_PLAN_SCRIPT_PATH, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...base,
        NIX_CONFIG: [base['NIX_CONFIG'] ?? '', ...cacheConfig(cache)].join('\n'),
        PATH: `${nix.binDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
        GITHUB_OUTPUT: outputFile,
      },
    });
    assert.equal(result.status, 0, `the plan script failed:\n${result.stderr}`);
    const lines = fs.readFileSync(outputFile, 'utf8').split('\n');
    const value = (key: string) => {
      const line = lines.find((l) => l.startsWith(`${key}=`));
      assert.ok(line !== undefined, `no ${key}= in GITHUB_OUTPUT`);
      return line.slice(key.length + 1);
    };
    return {
      matrix: JSON.parse(value('matrix')) as PlanResult['matrix'],
      count: Number(value('count')),
      cheap: value('cheap'),
      summary: result.stderr,
    };
  }

  const installables = (entries: MatrixEntry[]) => entries.flatMap((e) => e.installables.split(' ')).sort();

  before(function () {
    this.timeout(300_000);
    dir = tempDir('ci-plan');
    work = tempDir('ci-plan-caches');
    fs.writeFileSync(path.join(dir, 'flake.nix'), FLAKE);
    fs.writeFileSync(path.join(dir, 'nonce'), `ci-plan-${process.pid}-${Date.now()}-${Math.random()}\n`);
    fs.mkdirSync(path.join(dir, '.github'));
    fs.writeFileSync(path.join(dir, CI_PLAN_SCRIPT_PATH), CI_PLAN_SCRIPT);
    gitInit(dir);
    trusted = generateKey(nix, work, 'nixify-ci-trusted-1');
    untrusted = generateKey(nix, work, 'nixify-ci-untrusted-1');
    const names = ['local', 'cached', 'never', 'untrusted', 'cheap', 'workspace-fmt'];
    const evaluated = JSON.parse(
      runNix(nix, 'nix', [
        'eval',
        '--json',
        ref(`checks.${LINUX}`),
        '--apply',
        'set: builtins.mapAttrs (_: d: d.outPath) set',
      ]),
    ) as Record<string, string>;
    for (const name of names) out[name] = evaluated[name] ?? assert.fail(`no checks.${name}`);

    // local stays in the store; cached and untrusted go to the cache, signed by the trusted and the
    // untrusted key, and leave the store.
    runNix(nix, 'nix', [
      'build',
      '--no-link',
      ...buildArgs(nix),
      ...['local', 'cached', 'untrusted'].map((n) => ref(`checks.${LINUX}.${n}`)),
    ]);
    sign(nix, trusted, [out['cached'] as string]);
    sign(nix, untrusted, [out['untrusted'] as string]);
    copyToCache(nix, path.join(work, 'cache'), [out['cached'] as string, out['untrusted'] as string]);
    deleteFromStore(nix, [out['cached'] as string, out['untrusted'] as string]);
  });
  after(() => removeTempDirs());

  it('builds exactly the never-built and the untrusted-signed; the cheap ones in the plan job', function () {
    this.timeout(120_000);
    const result = plan(['--system', LINUX], path.join(work, 'cache'));
    assert.deepEqual(installables(result.matrix.include), [
      `.#checks.${LINUX}.never`,
      `.#checks.${LINUX}.untrusted`,
    ]);
    assert.equal(result.count, 2);
    for (const entry of result.matrix.include) {
      assert.equal(entry.os, 'ubuntu-latest');
      assert.equal(entry.system, LINUX);
    }
    assert.deepEqual(result.cheap.split(' ').sort(), [
      `.#checks.${LINUX}.cheap`,
      `.#checks.${LINUX}.workspace-fmt`,
    ]);
    assert.match(
      result.summary,
      /^8 attributes \(6 derivations\): 1 local, 1 cached, 2 cheap \(built by the plan job\), 2 to build in 2 group\(s\)$/m,
    );
    assert.match(
      result.summary,
      new RegExp(`checks\\.${LINUX}\\.untrusted: in a binary cache, but not signed by a trusted key`),
    );
  });

  it("agrees with nixify status --json, Nixify's own classification, on what must be built", async function () {
    this.timeout(120_000);
    const planned = plan(['--system', LINUX], path.join(work, 'cache'));
    const base = nixEnv();
    let stdout = '';
    let stderr = '';
    const code = await runCli(['status', '--json', '--system', LINUX], {
      cwd: dir,
      env: {
        ...base,
        NIX_CONFIG: [base['NIX_CONFIG'] ?? '', ...cacheConfig(path.join(work, 'cache'))].join('\n'),
        PATH: `${nix.binDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      },
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    assert.equal(code, 0, stderr);
    const { derivations } = JSON.parse(stdout) as {
      derivations: { attributes: string[]; status: string; system: string }[];
    };
    const statusOf = (name: string) =>
      derivations.find((d) => d.attributes.includes(`checks.${LINUX}.${name}`))?.status;
    assert.deepEqual(['local', 'cached', 'never', 'untrusted', 'cheap', 'workspace-fmt'].map(statusOf), [
      'local',
      'cached',
      'build',
      'build',
      'build',
      'build',
    ]);
    // The matrix plus the plan job's cheap builds are exactly status's "build" attributes.
    const toBuild = derivations
      .filter((d) => d.status === 'build')
      .map((d) => `.#${d.attributes.find((a) => a.startsWith('checks.')) ?? d.attributes[0] ?? ''}`)
      .sort();
    assert.deepEqual(toBuild, [...installables(planned.matrix.include), ...planned.cheap.split(' ')].sort());
  });

  it('with one job allowed, puts every entry of the system in one group', function () {
    this.timeout(120_000);
    const result = plan(['--system', LINUX, '--max-jobs', '1'], path.join(work, 'cache'));
    assert.equal(result.count, 1);
    assert.equal(result.matrix.include.length, 1);
    assert.equal(result.matrix.include[0]?.name, `${LINUX} 1/1: never … untrusted`);
    assert.equal(
      result.matrix.include[0]?.installables,
      `.#checks.${LINUX}.never .#checks.${LINUX}.untrusted`,
    );
  });

  it("evaluates macOS's derivations on Linux and gives them macOS runners, cheap ones included", function () {
    this.timeout(120_000);
    const result = plan(['--max-jobs', '3'], path.join(work, 'cache'));
    const linux = result.matrix.include.filter((e) => e.system === LINUX);
    const darwin = result.matrix.include.filter((e) => e.system === 'aarch64-darwin');
    assert.equal(linux.length + darwin.length, result.count);
    assert.ok(result.count <= 3, `${result.count} groups`);
    assert.deepEqual(installables(linux), [`.#checks.${LINUX}.never`, `.#checks.${LINUX}.untrusted`]);
    assert.deepEqual(
      installables(darwin),
      ['cached', 'cheap', 'local', 'never', 'untrusted', 'workspace-fmt'].map(
        (n) => `.#checks.aarch64-darwin.${n}`,
      ),
    );
    assert.ok(darwin.every((e) => e.os === 'macos-latest'));
    // Contiguous chunks of the sorted names: each group's first name sorts after the previous group's last.
    const names = darwin.flatMap((e) => e.installables.split(' '));
    assert.deepEqual(names, [...names].sort());
  });

  it('builds nothing once everything is in a cache, signed by the trusted key', function () {
    this.timeout(300_000);
    const rest = ['cached', 'never', 'untrusted', 'cheap', 'workspace-fmt'];
    // Offline build (nixEnv has no substituters): the untrusted copy is not fetched.
    runNix(nix, 'nix', [
      'build',
      '--no-link',
      ...buildArgs(nix),
      ...rest.map((n) => ref(`checks.${LINUX}.${n}`)),
    ]);
    const paths = rest.map((n) => out[n] as string);
    sign(nix, trusted, paths);
    // A fresh cache: copying to the first one would keep the untrusted narinfo it already has.
    const fresh = path.join(work, 'cache-all-trusted');
    copyToCache(nix, fresh, paths);
    deleteFromStore(nix, paths);
    const result = plan(['--system', LINUX], fresh);
    assert.equal(result.count, 0);
    assert.deepEqual(result.matrix, { include: [] });
    assert.equal(result.cheap, '');
    assert.match(
      result.summary,
      /^8 attributes \(6 derivations\): 1 local, 5 cached, 0 cheap \(built by the plan job\), 0 to build in 0 group\(s\)$/m,
    );
  });
});
