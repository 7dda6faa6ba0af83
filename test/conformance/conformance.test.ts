// Conformance: for every fixture under test/fixtures, Nixify's model (from `nixify detect --json`)
// must agree with `cargo metadata --no-deps --offline --format-version 1` field by field, report the
// problems the fixture's nixify-expect.json lists, and list (or not list) the named packages.
//
// Each fixture is copied to a canonical temp dir first (cargo reports canonical paths), and the
// expect file's `setup` adds what git cannot hold (.git/, node_modules/, symlinks into /nix/store).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DetectResult, Problem } from '../../src/core/cargo';
import { cargoEnv, compareWithCargo, runCargoMetadata } from '../shared/cargoMetadata';
import { applyFixtureSetup, type FixtureSetup } from '../shared/fixtureSetup';

// Compiled to out/test/conformance/, three levels below the repository root.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const EXPECT_FILE = 'nixify-expect.json';

interface ExpectedProblem {
  /** Relative to the fixture root. */
  file: string;
  line?: number;
  column?: number;
  /** One substring, or several that must all occur in the message. */
  message_includes: string | string[];
}

interface FixtureExpectation {
  description: string;
  /** Workspace root manifests that cargo loads; each must match Nixify's workspace for it. */
  cargo_manifests: string[];
  problems: ExpectedProblem[];
  packages_listed: string[];
  packages_absent?: string[];
  /** When present: exactly the packages built for wasm32 on their own (`nixify.wasm` set). */
  wasm_crates?: string[];
  /** When present: exactly these Leptos sites (`nixify.leptos`), in the model's order. */
  leptos_sites?: ExpectedLeptosSite[];
  setup?: FixtureSetup;
  /** What cargo says about the manifests it refuses (documentation for humans; not checked). */
  cargo_errors?: Record<string, string>;
  cargo_warnings?: Record<string, string>;
}

interface ExpectedLeptosSite {
  output_name: string;
  bin_package: string;
  lib_package: string;
}

/** Every fixture directory holding a Cargo.toml; the others (recorded Nix output) are plain data. */
function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && holdsCargoToml(path.join(FIXTURES, entry.name)))
    .map((entry) => entry.name)
    .sort();
}

function holdsCargoToml(dir: string): boolean {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .some((entry) => entry.name === 'Cargo.toml' && !entry.isDirectory());
}

function readExpectation(name: string): FixtureExpectation {
  const file = path.join(FIXTURES, name, EXPECT_FILE);
  assert.ok(fs.existsSync(file), `fixture ${name} has no ${EXPECT_FILE}`);
  const expectation = JSON.parse(fs.readFileSync(file, 'utf8')) as FixtureExpectation;
  assert.ok(Array.isArray(expectation.cargo_manifests), `${name}: cargo_manifests must be an array`);
  assert.ok(Array.isArray(expectation.problems), `${name}: problems must be an array`);
  assert.ok(Array.isArray(expectation.packages_listed), `${name}: packages_listed must be an array`);
  assert.ok(
    expectation.cargo_manifests.length + expectation.problems.length + expectation.packages_listed.length > 0,
    `${name}: the expectation checks nothing`,
  );
  return expectation;
}

/** Copies the fixture into a fresh canonical temp dir and applies its setup; returns the copy's root. */
function materialise(name: string, expectation: FixtureExpectation): { root: string; cleanup: () => void } {
  const base = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'nixify-conformance-'));
  const root = path.join(base, name);
  fs.cpSync(path.join(FIXTURES, name), root, { recursive: true, verbatimSymlinks: true });
  fs.rmSync(path.join(root, EXPECT_FILE));
  applyFixtureSetup(root, expectation.setup ?? {});
  return {
    root,
    cleanup: () => {
      if (process.env.NIXIFY_KEEP_CONFORMANCE_TMP) {
        console.log(`    kept ${root}`);
      } else {
        fs.rmSync(base, { recursive: true, force: true });
      }
    },
  };
}

