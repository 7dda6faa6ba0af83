// Every command on a repository whose root Cargo.toml does not parse — a cargo-generate template,
// whose `{% if %}` tags cargo refuses at Cargo.toml:10:29 — as a new user meets it (issue 16).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from '../../../src/cli/run';
import { runNixify } from '../helpers/cli';
import { tree } from '../helpers/tree';

const TEMPLATE_LINE = 'tokio = { version = "1.35", {% if full %}features = ["full"]{% endif %} }';
const FIXED_LINE = 'tokio = { version = "1.35", features = ["full"] }';
const CARGO_WORDS = 'failed to parse manifest: missing key for inline table element, expected key';

const PACKAGE = [
  '[package]',
  'name = "{{project-name}}"',
  'version = "0.1.0"',
  'edition = "2021"',
  'authors = ["{{authors}}"]',
  '',
  '[dependencies]',
  'anyhow = "1"',
  'serde = "1"',
  TEMPLATE_LINE,
  '',
].join('\n');

const WORKSPACE = [
  '[workspace]',
  'members = ["app", "lib"]',
  'resolver = "2"',
  '',
  '[workspace.package]',
  'version = "0.1.0"',
  'edition = "2021"',
  '',
  '[workspace.dependencies]',
  TEMPLATE_LINE,
  '',
].join('\n');

const member = (name: string, deps = '') =>
  `[package]\nname = "${name}"\nversion.workspace = true\nedition.workspace = true\n${deps}`;

function singlePackage(): string {
  return tree({ 'Cargo.toml': PACKAGE, 'src/main.rs': 'fn main() {}\n' }, 'nixify-broken-');
}

function brokenWorkspace(): string {
  return tree(
    {
      'Cargo.toml': WORKSPACE,
      'app/Cargo.toml': member('app', '\n[dependencies]\nlib = { path = "../lib" }\n'),
      'app/src/main.rs': 'fn main() {}\n',
      'lib/Cargo.toml': member('lib'),
      'lib/src/lib.rs': '',
    },
    'nixify-broken-',
  );
}

/** Fixes the first template error left, as a user fixing the reported error would. */
function fix(root: string): void {
  const manifest = path.join(root, 'Cargo.toml');
  const text = fs.readFileSync(manifest, 'utf8');
  const fixed = text.includes(TEMPLATE_LINE)
    ? text.replace(TEMPLATE_LINE, FIXED_LINE)
    : text.replace('{{project-name}}', 'demo');
  fs.writeFileSync(manifest, fixed);
}

