import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { profilePath, readCachedDevShell, writeCachedDevShell } from '../../../../src/core/devenv/cacheStore';
import { loadDevShell, usableCachedDevShell } from '../../../../src/core/devenv/evaluate';
import type { DevShellEnv, ShellSource } from '../../../../src/core/devenv/types';
import { CommandNotFoundError } from '../../../../src/core/process';

describe('core/devenv/evaluate: a cached entry whose GC root is gone', () => {
  let dir: string;
  let source: ShellSource;
  let cached: DevShellEnv;
  const storage = () => path.join(dir, 'storage');

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-devenv-eval-')));
    fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = _: { }; }');
    source = { kind: 'flake', folder: dir, attr: 'default', system: 'x86_64-linux' };
    cached = {
      source,
      delta: { set: { SECRET: 'hunter2' }, prepend: {}, unset: [] },
      key: 'k',
      profile: profilePath(source, storage()),
      evaluatedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 1,
      nixVersion: 'nix (Nix) 2.8.0',
    };
    writeCachedDevShell(cached, storage());
    // The store path the profile pointed to was garbage-collected (or the store wiped).
    fs.symlinkSync(path.join(dir, 'gone-profile-1-link'), cached.profile);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is not usable, and says why in one line naming the link and its target', () => {
    const lines: string[] = [];
    assert.equal(
      usableCachedDevShell(source, storage(), (line) => lines.push(line)),
      undefined,
    );
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /GC root .*profile points to .*gone-profile-1-link, which is gone/);
    assert.doesNotMatch(lines[0] ?? '', /hunter2/);
    // The entry itself is intact: only the closure it kept alive is gone.
    assert.deepEqual(readCachedDevShell(source, storage()), cached);
  });

  it('says the link is missing when there is none', () => {
    fs.rmSync(cached.profile);
    const lines: string[] = [];
    assert.equal(
      usableCachedDevShell(source, storage(), (line) => lines.push(line)),
      undefined,
    );
    assert.match(lines[0] ?? '', /GC root .*profile is missing/);
  });

  it('cache-first evaluates again (here with no nix: its own error), and nothing else is thrown', async () => {
    const lines: string[] = [];
    // Only the evaluation looks for nix: the cached path runs no process.
    await assert.rejects(
      loadDevShell(source, {
        storageDir: storage(),
        env: { PATH: path.join(dir, 'no-bin') },
        policy: 'cache-first',
        log: (line) => lines.push(line),
      }),
      CommandNotFoundError,
    );
    assert.equal(lines.length, 1);
  });
});