function runNixify(root: string): DetectResult {
  const run = spawnSync(process.execPath, [CLI, 'detect', '--json', root], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) {
    throw run.error;
  }
  const result = JSON.parse(run.stdout) as DetectResult;
  // 1 says the listing holds errors (README, exit status); anything else is a crash or a usage error.
  const hasErrors = [...result.problems, ...result.workspaces.flatMap((w) => w.problems)].some(
    (p) => p.severity === 'error',
  );
  assert.equal(
    run.status,
    hasErrors ? 1 : 0,
    `nixify detect exited with ${String(run.status)}:\n${run.stderr}`,
  );
  return result;
}

function relativeProblemFile(root: string, file: string): string {
  return (path.isAbsolute(file) ? path.relative(root, file) : file).split(path.sep).join('/');
}

function checkProblems(root: string, result: DetectResult, expected: ExpectedProblem[]): void {
  const all: Problem[] = [...result.problems, ...result.workspaces.flatMap((ws) => ws.problems)];
  const shown = all
    .map((p) => `  ${relativeProblemFile(root, p.file)}:${p.line}:${p.column} [${p.severity}] ${p.message}`)
    .join('\n');
  for (const want of expected) {
    const needles =
      typeof want.message_includes === 'string' ? [want.message_includes] : want.message_includes;
    const found = all.some(
      (p) =>
        relativeProblemFile(root, p.file) === want.file &&
        (want.line === undefined || p.line === want.line) &&
        (want.column === undefined || p.column === want.column) &&
        needles.every((needle) => p.message.includes(needle)),
    );
    const at = [want.file, want.line, want.column].filter((part) => part !== undefined).join(':');
    assert.ok(
      found,
      `expected a problem at ${at} whose message includes ${needles.map((n) => JSON.stringify(n)).join(' and ')}; Nixify reported:\n${shown || '  (no problems)'}`,
    );
  }
}

function checkPackages(result: DetectResult, listed: string[], absent: string[]): void {
  const names = new Set(result.workspaces.flatMap((ws) => ws.packages.map((p) => p.name)));
  const shown = [...names].sort().join(', ') || '(none)';
  for (const name of listed) {
    assert.ok(names.has(name), `package ${name} should be listed; Nixify listed: ${shown}`);
  }
  for (const name of absent) {
    assert.ok(
      !names.has(name),
      `package ${name} must not be listed (its directory is skipped); Nixify listed: ${shown}`,
    );
  }
}

function checkWasmAndLeptos(result: DetectResult, expectation: FixtureExpectation): void {
  const packages = result.workspaces.flatMap((ws) => ws.packages);
  if (expectation.wasm_crates !== undefined) {
    const wasm = packages.filter((p) => p.nixify.wasm !== null).map((p) => p.name);
    assert.deepEqual(wasm.sort(), [...expectation.wasm_crates].sort(), 'the wasm crates');
  }
  if (expectation.leptos_sites !== undefined) {
    // A workspace's site appears on both of its packages: each once.
    const seen = new Map<string, ExpectedLeptosSite>();
    for (const site of packages.flatMap((p) => p.nixify.leptos?.sites ?? [])) {
      const { output_name, bin_package, lib_package } = site;
      seen.set(JSON.stringify(site), { output_name, bin_package, lib_package });
    }
    assert.deepEqual([...seen.values()], expectation.leptos_sites, 'the Leptos sites');
  }
}

describe('conformance with cargo metadata', function () {
  this.timeout(120_000);
  let env: NodeJS.ProcessEnv = process.env;

  before(function () {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
    env = cargoEnv();
  });

  for (const name of fixtureNames()) {
    it(name, function () {
      const expectation = readExpectation(name);
      const { root, cleanup } = materialise(name, expectation);
      try {
        const result = runNixify(root);
        assert.equal(result.root, root, 'DetectResult.root is the directory that was searched');
        for (const entry of expectation.cargo_manifests) {
          const manifest = path.join(root, entry);
          compareWithCargo(result, manifest, runCargoMetadata(manifest, env));
        }
        checkProblems(root, result, expectation.problems);
        checkPackages(result, expectation.packages_listed, expectation.packages_absent ?? []);
        checkWasmAndLeptos(result, expectation);
      } finally {
        cleanup();
      }
    });
  }
});
