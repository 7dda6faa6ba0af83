// Benchmark: Nixify's in-process workspace detection against `cargo metadata --no-deps --offline`.
// Generated workspaces of 100 and 1,000 crates (kept in .test-runs/bench/, made once) and every
// fixture cargo can load. Prints a table and whether the targets are met; never fails the build.
//
//   npm run bench
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { detectWorkspaces } from '../src/core/cargo';
import { fakeChecksum, median, pathDepsOf, write } from './support';

const execFileAsync = promisify(execFile);

// Compiled to out/bench/, two levels below the repository root.
const REPO_ROOT = path.resolve(__dirname, '../..');
const BENCH_DIR = path.join(REPO_ROOT, '.test-runs', 'bench');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const ACTIVATION_FILE = path.join(REPO_ROOT, '.test-runs', 'activation-ms.json');

const NIXIFY_RUNS = 7;
const CARGO_RUNS = 3;
const TARGET_RATIO_100 = 0.25;
const TARGET_MS_1000 = 300;
const TARGET_ACTIVATION_MS = 30;

interface Case {
  name: string;
  /** The directory Nixify searches. */
  dir: string;
  /** Workspace root manifests cargo is timed on (their times are added up). */
  manifests: string[];
}

interface Row {
  name: string;
  crates: number;
  nixifyMs: number;
  cargoMs: number | null;
  /** Whether Nixify found the same members cargo did, or why the comparison could not be made. */
  check: string;
}

// ---------------------------------------------------------------------------------------------
// Generated workspaces

function crateName(i: number): string {
  return `crate-${String(i).padStart(4, '0')}`;
}

const REGISTRY = 'registry+https://github.com/rust-lang/crates.io-index';
const LOCKED_REGISTRY: [string, string, string[]][] = [
  ['anyhow', '1.0.93', []],
  ['proc-macro2', '1.0.92', ['unicode-ident']],
  ['quote', '1.0.37', ['proc-macro2']],
  ['serde', '1.0.215', ['serde_derive']],
  ['serde_derive', '1.0.215', ['proc-macro2', 'quote', 'syn']],
  ['syn', '2.0.90', ['proc-macro2', 'quote', 'unicode-ident']],
  ['unicode-ident', '1.0.14', []],
];

function generateWorkspace(dir: string, count: number): void {
  const marker = path.join(dir, '.generated');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === String(count)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  write(
    path.join(dir, 'Cargo.toml'),
    [
      '[workspace]',
      'resolver = "2"',
      'members = ["crates/*"]',
      '',
      '[workspace.package]',
      'version = "0.1.0"',
      'edition = "2021"',
      'license = "MIT OR Apache-2.0"',
      'rust-version = "1.80"',
      'authors = ["Nixify bench"]',
      '',
      '[workspace.dependencies]',
      'serde = { version = "1.0.215", features = ["derive"] }',
      'anyhow = "1"',
      `${crateName(0)} = { path = "crates/${crateName(0)}" }`,
      '',
    ].join('\n'),
  );
  const lockEntries: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = crateName(i);
    const crateDir = path.join(dir, 'crates', name);
    const deps = pathDepsOf(i);
    const lines = [
      '[package]',
      `name = "${name}"`,
      'version.workspace = true',
      'edition.workspace = true',
      'license.workspace = true',
      'rust-version.workspace = true',
      'authors.workspace = true',
      `description = "Generated crate ${i} of ${count}"`,
      '',
      '[dependencies]',
      i % 2 === 1 ? 'serde = { workspace = true, optional = true }' : 'serde = { workspace = true }',
      ...deps.map((d) =>
        d === 0 && i % 5 === 0
          ? `${crateName(0)} = { workspace = true }`
          : `${crateName(d)} = { path = "../${crateName(d)}", version = "0.1" }`,
      ),
      '',
      '[dev-dependencies]',
      'anyhow.workspace = true',
      '',
    ];
    if (i % 2 === 1) lines.push('[features]', 'default = []', 'serde = ["dep:serde"]', '');
    if (i % 10 === 0) lines.push('[[bin]]', `name = "${name}-tool"`, 'path = "src/bin/tool.rs"', '');
    write(path.join(crateDir, 'Cargo.toml'), lines.join('\n'));
    write(path.join(crateDir, 'src', 'lib.rs'), `pub fn id() -> usize {\n    ${i}\n}\n`);
    if (i % 4 === 0) write(path.join(crateDir, 'src', 'main.rs'), 'fn main() {}\n');
    if (i % 10 === 0) write(path.join(crateDir, 'src', 'bin', 'tool.rs'), 'fn main() {}\n');
    if (i % 7 === 0) write(path.join(crateDir, 'build.rs'), 'fn main() {}\n');
    if (i % 5 === 0) write(path.join(crateDir, 'tests', 'it.rs'), '#[test]\nfn works() {}\n');
    const lockDeps = ['serde', ...deps.map(crateName)].sort();
    lockEntries.push(
      `[[package]]\nname = "${name}"\nversion = "0.1.0"\ndependencies = [\n${lockDeps.map((d) => ` "${d}",\n`).join('')}]\n`,
    );
  }
  for (const [name, version, deps] of LOCKED_REGISTRY) {
    const depLines = deps.length > 0 ? `dependencies = [\n${deps.map((d) => ` "${d}",\n`).join('')}]\n` : '';
    lockEntries.push(
      `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "${REGISTRY}"\nchecksum = "${fakeChecksum(name + version)}"\n${depLines}`,
    );
  }
  lockEntries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  write(
    path.join(dir, 'Cargo.lock'),
    `# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n${lockEntries.join('\n')}`,
  );
  fs.writeFileSync(marker, String(count));
}

