// State left by killed runs and two runs at once: the write lock and the atomic writes. The
// concurrency test runs real `nixify init` processes (dist/cli.js) side by side on one folder.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectWorkspaces } from '../../../../src/core/cargo';
import { parseOptionsHeader, planInit, defaultOptions } from '../../../../src/core/flake';
import { WRITE_LOCK, WriteLockedError, withWriteLock } from '../../../../src/core/flake/writeLock';
import { readPackageJson } from '../../helpers/packageJson';
import { REPO_ROOT } from '../../helpers/repo';

/** The pid of a process that has exited (pids are not reused that fast). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('the write lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('holds the lock while writing and removes it afterwards', () => {
    const seen = withWriteLock(dir, () => fs.readFileSync(path.join(dir, WRITE_LOCK), 'utf8'));
    assert.match(seen, new RegExp(`^${process.pid}\\n`));
    assert.ok(!fs.existsSync(path.join(dir, WRITE_LOCK)));
  });

  it('removes a lock left by a killed run, says so, and writes', () => {
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, WRITE_LOCK), `${pid}\n2026-01-01T00:00:00Z\n`);
    const notes: string[] = [];
    assert.equal(
      withWriteLock(
        dir,
        () => 'written',
        (n) => notes.push(n),
      ),
      'written',
    );
    assert.deepEqual(notes, [`removed ${path.join(dir, WRITE_LOCK)}, left by process ${pid}, which is gone`]);
  });

  it('removes a truncated lock file too', () => {
    fs.writeFileSync(path.join(dir, WRITE_LOCK), '');
    const notes: string[] = [];
    withWriteLock(
      dir,
      () => undefined,
      (n) => notes.push(n),
    );
    assert.match(notes[0] ?? '', /left by a run whose lock file is unreadable/);
  });

  it('refuses while another live process holds it, and leaves its lock alone', async () => {
    const other = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dir, WRITE_LOCK), `${other.pid}\n`);
      let ran = false;
      assert.throws(
        () => withWriteLock(dir, () => (ran = true)),
        (error: unknown) =>
          error instanceof WriteLockedError && error.message.includes(`process ${other.pid}`),
      );
      assert.equal(ran, false);
      assert.ok(fs.existsSync(path.join(dir, WRITE_LOCK)));
    } finally {
      other.kill();
    }
  });

  it('removes the half-written temp files of a killed run, and only those', () => {
    fs.mkdirSync(path.join(dir, 'nix'));
    const dead = path.join(dir, 'nix', `.workspace.nix.nixify-${deadPid()}.tmp`);
    const mine = path.join(dir, `.flake.nix.nixify-${process.pid}.tmp`);
    const user = path.join(dir, '.notes.tmp');
    for (const f of [dead, mine, user]) fs.writeFileSync(f, 'half');
    const notes: string[] = [];
    withWriteLock(
      dir,
      () => undefined,
      (n) => notes.push(n),
    );
    assert.ok(!fs.existsSync(dead));
    assert.ok(fs.existsSync(mine) && fs.existsSync(user));
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /half written by process \d+, which is gone/);
  });
});

describe('two nixify init runs on one folder at once', function () {
  this.timeout(120_000);
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');

  function run(args: string[]): Promise<{ status: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, 'init', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    });
  }

  it('leaves one complete set of files, from one of the two plans, every time', async () => {
    assert.ok(fs.existsSync(cli), 'dist/cli.js is built (npm run build)');
    for (let round = 0; round < 12; round++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-race-'));
      try {
        fs.cpSync(path.join(REPO_ROOT, 'examples'), dir, { recursive: true });
        // Different options, so that a mix of the two plans would show.
        const [a, b] = await Promise.all([
          run([dir, '--wasm', '--ci', '--toolchain', 'rust-overlay']),
          run([dir, '--no-wasm', '--no-ci', '--toolchain', 'fenix']),
        ]);
        for (const r of [a, b]) {
          assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
          if (r.status === 1) assert.match(r.stderr, /nothing written|already exist/);
        }
        assert.ok(a.status === 0 || b.status === 0, `one run writes: ${a.stderr} / ${b.stderr}`);
        const flake = fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8');
        const [ws] = detectWorkspaces(dir, {}).workspaces;
        assert.ok(ws);
        const plan = planInit(
          ws,
          { ...defaultOptions(ws), ...parseOptionsHeader(flake) },
          String(readPackageJson().version),
        );
        for (const file of plan.files) {
          assert.equal(file.status, 'unchanged', `round ${round}: ${file.path} is not from flake.nix's plan`);
        }
        const nixFiles = fs.readdirSync(path.join(dir, 'nix')).map((f) => `nix/${f}`);
        assert.deepEqual(
          nixFiles.sort(),
          plan.files
            .map((f) => f.path)
            .filter((p) => p.startsWith('nix/'))
            .sort(),
          `round ${round}: no file of the other plan`,
        );
        assert.equal(fs.existsSync(path.join(dir, '.github')), plan.options.ci, `round ${round}: CI files`);
        assert.deepEqual(
          fs.readdirSync(dir).filter((f) => f.includes('nixify')),
          [],
          `round ${round}: no lock or temp file left`,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
