// Benchmark: what a cold `checks` build and two edits cost with the flake Nixify generates, counted
// in rustc invocations, side by side with plain cargo on the same tree.
//
// A synthetic workspace (24 members over a vendored registry of 160 crates, with features that
// differ between members, dev-dependencies, build scripts and proc-macros; bench/syntheticRegistry.ts)
// gets the default flake. Real Nix builds every check with the nix tier's crane stand-in
// (test/nix/flake-inputs/crane): it runs crane's own cargo command lines (buildDepsOnly's
// check/build/test --no-run over a dummy source, buildPackage, clippy, test, doc, fmt) with the
// machine's cargo, hands artifacts on as crane does, and runs rustc through a wrapper that logs every
// compilation (derivation, package, mode). nixpkgs cannot be built offline, so the real crane does
// not run here; what is counted is what cargo compiles for crane's commands.
//
// Printed: external-crate compilations of the cold build against plain cargo (cargoReference says
// which commands; clippy and rustdoc need metadata-only builds of every dependency),
// then, after editing a leaf member and the core member, the crates recompiled (external ones must
// be 0) and the derivations rebuilt (exactly the edited crate, its dependents and the
// workspace-wide checks). BENCH_LAYOUTS=workspace,per-crate also measures the per-crate layout.
//
//   npm run bench   (or: node out/bench/buildModel.bench.js after npm run compile-tests)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { detectWorkspaces } from '../src/core/cargo';
import { defaultOptions, planInit } from '../src/core/flake';
import type { DepsLayout } from '../src/core/flake';
import { generateLockfile, withCargoHome } from '../test/nix/helpers/synthetic';
import { offlineNixEnv, run, write } from './support';
import {
  REGISTRY_PREFIX,
  formatWorkspace,
  vendoredCargoHome,
  writeSyntheticWorkspace,
  type SyntheticWorkspace,
} from './syntheticRegistry';

const REPO_ROOT = path.resolve(__dirname, '../..');
const STAND_INS = path.join(REPO_ROOT, 'test', 'nix', 'flake-inputs');
const RESULTS_FILE = path.join(REPO_ROOT, '.test-runs', 'bench', 'build-model.json');
const SYSTEM = 'x86_64-linux';
const TARGET_RATIO = 1.2;

/**
 * One compilation: the derivation (or "cargo") that ran it, the package, what was built, and the
 * unit: cargo's `-C metadata` hash, which it derives from everything that makes a build of a package
 * different (features, profile, target, the units of its dependencies, …).
 */
interface Compilation {
  by: string;
  pkg: string;
  mode: string;
  unit: string;
}

// Logs every rustc run cargo makes: cargo sets CARGO_PKG_NAME; the mode is check (metadata only),
// build (code), test (a test harness) or build-script. Cargo's probes (`___`) are not compilations.
const WRAPPER = `#!/bin/sh
crate=; emit=; kind=; unit=
prev=
for arg in "$@"; do
  case "$prev" in
    --crate-name) crate=$arg ;;
    -C) case "$arg" in metadata=*) unit=$arg ;; esac ;;
  esac
  case "$arg" in --emit=*) emit=$arg ;; --test) kind=test ;; esac
  prev=$arg
done
if [ -n "$crate" ] && [ "$crate" != ___ ]; then
  if [ "$crate" = build_script_build ]; then mode=build-script
  elif [ -n "$kind" ]; then mode=test
  else case "$emit" in *link*) mode=build ;; *) mode=check ;; esac
  fi
  printf '%s\\t%s\\t%s\\t%s\\n' "\${name:-cargo}" "\${CARGO_PKG_NAME:-?}" "$mode" "$unit" >> "$NIXIFY_RUSTC_LOG_DIR/rustc.log"
fi
exec "$@"
`;

function readLog(logDir: string): Compilation[] {
  const file = path.join(logDir, 'rustc.log');
  if (!fs.existsSync(file)) return [];
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  fs.rmSync(file);
  return lines.map((l) => {
    const [by = '', pkg = '', mode = '', unit = ''] = l.split('\t');
    return { by, pkg, mode, unit };
  });
}

