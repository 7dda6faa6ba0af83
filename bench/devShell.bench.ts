// Benchmark: Nixify's warm dev-shell reload against a cold `nix print-dev-env` of the same fixture
// (test/fixtures/devenv/rust-project, default shell: variables, a tool on PATH, a shellHook).
//
// cold   `nix print-dev-env --json` on a fresh copy of the fixture whose shell has a unique extra
//        attribute: nix's eval cache cannot answer (new content) and the shell's env derivation is
//        built again, which is what a user pays after changing the shell (or on a new machine).
// nix    the same command on unchanged files, with nix's own eval cache and the built env (info).
// first  Nixify's evaluateDevShell on such a fresh copy: print-dev-env, `nix --version`, the
//        shellHook in bash, the cache write (info: the cost of the first activation).
// warm   loadDevShell(…, { policy: 'cache-first' }) on unchanged files: read the cache and recompute
//        the content key (walk the folder, hash its .nix files, stat nix). It must start no process.
//
// Targets: warm <= 50 ms and cold/warm >= 20. Prints PASS or MISS; never fails the build.
//
//   npm run bench
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { evaluateDevShell, loadDevShell, shellSourceFor, type EvalOptions } from '../src/core/devenv';
import { onProcessStart } from '../src/core/process';
import { median, offlineNixEnv } from './support';

// Compiled to out/bench/, two levels below the repository root.
const REPO_ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'devenv', 'rust-project');
const WORK = path.join(REPO_ROOT, '.test-runs', 'bench', 'devshell');
const RESULTS_FILE = path.join(REPO_ROOT, '.test-runs', 'bench', 'devshell.json');

const COLD_RUNS = 5;
const WARM_RUNS = 30;
const TARGET_WARM_MS = 50;
const TARGET_RATIO = 20;
const SYSTEM = 'x86_64-linux';
const ATTR_LINE = 'name = "devenv-fixture-default";';

function git(dir: string, args: string[]): void {
  const result = spawnSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

/** A copy of the fixture in a git repository; with `nonce`, its default shell has a new attribute. */
function fixtureCopy(name: string, nonce?: string): string {
  const dir = path.join(WORK, name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  if (nonce !== undefined) {
    const flake = path.join(dir, 'flake.nix');
    const text = fs.readFileSync(flake, 'utf8');
    if (!text.includes(ATTR_LINE)) throw new Error(`${FIXTURE}/flake.nix no longer has ${ATTR_LINE}`);
    fs.writeFileSync(flake, text.replace(ATTR_LINE, `${ATTR_LINE} BENCH_NONCE = "${nonce}";`));
  }
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  return dir;
}

function timePrintDevEnv(dir: string, env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync('nix', ['print-dev-env', '--json', `${dir}#devShells.${SYSTEM}.default`], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`nix print-dev-env failed:\n${result.stderr}`);
  return ms;
}

function format(ms: number): string {
  return ms.toFixed(ms < 10 ? 2 : 1);
}

async function main(): Promise<void> {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
  const env = offlineNixEnv(WORK);
  const version = spawnSync('nix', ['--version'], { env, encoding: 'utf8' });
  if (version.status !== 0) {
    console.log('devShell bench: NOT MEASURED: no `nix` on PATH');
    return;
  }
  const runId = `${process.pid}-${Date.now()}`;

  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++)
    cold.push(timePrintDevEnv(fixtureCopy(`cold-${i}`, `${runId}-${i}`), env));

  const base = fixtureCopy('base');
  timePrintDevEnv(base, env); // builds the env once and fills nix's eval cache
  const nixWarm: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) nixWarm.push(timePrintDevEnv(base, env));

  const first: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const dir = fixtureCopy(`first-${i}`, `${runId}-first-${i}`);
    const source = shellSourceFor(dir, { system: SYSTEM });
    if (!source) throw new Error(`no flake in ${dir}`);
    const start = performance.now();
    await evaluateDevShell(source, { storageDir: path.join(WORK, `storage-first-${i}`), env });
    first.push(performance.now() - start);
  }

  const source = shellSourceFor(base, { system: SYSTEM });
  if (!source) throw new Error(`no flake in ${base}`);
  const options: EvalOptions = { storageDir: path.join(WORK, 'storage'), env };
  await evaluateDevShell(source, options);
  let processes = 0;
  const subscription = onProcessStart(() => processes++);
  const warm: number[] = [];
  let allFromCache = true;
  try {
    await loadDevShell(source, { ...options, policy: 'cache-first' }); // JIT and the OS file cache
    for (let i = 0; i < WARM_RUNS; i++) {
      const start = performance.now();
      const loaded = await loadDevShell(source, { ...options, policy: 'cache-first' });
      warm.push(performance.now() - start);
      allFromCache &&= loaded.fromCache && !loaded.stale;
    }
  } finally {
    subscription.dispose();
  }

  const coldMs = median(cold);
  const warmMs = median(warm);
  const ratio = coldMs / warmMs;
  console.log(`\nDev shell: ${path.relative(REPO_ROOT, FIXTURE)} (default shell), ${version.stdout.trim()}`);
  console.log(`median of ${COLD_RUNS} runs (warm: ${WARM_RUNS} runs after a warm-up)\n`);
  const rows: [string, string, string][] = [
    [
      'cold nix print-dev-env (fresh copy, new shell attribute: no eval cache, env built)',
      format(coldMs),
      cold.map(format).join(' '),
    ],
    [
      'nix print-dev-env, unchanged files (nix eval cache warm)',
      format(median(nixWarm)),
      nixWarm.map(format).join(' '),
    ],
    [
      'Nixify first evaluation (print-dev-env + shellHook + cache write)',
      format(median(first)),
      first.map(format).join(' '),
    ],
    [
      'Nixify warm reload (cache-first, content key recomputed)',
      format(warmMs),
      `max ${format(Math.max(...warm))}`,
    ],
  ];
  const width = Math.max(...rows.map(([what]) => what.length));
  console.log(`${'what'.padEnd(width)}  ${'ms'.padStart(7)}  samples`);
  for (const [what, ms, samples] of rows) console.log(`${what.padEnd(width)}  ${ms.padStart(7)}  ${samples}`);
  console.log(
    `\nratio cold / warm: ${ratio.toFixed(1)}x; processes started by the warm reloads: ${processes}; all from cache: ${allFromCache}`,
  );

  const targets = [
    {
      what: `warm reload <= ${TARGET_WARM_MS} ms`,
      value: `${format(warmMs)} ms`,
      met: warmMs <= TARGET_WARM_MS,
    },
    { what: `cold / warm >= ${TARGET_RATIO}x`, value: `${ratio.toFixed(1)}x`, met: ratio >= TARGET_RATIO },
    { what: 'warm reload starts no process', value: String(processes), met: processes === 0 && allFromCache },
  ];
  console.log('\nTargets:');
  for (const t of targets) console.log(`  ${t.met ? 'PASS' : 'MISS'}  ${t.what}: ${t.value}`);

  fs.writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify({ date: new Date().toISOString(), nix: version.stdout.trim(), cold, nixWarm, first, warm, ratio, processes, targets }, null, 2)}\n`,
  );
  console.log(`\nWrote ${path.relative(REPO_ROOT, RESULTS_FILE)}`);
  fs.rmSync(WORK, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  // A broken bench is worth reading about, not worth failing the build over.
  console.error('devShell bench failed:', error);
});