// ---------------------------------------------------------------------------------------------
// Measuring

function timeNixify(dir: string): { ms: number; members: Map<string, string[]> } {
  const warm = detectWorkspaces(dir); // warm-up: JIT and the OS file cache
  const times: number[] = [];
  for (let run = 0; run < NIXIFY_RUNS; run++) {
    const start = performance.now();
    detectWorkspaces(dir);
    times.push(performance.now() - start);
  }
  const members = new Map(warm.workspaces.map((ws) => [ws.manifest_path, ws.workspace_members]));
  return { ms: median(times), members };
}

/** rust-toolchain files in fixtures name toolchains that may not be installed: use the default one. */
function cargoEnv(): NodeJS.ProcessEnv {
  const rustup = spawnSync('rustup', ['show', 'active-toolchain'], { cwd: os.tmpdir(), encoding: 'utf8' });
  const toolchain = rustup.status === 0 ? rustup.stdout.trim().split(/\s+/)[0] : undefined;
  return toolchain ? { ...process.env, RUSTUP_TOOLCHAIN: toolchain } : { ...process.env };
}

interface CargoRun {
  ms: number;
  members: string[];
}

async function timeCargo(manifest: string, env: NodeJS.ProcessEnv): Promise<CargoRun> {
  const args = ['metadata', '--no-deps', '--offline', '--format-version', '1', '--manifest-path', manifest];
  const options = { cwd: path.dirname(manifest), env, maxBuffer: 512 * 1024 * 1024 };
  const times: number[] = [];
  let members: string[] = [];
  for (let run = 0; run < CARGO_RUNS; run++) {
    const start = performance.now();
    const { stdout } = await execFileAsync('cargo', args, options);
    times.push(performance.now() - start);
    members = (JSON.parse(stdout) as { workspace_members: string[] }).workspace_members;
  }
  return { ms: median(times), members };
}