const external = (c: Compilation) => c.pkg.startsWith(REGISTRY_PREFIX);

/**
 * Compilations that repeat an earlier one: same package, mode and unit hash. Cargo compiles each
 * unit once in a target directory; every repeat is work a build model wasted (a derivation that
 * compiled again what the dependency artifacts should have held).
 */
function repeats(items: Compilation[]): number {
  return items.length - new Set(items.map((c) => `${c.pkg}\t${c.mode}\t${c.unit}`)).size;
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

function fmtCounts(items: Compilation[]): string {
  const modes = countBy(items, (c) => c.mode);
  return [...modes.entries()]
    .sort()
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
}

interface LayoutResult {
  layout: DepsLayout;
  coldSeconds: number;
  cold: {
    external: number;
    externalByMode: Record<string, number>;
    externalRepeats: number;
    workspace: number;
    derivations: number;
  };
  edits: {
    crate: string;
    externalRecompiled: number;
    cratesRecompiled: string[];
    derivationsRebuilt: string[];
    expected: string[];
    exact: boolean;
  }[];
}

function cargoEnv(
  base: NodeJS.ProcessEnv,
  cargoHome: string,
  logDir: string,
  wrapper: string,
): NodeJS.ProcessEnv {
  return {
    ...withCargoHome(base, cargoHome),
    RUSTC_WRAPPER: wrapper,
    NIXIFY_RUSTC_LOG_DIR: logDir,
    CARGO_TARGET_DIR: undefined,
  };
}

/**
 * Plain cargo on copies of the tree. `shipped`: `cargo build` then `cargo test --no-run`, i.e. the
 * binaries as cargo builds them for release (features without dev-dependencies) and the tests (with
 * them): two feature sets, as the flake builds. `allTargets`: issue 12's literal reference, `cargo
 * build --all-targets` (which builds the binaries with dev-dependency features too) then `cargo test
 * --no-run`; `lint`: then clippy and doc on that tree.
 */
function cargoReference(
  copies: [string, string],
  env: NodeJS.ProcessEnv,
  logDir: string,
): { shipped: Compilation[]; allTargets: Compilation[]; lint: Compilation[] } {
  const [first, second] = copies;
  run('cargo', ['build', '--release', '--workspace'], { cwd: first, env });
  run('cargo', ['test', '--release', '--workspace', '--no-run'], { cwd: first, env });
  const shipped = readLog(logDir);
  run('cargo', ['build', '--release', '--workspace', '--all-targets'], { cwd: second, env });
  run('cargo', ['test', '--release', '--workspace', '--no-run'], { cwd: second, env });
  const allTargets = readLog(logDir);
  run('cargo', ['clippy', '--release', '--workspace', '--all-targets'], { cwd: second, env });
  run('cargo', ['doc', '--release', '--workspace', '--no-deps'], { cwd: second, env });
  const lint = readLog(logDir);
  return { shipped, allTargets, lint };
}

function git(dir: string, ...args: string[]): void {
  run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], {
    cwd: dir,
    env: process.env,
  });
}

/**
 * Adds a public function to a crate's lib.rs, before its test module when it has one: clippy's
 * items_after_test_module (denied by the flake's clippy check) rejects items after it.
 */
function editLibrary(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const added = `pub fn edited_${Date.now()}() {}\n\n`;
  const at = text.indexOf('#[cfg(test)]');
  fs.writeFileSync(file, at < 0 ? `${text}\n${added}` : `${text.slice(0, at)}${added}${text.slice(at)}`);
}

