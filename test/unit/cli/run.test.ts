import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_OK, EXIT_USAGE, runCli } from '../../../src/cli/run';

function run(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const status = runCli(argv, {
    cwd,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { status, stdout, stderr };
}

describe('runCli', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-cli-')));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('detects in the current directory by default', () => {
    const { status, stdout, stderr } = run(['detect', '--json'], dir);
    assert.equal(status, EXIT_OK);
    assert.equal(stderr, '');
    assert.equal((JSON.parse(stdout) as { root: string }).root, dir);
  });

  it('resolves DIR against the current directory', () => {
    fs.mkdirSync(path.join(dir, 'sub'));
    const { status, stdout } = run(['detect', 'sub', '--json'], dir);
    assert.equal(status, EXIT_OK);
    assert.equal((JSON.parse(stdout) as { root: string }).root, path.join(dir, 'sub'));
  });

  it('prints --json output as indented JSON with a final newline', () => {
    const { stdout } = run(['detect', '--json'], dir);
    assert.equal(stdout, `${JSON.stringify(JSON.parse(stdout), null, 2)}\n`);
  });

  it('prints a human summary by default', () => {
    const { status, stdout } = run(['detect'], dir);
    assert.equal(status, EXIT_OK);
    assert.match(stdout, /\n?.*\d+ workspaces?|No Cargo\.toml found in \./);
  });

  it('exits 2 for a directory that does not exist', () => {
    const { status, stdout, stderr } = run(['detect', 'missing'], dir);
    assert.equal(status, EXIT_USAGE);
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      `nixify: no such directory: ${path.join(dir, 'missing')}\nRun 'nixify --help' for usage.\n`,
    );
  });

  it('exits 2 for a file given as DIR', () => {
    fs.writeFileSync(path.join(dir, 'Cargo.toml'), '');
    const { status, stderr } = run(['detect', 'Cargo.toml'], dir);
    assert.equal(status, EXIT_USAGE);
    assert.match(stderr, /^nixify: not a directory: /);
  });

  it('exits 2 for an unknown flag', () => {
    const { status, stderr } = run(['detect', '--nope'], dir);
    assert.equal(status, EXIT_USAGE);
    assert.match(stderr, /Unknown option '--nope'/);
  });

  it('prints help and version on stdout', () => {
    assert.match(run(['--help'], dir).stdout, /^Usage: nixify <command>/);
    assert.match(run(['--version'], dir).stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
