import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  entryDir,
  forgetDevShell,
  profilePath,
  pruneOldGenerations,
  readCachedDevShell,
  writeCachedDevShell,
} from '../../../../src/core/devenv/cacheStore';
import type { DevShellEnv, ShellSource } from '../../../../src/core/devenv/types';

describe('core/devenv/cacheStore', () => {
  let storage: string;
  const source: ShellSource = {
    kind: 'flake',
    folder: '/work/my project',
    attr: 'default',
    system: 'x86_64-linux',
  };
  const env = (): DevShellEnv => ({
    source,
    delta: { set: { A: 'a' }, prepend: { PATH: '/nix/store/x/bin' }, unset: ['B'] },
    key: 'k1',
    profile: profilePath(source, storage),
    evaluatedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 12,
    nixVersion: 'nix (Nix) 2.8.0',
  });

  beforeEach(() => {
    storage = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-devenv-store-'));
  });
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  it('reads back what it wrote, one entry per folder, attribute and system', () => {
    assert.equal(readCachedDevShell(source, storage), undefined);
    writeCachedDevShell(env(), storage);
    assert.deepEqual(readCachedDevShell(source, storage), env());
    assert.equal(readCachedDevShell({ ...source, attr: 'other' }, storage), undefined);
    assert.equal(readCachedDevShell({ ...source, system: 'aarch64-linux' }, storage), undefined);
    assert.match(path.basename(entryDir(source, storage)), /^my_project-[0-9a-f]{16}$/);
    assert.notEqual(entryDir(source, storage), entryDir({ ...source, attr: 'other' }, storage));
  });

  it('replaces the file atomically and leaves no temporary file', () => {
    writeCachedDevShell(env(), storage);
    writeCachedDevShell({ ...env(), key: 'k2' }, storage);
    assert.equal(readCachedDevShell(source, storage)?.key, 'k2');
    assert.deepEqual(fs.readdirSync(entryDir(source, storage)), ['env.json']);
  });

  describe('an entry that cannot be used is ignored with one log line, never its values', () => {
    const damaged = (text: string): string[] => {
      writeCachedDevShell(env(), storage);
      fs.writeFileSync(path.join(entryDir(source, storage), 'env.json'), text);
      const lines: string[] = [];
      assert.equal(
        readCachedDevShell(source, storage, (line) => lines.push(line)),
        undefined,
      );
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.ok(lines[0]?.includes(path.join(entryDir(source, storage), 'env.json')), lines[0]);
      assert.doesNotMatch(lines[0] ?? '', /nix\/store\/x\/bin/);
      return lines;
    };
    const whole = () => JSON.stringify({ format: 1, ...env() }, null, 2);

    it('truncated JSON', () => {
      assert.match(damaged(whole().slice(0, 40))[0] ?? '', /not valid JSON/);
      assert.match(damaged('')[0] ?? '', /not valid JSON/);
    });

    it('an entry of an older (or newer) format', () => {
      const { format: _format, ...unversioned } = JSON.parse(whole()) as Record<string, unknown>;
      assert.match(damaged(JSON.stringify(unversioned))[0] ?? '', /format null, this Nixify reads format 1/);
      assert.match(damaged(JSON.stringify({ format: 99, ...env() }))[0] ?? '', /format 99/);
    });

    it('hand-edited: not an object, fields missing or of the wrong type, another shell', () => {
      assert.match(damaged('null')[0] ?? '', /not a JSON object/);
      assert.match(damaged('[1]')[0] ?? '', /not a JSON object/);
      const edited = { format: 1, ...env(), delta: { set: { A: 1 }, prepend: {}, unset: [] } };
      assert.match(damaged(JSON.stringify(edited))[0] ?? '', /lacks fields/);
      const other = { format: 1, ...env(), source: { ...source, folder: '/elsewhere' } };
      assert.match(damaged(JSON.stringify(other))[0] ?? '', /another shell/);
    });

    it('an entry that is a directory', () => {
      fs.mkdirSync(path.join(entryDir(source, storage), 'env.json'), { recursive: true });
      const lines: string[] = [];
      assert.equal(
        readCachedDevShell(source, storage, (line) => lines.push(line)),
        undefined,
      );
      assert.match(lines.join('\n'), /cannot be read \(EISDIR\)/);
    });

    it('says nothing when there is no entry yet', () => {
      const lines: string[] = [];
      assert.equal(
        readCachedDevShell(source, storage, (line) => lines.push(line)),
        undefined,
      );
      assert.deepEqual(lines, []);
    });
  });

  it('keeps only the generation the profile points to, and forgets everything', () => {
    const dir = entryDir(source, storage);
    fs.mkdirSync(dir, { recursive: true });
    for (const n of [1, 2, 3]) fs.symlinkSync(`/nix/store/gen${n}`, path.join(dir, `profile-${n}-link`));
    fs.symlinkSync('profile-3-link', path.join(dir, 'profile'));
    fs.writeFileSync(path.join(dir, 'profile-notes'), '');
    pruneOldGenerations(path.join(dir, 'profile'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['profile', 'profile-3-link', 'profile-notes']);
    forgetDevShell(source, storage);
    assert.equal(fs.existsSync(dir), false);
  });
});