async function measureLayout(
  layout: DepsLayout,
  tmp: string,
  vendor: string,
  model: SyntheticWorkspace,
  wrapper: string,
  logDir: string,
): Promise<LayoutResult> {
  const root = path.join(tmp, `ws-${layout}`);
  fs.cpSync(path.join(tmp, 'ws'), root, { recursive: true });
  fs.rmSync(path.join(root, 'target'), { recursive: true, force: true });
  const [ws] = (await detectWorkspaces(root)).workspaces;
  if (ws === undefined) throw new Error('the synthetic workspace was not detected');
  const options = {
    ...defaultOptions(ws),
    toolchain: 'nixpkgs' as const,
    deps: layout,
    ci: false,
    envrc: false,
  };
  const plan = planInit(ws, options, 'bench', () => null);
  for (const file of plan.files) write(path.join(root, file.path), file.content);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'synthetic');

  // The stand-ins, with the registry and the counting wrapper.
  const inputs = path.join(tmp, `inputs-${layout}`);
  fs.cpSync(STAND_INS, inputs, { recursive: true, dereference: true });
  fs.cpSync(vendor, path.join(inputs, 'crane', 'vendor'), { recursive: true });
  fs.writeFileSync(path.join(inputs, 'crane', 'rustc-wrapper'), `${wrapper}\n`);
  // Builds run as the calling user (who can run the machine's cargo), two at a time.
  const base = offlineNixEnv(tmp);
  const env = {
    ...base,
    NIX_CONFIG: `${base['NIX_CONFIG'] ?? ''}\nbuild-users-group =\nmax-jobs = 2\ncores = 1`,
  };
  const flakeArgs = [
    '--override-input',
    'nixpkgs',
    `path:${path.join(inputs, 'nixpkgs')}`,
    '--override-input',
    'crane',
    `path:${path.join(inputs, 'crane')}`,
  ];
  const checkNames = JSON.parse(
    run(
      'nix',
      ['eval', '--json', `${root}#checks.${SYSTEM}`, '--apply', 'builtins.attrNames', ...flakeArgs],
      { cwd: root, env },
    ),
  ) as string[];
  const build = () => {
    const started = performance.now();
    run(
      'nix',
      ['build', '--no-link', ...checkNames.map((c) => `${root}#checks.${SYSTEM}.${c}`), ...flakeArgs],
      { cwd: root, env },
    );
    return (performance.now() - started) / 1000;
  };
  readLog(logDir);
  const coldSeconds = build();
  const coldLog = readLog(logDir);
  const coldExternal = coldLog.filter(external);
  const result: LayoutResult = {
    layout,
    coldSeconds,
    cold: {
      external: coldExternal.length,
      externalByMode: Object.fromEntries(countBy(coldExternal, (c) => c.mode)),
      externalRepeats: repeats(coldExternal),
      workspace: coldLog.length - coldExternal.length,
      derivations: new Set(coldLog.map((c) => c.by)).size,
    },
    edits: [],
  };
  for (const crate of [model.leaf, model.core]) {
    editLibrary(path.join(root, model.dirs[crate] as string, 'src/lib.rs'));
    git(root, 'commit', '-q', '-am', `edit ${crate}`);
    build();
    const log = readLog(logDir);
    const rebuilt = [...new Set(log.map((c) => c.by))].sort();
    const crateDrvs = rebuilt
      .filter((d) => !d.includes('workspace') && !d.startsWith('synthetic'))
      .map((d) => d.replace(/-0\.1\.0$/, ''));
    const expected = [crate, ...(model.dependents[crate] ?? [])].sort();
    result.edits.push({
      crate,
      externalRecompiled: log.filter(external).length,
      cratesRecompiled: [...new Set(log.filter((c) => !external(c)).map((c) => c.pkg))].sort(),
      derivationsRebuilt: rebuilt,
      expected,
      exact: JSON.stringify(crateDrvs.sort()) === JSON.stringify(expected),
    });
  }
  return result;
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-build-bench-'));
  const logDir = path.join(tmp, 'log');
  fs.mkdirSync(logDir, { mode: 0o777 });
  fs.chmodSync(logDir, 0o777);
  const wrapper = path.join(tmp, 'count-rustc.sh');
  fs.writeFileSync(wrapper, WRAPPER.replace('$NIXIFY_RUSTC_LOG_DIR', logDir), { mode: 0o755 });
  const vendor = path.join(tmp, 'vendor');
  const model = writeSyntheticWorkspace(path.join(tmp, 'ws'), vendor);
  const cargoHome = vendoredCargoHome(path.join(tmp, 'cargo-home'), vendor);
  generateLockfile('cargo', path.join(tmp, 'ws'), cargoHome);
  formatWorkspace('cargo', path.join(tmp, 'ws'));
  console.log(
    `build model: ${model.members.length} members over ${model.registryCrates} registry crates (vendored), in ${tmp}`,
  );

  // Plain cargo first, in copies of its own.
  const copies: [string, string] = [path.join(tmp, 'ws-cargo-1'), path.join(tmp, 'ws-cargo-2')];
  for (const copy of copies) fs.cpSync(path.join(tmp, 'ws'), copy, { recursive: true });
  const started = performance.now();
  const reference = cargoReference(copies, cargoEnv(process.env, cargoHome, logDir, wrapper), logDir);
  const cargoSeconds = (performance.now() - started) / 1000;
  const refShipped = reference.shipped.filter(external);
  const refBuild = reference.allTargets.filter(external);
  const refAll = [...refBuild, ...reference.lint.filter(external)];
  console.log(
    `  cargo build + test --no-run: ${refShipped.length} external compilations (${fmtCounts(refShipped)})` +
      `\n  cargo build --all-targets + test --no-run: ${refBuild.length} (${fmtCounts(refBuild)}); then clippy + doc: ${refAll.length} in all (${fmtCounts(refAll)}); ${cargoSeconds.toFixed(0)} s for the three`,
  );

  const layouts = (process.env['BENCH_LAYOUTS'] ?? 'workspace')
    .split(',')
    .map((l) => l.trim()) as DepsLayout[];
  const results: LayoutResult[] = [];
  for (const layout of layouts) {
    const r = await measureLayout(layout, tmp, vendor, model, wrapper, logDir);
    results.push(r);
    const byMode = Object.entries(r.cold.externalByMode)
      .sort()
      .map(([m, n]) => `${m} ${n}`)
      .join(', ');
    const buildModes =
      (r.cold.externalByMode['build'] ?? 0) +
      (r.cold.externalByMode['test'] ?? 0) +
      (r.cold.externalByMode['build-script'] ?? 0);
    const refBuildCount = refBuild.length;
    console.log(
      `  deps=${layout}: cold checks build ${r.coldSeconds.toFixed(0)} s, ${r.cold.derivations} derivations ran rustc`,
    );
    console.log(
      `    external compilations ${r.cold.external} (${byMode}); workspace crates ${r.cold.workspace}; repeats of one unit (same crate, mode, -C metadata): ${r.cold.externalRepeats} (cargo: ${repeats(refAll)})`,
    );
    console.log(
      `    ratio, code builds vs cargo build + test --no-run: ${(buildModes / refShipped.length).toFixed(2)} (target <= ${TARGET_RATIO}); vs cargo build --all-targets + test --no-run: ${(buildModes / refBuildCount).toFixed(2)}`,
    );
    console.log(
      `    ratio, everything vs cargo build+test+clippy+doc: ${(r.cold.external / refAll.length).toFixed(2)} (target <= ${TARGET_RATIO}); vs cargo build+test alone: ${(r.cold.external / refBuildCount).toFixed(2)}`,
    );
    for (const e of r.edits) {
      console.log(
        `    edit ${e.crate}: ${e.externalRecompiled} external recompiled; workspace crates recompiled: ${e.cratesRecompiled.length}; crate derivations rebuilt ${e.exact ? 'exactly' : 'NOT exactly'} ${e.crate} and its ${e.expected.length - 1} dependents (${e.derivationsRebuilt.length} derivations ran rustc)`,
      );
    }
  }
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify({ model: { members: model.members.length, registry: model.registryCrates }, cargo: { shipped: refShipped.length, allTargets: refBuild.length, all: refAll.length, seconds: cargoSeconds }, results }, null, 2)}\n`,
  );
  console.log(`  results: ${path.relative(REPO_ROOT, RESULTS_FILE)}`);
  if (process.env['NIXIFY_KEEP_TEMP'] !== '1') fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(`build model bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