async function measure(c: Case, env: NodeJS.ProcessEnv): Promise<Row> {
  const nixify = timeNixify(c.dir);
  let cargoMs: number | null = 0;
  let crates = 0;
  const mismatches: string[] = [];
  for (const manifest of c.manifests) {
    try {
      const cargo = await timeCargo(manifest, env);
      cargoMs = cargoMs === null ? null : cargoMs + cargo.ms;
      crates += cargo.members.length;
      const ours = nixify.members.get(manifest);
      if (!ours) mismatches.push(`no workspace for ${path.relative(c.dir, manifest)}`);
      else if (JSON.stringify(ours) !== JSON.stringify(cargo.members)) {
        mismatches.push(`members differ in ${path.relative(c.dir, manifest)}`);
      }
    } catch (error) {
      cargoMs = null;
      mismatches.push(
        `cargo failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
  }
  return {
    name: c.name,
    crates,
    nixifyMs: nixify.ms,
    cargoMs,
    check: mismatches.join('; ') || 'same members',
  };
}

function fixtureCases(): Case[] {
  const cases: Case[] = [];
  for (const name of fs.readdirSync(FIXTURES).sort()) {
    const expectFile = path.join(FIXTURES, name, 'nixify-expect.json');
    if (!fs.existsSync(expectFile)) continue;
    const expectation = JSON.parse(fs.readFileSync(expectFile, 'utf8')) as { cargo_manifests?: string[] };
    const manifests = expectation.cargo_manifests ?? [];
    if (manifests.length === 0) continue; // cargo refuses these: nothing to compare with
    const dir = fs.realpathSync(path.join(FIXTURES, name));
    cases.push({ name: `fixture ${name}`, dir, manifests: manifests.map((m) => path.join(dir, m)) });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Report

function formatMs(ms: number | null): string {
  return ms === null ? '-' : ms.toFixed(ms < 10 ? 2 : 1);
}

function ratioOf(row: Row): number | null {
  return row.cargoMs === null || row.cargoMs === 0 ? null : row.nixifyMs / row.cargoMs;
}

function printTable(rows: Row[]): void {
  const header = ['name', 'crates', 'nixify ms', 'cargo ms', 'ratio', 'check'];
  const cells = rows.map((row) => {
    const ratio = ratioOf(row);
    return [
      row.name,
      String(row.crates),
      formatMs(row.nixifyMs),
      formatMs(row.cargoMs),
      ratio === null ? '-' : ratio.toFixed(3),
      row.check,
    ];
  });
  const widths = header.map((h, col) => Math.max(h.length, ...cells.map((line) => (line[col] ?? '').length)));
  const numeric = new Set([1, 2, 3, 4]);
  const format = (line: string[]): string =>
    line
      .map((cell, col) =>
        numeric.has(col) ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
      )
      .join('  ')
      .trimEnd();
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of cells) console.log(format(line));
}

function verdict(met: boolean | null): string {
  return met === null ? 'NOT MEASURED' : met ? 'met' : 'MISSED';
}

function readActivationMs(): number | null {
  if (!fs.existsSync(ACTIVATION_FILE)) return null;
  try {
    const parsed = JSON.parse(fs.readFileSync(ACTIVATION_FILE, 'utf8')) as { activationMs?: unknown };
    return typeof parsed.activationMs === 'number' ? parsed.activationMs : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const env = cargoEnv();
  const generated: Case[] = [];
  for (const count of [100, 1000]) {
    const dir = path.join(BENCH_DIR, `workspace-${count}`);
    const started = performance.now();
    generateWorkspace(dir, count);
    const took = performance.now() - started;
    if (took > 50) console.log(`generated ${path.relative(REPO_ROOT, dir)} in ${took.toFixed(0)} ms`);
    const real = fs.realpathSync(dir);
    generated.push({ name: `generated ${count}`, dir: real, manifests: [path.join(real, 'Cargo.toml')] });
  }

  const rows: Row[] = [];
  for (const c of [...generated, ...fixtureCases()]) {
    rows.push(await measure(c, env));
  }
  console.log(
    `\nNixify: in-process detectWorkspaces, median of ${NIXIFY_RUNS} runs after a warm-up.` +
      `\ncargo: cargo metadata --no-deps --offline --format-version 1 (wall time incl. process start), median of ${CARGO_RUNS} runs;` +
      `\n       for fixtures holding several workspaces, the cargo times of all of them are added up.\n`,
  );
  printTable(rows);

  const row100 = rows.find((r) => r.name === 'generated 100');
  const row1000 = rows.find((r) => r.name === 'generated 1000');
  const ratio100 = row100 ? ratioOf(row100) : null;
  const activation = readActivationMs();
  const targets: [string, string, boolean | null][] = [
    [
      `100 crates: nixify/cargo ratio <= ${TARGET_RATIO_100}`,
      ratio100 === null ? 'not measured' : ratio100.toFixed(3),
      ratio100 === null ? null : ratio100 <= TARGET_RATIO_100,
    ],
    [
      `1,000 crates: nixify <= ${TARGET_MS_1000} ms`,
      row1000 ? `${formatMs(row1000.nixifyMs)} ms` : 'not measured',
      row1000 ? row1000.nixifyMs <= TARGET_MS_1000 : null,
    ],
    [
      `extension activation <= ${TARGET_ACTIVATION_MS} ms`,
      activation === null
        ? `no ${path.relative(REPO_ROOT, ACTIVATION_FILE)} (run npm run test:vscode)`
        : `${activation.toFixed(1)} ms`,
      activation === null ? null : activation <= TARGET_ACTIVATION_MS,
    ],
  ];
  console.log('\nTargets:');
  for (const [what, value, met] of targets) {
    console.log(`  ${verdict(met).padEnd(12)} ${what}: ${value}`);
  }
  const mismatched = rows.filter((r) => r.check !== 'same members');
  if (mismatched.length > 0) {
    console.log(
      `\nNote: ${mismatched.length} case(s) where Nixify's members differ from cargo's (see "check").`,
    );
  }

  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const resultsFile = path.join(BENCH_DIR, 'results.json');
  fs.writeFileSync(
    resultsFile,
    `${JSON.stringify({ date: new Date().toISOString(), rows, targets: targets.map(([what, value, met]) => ({ what, value, met })) }, null, 2)}\n`,
  );
  console.log(`\nWrote ${path.relative(REPO_ROOT, resultsFile)}`);
}

main().catch((error: unknown) => {
  // A broken bench is worth reading about, not worth failing the build over.
  console.error('bench failed:', error);
});
