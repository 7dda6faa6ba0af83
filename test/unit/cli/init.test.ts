import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_NOT_WRITTEN } from '../../../src/cli/init';
import { EXIT_OK, EXIT_USAGE, runCli } from '../../../src/cli/run';
import { REPO_ROOT } from '../helpers/repo';

function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const status = runCli(argv, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

describe('nixify init', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-init-')));
    fs.cpSync(path.join(REPO_ROOT, 'examples'), dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--dry-run prints the plan and the files and writes nothing', () => {
    const { status, stdout } = run(['init', '--dry-run'], dir);
    assert.equal(status, EXIT_OK);
    assert.match(stdout, /create {4}flake\.nix/);
    assert.match(stdout, /=== nix\/workspace\.nix \(new\)/);
    assert.equal(fs.existsSync(path.join(dir, 'flake.nix')), false);
  });

  it('writes the files, then keeps the choices recorded in flake.nix on the next run', () => {
    assert.equal(run(['init', '--toolchain', 'fenix', '--no-ci'], dir).status, EXIT_OK);
    assert.match(fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'), /toolchain=fenix .*ci=no/);
    const again = run(['init', '--dry-run'], dir);
    assert.match(again.stdout, /fenix toolchain/);
    assert.match(again.stdout, /unchanged flake\.nix/);
    assert.equal(fs.existsSync(path.join(dir, '.github')), false);
  });

  it('reads what it can of a hand-edited options header and names the entries it cannot read', () => {
    assert.equal(run(['init', '--toolchain', 'fenix', '--no-ci'], dir).status, EXIT_OK);
    const flake = path.join(dir, 'flake.nix');
    const text = fs.readFileSync(flake, 'utf8');
    fs.writeFileSync(flake, text.replace(/^# nixify: .*$/m, '# nixify: toolchain=gcc ci=no wasm=maybe junk'));
    const again = run(['init', '--dry-run'], dir);
    assert.equal(again.status, EXIT_OK);
    assert.equal(
      again.stderr,
      'nixify: flake.nix: the options header has entries this Nixify cannot read (toolchain=gcc, wasm=maybe, junk); their defaults apply\n',
    );
    assert.doesNotMatch(again.stdout, /fenix toolchain/);
    assert.doesNotMatch(again.stdout, /· CI/);
  });

  it('refuses to overwrite a flake.nix that differs, and shows it as a diff in --dry-run', () => {
    fs.writeFileSync(path.join(dir, 'flake.nix'), '# mine\n');
    const refused = run(['init'], dir);
    assert.equal(refused.status, EXIT_NOT_WRITTEN);
    assert.match(refused.stderr, /nothing written: flake\.nix already exists and differs/);
    assert.equal(fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'), '# mine\n');
    assert.equal(fs.existsSync(path.join(dir, 'nix')), false, 'nothing else written either');
    assert.match(run(['init', '--dry-run'], dir).stdout, /^-# mine$/m);
  });

  it('--force keeps a backup and --beside writes next to the original', () => {
    fs.writeFileSync(path.join(dir, 'flake.nix'), '# mine\n');
    assert.equal(run(['init', '--beside'], dir).status, EXIT_OK);
    assert.equal(fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'), '# mine\n');
    assert.ok(fs.existsSync(path.join(dir, 'flake.nixify.nix')));
    const forced = run(['init', '--force'], dir);
    assert.equal(forced.status, EXIT_OK);
    assert.match(forced.stdout, /previous version kept in flake\.nix\.nixify-backup/);
    assert.equal(fs.readFileSync(path.join(dir, 'flake.nix.nixify-backup'), 'utf8'), '# mine\n');
  });

  it('explains options that cannot work and where there is no workspace', () => {
    const wasm = run(['init', '--toolchain', 'nixpkgs'], dir);
    assert.equal(wasm.status, EXIT_USAGE);
    assert.match(wasm.stderr, /wasm32/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-empty-'));
    const none = run(['init', empty], dir);
    assert.equal(none.status, EXIT_USAGE);
    assert.match(none.stderr, /no Cargo workspace/);
    fs.rmSync(empty, { recursive: true });
  });
});