/** The one `nixify …` command an error message tells the user to run next, as argv. */
function advisedCommand(stderr: string): string[] {
  const commands = [...stderr.matchAll(/`nixify (init [^`]+)`/g)].map((m) => m[1] ?? '');
  assert.equal(commands.length, 1, `one init command advised in:\n${stderr}`);
  return (commands[0] ?? '').split(' ');
}

/** cargo's error for the manifest in `dir`, or null where cargo is not installed. */
function cargoError(dir: string): { location: string; words: string } | null {
  const run = spawnSync('cargo', ['metadata', '--no-deps', '--offline', '--format-version', '1'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (run.error) return null;
  assert.notEqual(run.status, 0, 'cargo accepted the template');
  const words = /^error: (.*)$/m.exec(run.stderr)?.[1] ?? '';
  const location = /--> (\S+)/.exec(run.stderr)?.[1] ?? '';
  return { location, words };
}

describe('every command on a root Cargo.toml that does not parse', () => {
  const roots: string[] = [];
  const make = (create: () => string) => {
    const root = create();
    roots.push(root);
    return root;
  };
  after(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

  for (const [kind, create] of [
    ['a single package', singlePackage],
    ['a workspace root', brokenWorkspace],
  ] as const) {
    describe(kind, () => {
      it("is where cargo says, in cargo's words (checked against cargo when it is installed)", () => {
        const root = make(create);
        const cargo = cargoError(root);
        if (cargo) {
          assert.equal(cargo.location, 'Cargo.toml:10:29');
          assert.equal(`failed to parse manifest: ${cargo.words}`, CARGO_WORDS);
        }
      });

      it('detect prints the error at file:line:column, no "No Cargo.toml found", and exits 1', async () => {
        const root = make(create);
        const { status, stdout } = await runNixify(['detect'], root);
        assert.equal(status, EXIT_ERRORS);
        assert.match(stdout, new RegExp(`^Cargo\\.toml:10:29: error: ${escape(CARGO_WORDS)}$`, 'm'));
        assert.doesNotMatch(stdout, /No Cargo\.toml found/);
        assert.match(stdout, /No Cargo workspace in \. can be loaded: 1 error above\.\n$/);
        const json = await runNixify(['detect', '--json'], root);
        assert.equal(json.status, EXIT_ERRORS);
        const result = JSON.parse(json.stdout) as { workspaces: unknown[]; problems: { line: number }[] };
        assert.deepEqual([result.workspaces, result.problems.map((p) => p.line)], [[], [10]]);
      });

      it('init writes nothing, names the error and exits 1; its advice works once each error is fixed', async () => {
        const root = make(create);
        let run = await runNixify(['init'], root);
        assert.equal(run.status, EXIT_ERRORS);
        assert.match(run.stderr, new RegExp(`^ {2}Cargo\\.toml:10:29: error: ${escape(CARGO_WORDS)}$`, 'm'));
        assert.equal(fs.existsSync(path.join(root, 'flake.nix')), false);
        // The template's next error shows once it parses: `{{project-name}}` is no package name for
        // cargo either. Each round fixes what was reported and runs exactly what the message says.
        const seen: string[] = [];
        for (let round = 0; round < 3 && run.status !== EXIT_OK; round++) {
          seen.push(/^ {2}(\S+: error: .*)$/m.exec(run.stderr)?.[1] ?? run.stderr);
          fix(root);
          run = await runNixify(advisedCommand(run.stderr), root);
        }
        assert.equal(run.status, EXIT_OK, run.stderr);
        assert.ok(fs.existsSync(path.join(root, 'flake.nix')));
        assert.deepEqual(
          seen,
          kind === 'a single package'
            ? [
                `Cargo.toml:10:29: error: ${CARGO_WORDS}`,
                'Cargo.toml:2:8: error: invalid character `{` in package name: `{{project-name}}`, the first character must be a Unicode XID start character (most letters or `_`)',
              ]
            : [`Cargo.toml:10:29: error: ${CARGO_WORDS}`],
        );
      });

      it('status names the error beside the missing flake.nix and exits 2', async () => {
        const root = make(create);
        const { status, stderr } = await runNixify(['status'], root);
        assert.equal(status, EXIT_USAGE);
        assert.match(stderr, /no flake\.nix in .*; nixify init writes one once Cargo\.toml parses:/);
        assert.match(stderr, /Cargo\.toml:10:29: error:/);
      });

      it('health reports the manifest as an error and offers no `nixify init` that would fail', async () => {
        const root = make(create);
        const { status, stdout } = await runNixify(['health', '--json'], root, {
          PATH: path.join(root, 'no-bin'),
        });
        assert.equal(status, EXIT_ERRORS);
        const items = (
          JSON.parse(stdout) as { items: { id: string; status: string; detail: string; fix?: unknown }[] }
        ).items;
        const manifest = items.find((i) => i.id.startsWith('workspace.cargoToml'));
        assert.equal(manifest?.status, 'error');
        assert.match(manifest?.detail ?? '', new RegExp(`^Cargo\\.toml:10:29: ${escape(CARGO_WORDS)}`));
        assert.equal(items.find((i) => i.id === 'workspace.flake')?.fix, undefined);
        assert.equal(items.find((i) => i.id === 'workspace.cargoLock')?.detail, 'Cargo.toml does not parse.');
      });

      it('env, which reads no Cargo.toml, says what it needs and exits 2', async () => {
        const root = make(create);
        const { status, stderr } = await runNixify(['env'], root);
        assert.equal(status, EXIT_USAGE);
        assert.match(stderr, /no flake\.nix, shell\.nix or default\.nix/);
      });
    });
  }

  describe('from a member of the broken workspace', () => {
    it('is never offered as a workspace of its own; init points at the root, and that works once fixed', async () => {
      const root = make(brokenWorkspace);
      const app = path.join(root, 'app');
      const detect = await runNixify(['detect', '--json'], app);
      assert.equal(detect.status, EXIT_ERRORS);
      assert.deepEqual((JSON.parse(detect.stdout) as { workspaces: unknown[] }).workspaces, []);
      const fromRoot = await runNixify(['detect', '--json'], root);
      assert.deepEqual((JSON.parse(fromRoot.stdout) as { workspaces: unknown[] }).workspaces, []);

      const failed = await runNixify(['init'], app);
      assert.equal(failed.status, EXIT_ERRORS);
      assert.doesNotMatch(failed.stderr, /no workspace root was found|name one/);
      assert.match(failed.stderr, new RegExp(`^ {2}${escape(root)}/Cargo\\.toml:10:29: error:`, 'm'));
      assert.deepEqual(advisedCommand(failed.stderr), ['init', root]);
      fix(root);
      const followed = await runNixify(advisedCommand(failed.stderr), app);
      assert.equal(followed.status, EXIT_OK, followed.stderr);
      assert.ok(fs.existsSync(path.join(root, 'flake.nix')));
      assert.equal(fs.existsSync(path.join(app, 'flake.nix')), false);
    });
  });

  it('a workspace of its own below the broken root still works with init', async () => {
    const root = make(brokenWorkspace);
    fs.mkdirSync(path.join(root, 'tools/x/src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'tools/Cargo.toml'), '[workspace]\nmembers = ["x"]\nresolver = "2"\n');
    fs.writeFileSync(
      path.join(root, 'tools/x/Cargo.toml'),
      '[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n',
    );
    fs.writeFileSync(path.join(root, 'tools/x/src/main.rs'), 'fn main() {}\n');
    const { status, stderr } = await runNixify(['init', 'tools'], root);
    assert.equal(status, EXIT_OK, stderr);
    assert.ok(fs.existsSync(path.join(root, 'tools/flake.nix')));
  });

  it('a member that does not parse: init names it and the command to run once it is fixed, which works', async () => {
    const root = make(() =>
      tree(
        {
          'Cargo.toml': '[workspace]\nmembers = ["a", "b"]\nresolver = "2"\n',
          'a/Cargo.toml': '[package]\nname = "a"\nversion = "0.1.0\n',
          'a/src/lib.rs': '',
          'b/Cargo.toml': '[package]\nname = "b"\nversion = "0.1.0"\nedition = "2021"\n',
          'b/src/main.rs': 'fn main() {}\n',
        },
        'nixify-broken-',
      ),
    );
    const failed = await runNixify(['init'], root);
    assert.equal(failed.status, EXIT_ERRORS);
    assert.match(failed.stderr, /^ {2}a\/Cargo\.toml:3:17: error: .*invalid basic string, expected `"`/m);
    fs.writeFileSync(
      path.join(root, 'a/Cargo.toml'),
      '[package]\nname = "a"\nversion = "0.1.0"\nedition = "2021"\n',
    );
    const followed = await runNixify(advisedCommand(failed.stderr), root);
    assert.equal(followed.status, EXIT_OK, followed.stderr);
  });

  it('a crate name cargo accepts but the CI workflow cannot name: init says to use --no-ci, and that works', async () => {
    const root = make(() =>
      tree(
        {
          'Cargo.toml': '[package]\nname = "é-crate"\nversion = "0.1.0"\nedition = "2021"\n',
          'src/main.rs': 'fn main() {}\n',
        },
        'nixify-broken-',
      ),
    );
    const refused = await runNixify(['init', '--ci'], root);
    assert.equal(refused.status, EXIT_USAGE);
    assert.match(refused.stderr, /cannot name the crate `é-crate`.*: run again with --no-ci/);
    const followed = await runNixify(['init', '--no-ci'], root);
    assert.equal(followed.status, EXIT_OK, followed.stderr);
  });

  it('one flake for the projects that load, the broken one left out and named at file:line', async () => {
    const root = make(() =>
      tree(
        {
          'broken/Cargo.toml': PACKAGE,
          'broken/src/main.rs': 'fn main() {}\n',
          'one/Cargo.toml': '[package]\nname = "one"\nversion = "0.1.0"\nedition = "2021"\n',
          'one/src/main.rs': 'fn main() {}\n',
          'two/Cargo.toml': '[package]\nname = "two"\nversion = "0.1.0"\nedition = "2021"\n',
          'two/src/main.rs': 'fn main() {}\n',
        },
        'nixify-broken-',
      ),
    );
    const { status, stdout, stderr } = await runNixify(['init', '--no-ci'], root);
    assert.equal(status, EXIT_OK, stderr);
    assert.match(stderr, /the project at broken is left out: it has errors/);
    assert.match(stderr, /broken\/Cargo\.toml:10:29/);
    assert.match(stdout, /project {3}one {2}\(one\)/);
    assert.match(stdout, /project {3}two {2}\(two\)/);
    const flake = fs.readFileSync(path.join(root, 'flake.nix'), 'utf8');
    assert.match(flake, /one = mkProject \{/);
    assert.match(flake, /two = mkProject \{/);
    assert.doesNotMatch(flake, /broken = mkProject/);
    assert.match(
      flake,
      /cargoProjects = \[\n\s+"broken"/,
      'the broken project’s files stay out of the others’ sources',
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
