// End to end: the bundled CLI as users run it. Needs `npm run build` first (dist/cli.js).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './helpers/repo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function nixify(args: string[], cwd: string): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') {
      throw error;
    }
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('nixify (dist/cli.js)', () => {
  let dir: string;
  before(function () {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` before the unit tests`);
  });
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-e2e-')));
    fs.writeFileSync(
      path.join(dir, 'Cargo.toml'),
      '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2021"\n',
    );
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'main.rs'), 'fn main() {}\n');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the detection as JSON and exits 0', async () => {
    const { code, stdout, stderr } = await nixify(['detect', '--json', dir], os.tmpdir());
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as { root: unknown; workspaces: unknown; problems: unknown };
    assert.equal(result.root, dir);
    assert.ok(Array.isArray(result.workspaces));
    assert.ok(Array.isArray(result.problems));
  });

  it('prints a human report and exits 0', async () => {
    const { code, stdout } = await nixify(['detect'], dir);
    assert.equal(code, 0);
    assert.ok(stdout.endsWith('\n'));
  });

  it('exits 2 with a message on stderr for a missing directory', async () => {
    const missing = path.join(dir, 'missing');
    const { code, stdout, stderr } = await nixify(['detect', missing], dir);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`no such directory: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('exits 2 for an unknown flag', async () => {
    const { code, stderr } = await nixify(['detect', '--no-such-flag'], dir);
    assert.equal(code, 2);
    assert.match(stderr, /--no-such-flag/);
  });

  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { code, stdout } = await nixify(['--version'], dir);
    assert.equal(code, 0);
    assert.equal(stdout, `${version}\n`);
  });
});
