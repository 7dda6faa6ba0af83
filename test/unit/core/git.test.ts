import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitAdd, gitTrackedStatus, isInsideGitWorkTree } from '../../../src/core/git';
import { onProcessStart, ProcessError } from '../../../src/core/process';

// Git variables from a surrounding hook would point the fixture's git at another repository.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')));

function gitSync(cwd: string, ...args: string[]): string {
  const result = spawnSync(
    'git',
    ['-c', 'user.name=Nixify Test', '-c', 'user.email=test@nixify.invalid', ...args],
    {
      cwd,
      env: cleanEnv,
      encoding: 'utf8',
    },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** Counts processes started while `body` runs. */
async function countProcesses(body: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const listener = onProcessStart(() => count++);
  try {
    await body();
  } finally {
    listener.dispose();
  }
  return count;
}

describe('core/git', () => {
  let repo: string;
  let outside: string;

  beforeEach(() => {
    repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-git-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-nogit-')));
    gitSync(repo, 'init', '-q');
    const files: Record<string, string> = {
      'flake.nix': '{}',
      'a.nix': 'a',
      '[a].nix': 'glob-looking name',
      'nix/pkgs.nix': 'p',
      'nix/new.nix': 'n',
      'with space.nix': 's',
      '.gitignore': 'ignored.nix\n',
      'ignored.nix': 'i',
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.writeFileSync(path.join(repo, file), text);
    }
    gitSync(repo, 'add', 'flake.nix', 'a.nix', 'nix/pkgs.nix');
    gitSync(repo, 'commit', '-q', '-m', 'init');
  });

  afterEach(() => {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('isInsideGitWorkTree: true in the repository and below, false elsewhere', async () => {
    assert.equal(await isInsideGitWorkTree(repo), true);
    assert.equal(await isInsideGitWorkTree(path.join(repo, 'nix')), true);
    assert.equal(await isInsideGitWorkTree(outside), false);
    assert.equal(await isInsideGitWorkTree(path.join(outside, 'missing')), false);
  });

  it('gitTrackedStatus splits paths in one git call, reading names literally', async () => {
    let status;
    const count = await countProcesses(async () => {
      status = await gitTrackedStatus(repo, [
        './flake.nix',
        '[a].nix',
        'nix',
        'nix/new.nix',
        'with space.nix',
        'missing.nix',
      ]);
    });
    assert.equal(count, 1);
    assert.deepEqual(status, {
      tracked: ['./flake.nix', 'nix'],
      untracked: ['[a].nix', 'nix/new.nix', 'with space.nix', 'missing.nix'],
    });
  });

  it('gitTrackedStatus counts staged files as tracked and works from a subdirectory', async () => {
    gitSync(repo, 'add', 'nix/new.nix');
    assert.deepEqual(await gitTrackedStatus(path.join(repo, 'nix'), ['new.nix', 'pkgs.nix', 'other.nix']), {
      tracked: ['new.nix', 'pkgs.nix'],
      untracked: ['other.nix'],
    });
  });

  it('gitAdd stages the given files and nothing else', async () => {
    await gitAdd(repo, ['[a].nix', 'with space.nix']);
    assert.deepEqual(gitSync(repo, 'diff', '--cached', '--name-only', '-z').split('\0').filter(Boolean), [
      '[a].nix',
      'with space.nix',
    ]);
    assert.deepEqual((await gitTrackedStatus(repo, ['[a].nix', 'with space.nix', 'nix/new.nix'])).untracked, [
      'nix/new.nix',
    ]);
  });

  it('runs no git at all for an empty list of paths', async () => {
    const count = await countProcesses(async () => {
      assert.deepEqual(await gitTrackedStatus(repo, []), { tracked: [], untracked: [] });
      await gitAdd(repo, []);
    });
    assert.equal(count, 0);
  });

  it('throws ProcessError with git’s message when git refuses', async () => {
    await assert.rejects(gitAdd(repo, ['ignored.nix']), (error: unknown) => {
      assert.ok(error instanceof ProcessError);
      assert.match(error.message, /^`git --literal-pathspecs add -- ignored.nix` exited with code 1:/);
      assert.match(error.message, /ignored/);
      return true;
    });
    await assert.rejects(gitTrackedStatus(outside, ['flake.nix']), ProcessError);
  });

  it('rejects absolute paths', async () => {
    await assert.rejects(
      gitTrackedStatus(repo, [path.join(repo, 'flake.nix')]),
      /relative to the repository/,
    );
  });
});
