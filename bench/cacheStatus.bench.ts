// Benchmark: Nixify's cache status (one evaluation, one validity query, narinfos read or fetched
// in parallel) against `nix build --dry-run` over the same installables, on generated flakes
// without inputs of 100 and 500 crates (200 and 1,000 derivations: each crate's package and its
// `-deps` artifacts). A third of the crates is built, a third built and pushed to signed caches
// (half file://, half HTTP on loopback) then deleted from the store, a third never built.
// Prints a table and whether the targets are met; never fails the build.
//
//   npm run bench
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { workspaceStatus, type WorkspaceStatus } from '../src/core/derivations';
import { BENCH_SYSTEM, benchWorkspaceFlake, median, offlineNixEnv, write } from './support';

const execFileAsync = promisify(execFile);

// Compiled to out/bench/, two levels below the repository root.
const REPO_ROOT = path.resolve(__dirname, '../..');
const RESULTS_FILE = path.join(REPO_ROOT, '.test-runs', 'bench', 'cache-status.json');
// The nix tier's static file server; `npm run bench` compiles the tests first.
const STATIC_SERVER = path.join(REPO_ROOT, 'out', 'test', 'nix', 'helpers', 'staticServer.js');

const SYSTEM = BENCH_SYSTEM;
const SIZES = [100, 500];
const RUNS = 3;
const TARGET_RATIO_200 = 0.5;
const TARGET_SECONDS_1000 = 2;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): string {
  const result = spawnSync(cmd, args, { cwd, env, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const tail = result.stderr.split('\n').filter(Boolean).slice(-10).join('\n');
    throw new Error(`${cmd} ${args.slice(0, 4).join(' ')} failed:\n${tail}`);
  }
  return result.stdout;
}

interface Setup {
  dir: string;
  crates: string[];
  installables: string[];
  env: NodeJS.ProcessEnv;
  server: ChildProcess;
  outputs: string[];
}

async function startServer(dir: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [STATIC_SERVER, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  return { server, url: `http://127.0.0.1:${port}` };
}

/** The flake in `tmp/<size>`, a third built, a third cached, a third missing. */
async function prepare(tmp: string, size: number): Promise<Setup> {
  const dir = path.join(tmp, String(size));
  const baseEnv = offlineNixEnv(tmp);
  write(path.join(dir, 'flake.nix'), benchWorkspaceFlake(size));
  write(path.join(dir, 'nonce'), `bench-${Date.now()}-${Math.random()}\n`);
  run('git', ['init', '-q'], dir, baseEnv);
  run('git', ['add', '-A'], dir, baseEnv);
  const crates = Array.from({ length: size }, (_, i) => `crate-${i}`);
  const ref = (name: string) => `git+file://${dir}#packages.${SYSTEM}.${name}`;
  const installables = crates.map(ref);
  const built = crates.filter((_, i) => i % 3 !== 2);
  run('nix', ['build', '--no-link', '--max-jobs', '2', ...built.map(ref)], dir, baseEnv);
  const outs = JSON.parse(
    run(
      'nix',
      [
        'eval',
        '--json',
        `git+file://${dir}#packages.${SYSTEM}`,
        '--apply',
        'ps: builtins.mapAttrs (_: p: p.outPath) ps',
      ],
      dir,
      baseEnv,
    ),
  ) as Record<string, string>;
  const cached = crates.filter((_, i) => i % 3 === 1).map((c) => outs[c] ?? '');

  const key = path.join(tmp, `key-${size}.sec`);
  fs.writeFileSync(key, run('nix', ['key', 'generate-secret', '--key-name', 'bench-1'], dir, baseEnv));
  const publicKey = run(
    'nix',
    ['key', 'convert-secret-to-public'],
    dir,
    baseEnv,
    fs.readFileSync(key, 'utf8'),
  ).trim();
  const fileCache = path.join(tmp, `file-cache-${size}`);
  const httpCache = path.join(tmp, `http-cache-${size}`);
  run('nix', ['store', 'sign', '--key-file', key, ...cached], dir, baseEnv);
  run('nix', ['copy', '--to', `file://${fileCache}`, ...cached.filter((_, i) => i % 2 === 0)], dir, baseEnv);
  run('nix', ['copy', '--to', `file://${httpCache}`, ...cached.filter((_, i) => i % 2 === 1)], dir, baseEnv);
  run('nix', ['store', 'delete', ...cached], dir, baseEnv);
  const { server, url } = await startServer(httpCache);
  const env = {
    ...baseEnv,
    NIX_CONFIG: [
      baseEnv['NIX_CONFIG'] ?? '',
      `substituters = file://${fileCache} ${url}`,
      `trusted-public-keys = ${publicKey}`,
      // Both sides ask the caches every time rather than Nix's on-disk narinfo cache.
      'narinfo-cache-negative-ttl = 0',
      'narinfo-cache-positive-ttl = 0',
    ].join('\n'),
  };
  return { dir, crates, installables, env, server, outputs: Object.values(outs) };
}

async function time<T>(fn: () => Promise<T>): Promise<{ seconds: number[]; last: T }> {
  let last = await fn(); // warm-up: writes .drv files, fills the page cache
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    last = await fn();
    seconds.push((performance.now() - start) / 1000);
  }
  return { seconds, last };
}

interface Row {
  derivations: number;
  nixify: number;
  dryRun: number;
  counts: WorkspaceStatus['counts'];
  dryRunSays: string;
}

async function measure(setup: Setup): Promise<Row> {
  const crates = setup.crates.map((name) => ({ name }));
  const nixify = await time(() => workspaceStatus(setup.dir, crates, { env: setup.env, nix: 'nix' }));
  const dryRun = await time(async () => {
    const { stderr } = await execFileAsync(
      'nix',
      ['build', '--dry-run', '--no-link', ...setup.installables],
      {
        cwd: setup.dir,
        env: setup.env,
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    return stderr;
  });
  const built = /these (\d+) derivations? will be built/.exec(dryRun.last)?.[1] ?? '0';
  const fetched = /these (\d+) paths? will be fetched/.exec(dryRun.last)?.[1] ?? '0';
  return {
    derivations: nixify.last.statuses.size,
    nixify: median(nixify.seconds),
    dryRun: median(dryRun.seconds),
    counts: nixify.last.counts,
    dryRunSays: `${built} to build, ${fetched} to fetch`,
  };
}

async function main(): Promise<void> {
  if (spawnSync('nix', ['--version'], { encoding: 'utf8' }).status !== 0) {
    console.log('\ncache status: nix is not installed, skipped');
    return;
  }
  if (!fs.existsSync(STATIC_SERVER)) {
    console.log(
      `\ncache status: ${path.relative(REPO_ROOT, STATIC_SERVER)} missing (npm run compile-tests), skipped`,
    );
    return;
  }
  const version = run('nix', ['--version'], REPO_ROOT, process.env).trim();
  const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'nixify-cache-status-bench-'));
  const rows: Row[] = [];
  const setups: Setup[] = [];
  try {
    for (const size of SIZES) {
      const setup = await prepare(tmp, size);
      setups.push(setup);
      rows.push(await measure(setup));
    }
  } finally {
    for (const setup of setups) {
      setup.server.kill('SIGTERM');
      // Best effort: only this run's outputs (fresh nonce), never a garbage collection.
      spawnSync('nix', ['store', 'delete', ...setup.outputs], { env: setup.env, stdio: 'ignore' });
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log(
    `\nCache status (${version}): a third local, a third in signed caches (file:// and HTTP on 127.0.0.1),` +
      ` a third missing. Wall time, median of ${RUNS} runs after one warm-up; Nixify includes evaluation.\n`,
  );
  const table = [
    ['derivations', 'Nixify s', 'dry-run s', 'ratio', 'Nixify says', 'dry-run says'],
    ...rows.map((r) => [
      String(r.derivations),
      r.nixify.toFixed(3),
      r.dryRun.toFixed(3),
      (r.nixify / r.dryRun).toFixed(2),
      `${r.counts.local} local, ${r.counts.cached} cached, ${r.counts.build} build, ${r.counts.unknown} unknown`,
      r.dryRunSays,
    ]),
  ];
  const widths = table[0]?.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length))) ?? [];
  for (const r of table)
    console.log(
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  const at = (n: number) => rows.find((r) => r.derivations === n);
  const small = at(200);
  const large = at(1000);
  if (small) {
    const ratio = small.nixify / small.dryRun;
    console.log(
      `Target 200 derivations: Nixify <= ${TARGET_RATIO_200}x dry-run: ${ratio <= TARGET_RATIO_200 ? 'PASS' : 'MISS'} (${ratio.toFixed(2)}x)`,
    );
  }
  if (large) {
    console.log(
      `Target 1,000 derivations: Nixify <= ${TARGET_SECONDS_1000} s: ${large.nixify <= TARGET_SECONDS_1000 ? 'PASS' : 'MISS'} (${large.nixify.toFixed(2)} s)`,
    );
  }
  write(RESULTS_FILE, `${JSON.stringify({ date: new Date().toISOString(), nix: version, rows }, null, 2)}\n`);
  console.log(`Wrote ${path.relative(REPO_ROOT, RESULTS_FILE)}`);
}

main().catch((error: unknown) => {
  // A broken bench is worth reading about, not worth failing the build over.
  console.error('cache status bench failed:', error);
});
