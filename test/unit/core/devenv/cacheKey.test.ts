import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheKeyInputs, computeCacheKey, keyFiles, nixIdentity } from '../../../../src/core/devenv/cacheKey';
import type { ShellSource } from '../../../../src/core/devenv/types';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('core/devenv/cacheKey', () => {
  let dir: string;
  let source: ShellSource;
  let fakeNix: string;
  const key = (s: ShellSource = source) => computeCacheKey(s, { nix: fakeNix });

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-devenv-key-')));
    source = { kind: 'flake', folder: path.join(dir, 'proj'), attr: 'default', system: 'x86_64-linux' };
    write(path.join(dir, 'proj', 'flake.nix'), '{ outputs = _: { }; }');
    fakeNix = path.join(dir, 'bin', 'nix');
    write(fakeNix, '#!/bin/sh\n');
    fs.chmodSync(fakeNix, 0o755);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hashes flake.lock and rust-toolchain files at the top and .nix files below, skipping build and VCS folders', () => {
    const p = (rel: string) => path.join(dir, 'proj', rel);
    for (const rel of ['flake.lock', 'rust-toolchain.toml', 'nix/shell.nix', 'a/b/c.nix', 'README.md'])
      write(p(rel), rel);
    for (const rel of [
      '.git/x.nix',
      'target/x.nix',
      'node_modules/x.nix',
      'result/x.nix',
      'result-dev/x.nix',
      '.direnv/x.nix',
      'sub/flake.lock',
    ]) {
      write(p(rel), rel);
    }
    fs.symlinkSync('..', p('loop'));
    assert.deepEqual(keyFiles(source.folder), [
      'a/b/c.nix',
      'flake.lock',
      'flake.nix',
      'nix/shell.nix',
      'rust-toolchain.toml',
    ]);
  });

  it('is stable for unchanged content even when mtimes change', async () => {
    const first = await key();
    const flake = path.join(source.folder, 'flake.nix');
    fs.utimesSync(flake, new Date(2000, 1, 1), new Date(2000, 1, 1));
    fs.writeFileSync(flake, fs.readFileSync(flake));
    assert.equal(await key(), first);
  });

  it('changes with every input: flake.nix, a new .nix file, flake.lock, rust-toolchain, attribute, system, Nix', async () => {
    const seen = new Set([await key()]);
    const expectNew = async (what: string, k: Promise<string>) => {
      const value = await k;
      assert.ok(!seen.has(value), `${what} must change the key`);
      seen.add(value);
    };
    write(path.join(source.folder, 'flake.nix'), '{ outputs = _: { x = 1; }; }');
    await expectNew('editing flake.nix', key());
    write(path.join(source.folder, 'nix', 'extra.nix'), '{ }');
    await expectNew('a new .nix file', key());
    write(path.join(source.folder, 'flake.lock'), '{}');
    await expectNew('flake.lock', key());
    write(path.join(source.folder, 'rust-toolchain'), 'stable');
    await expectNew('rust-toolchain', key());
    await expectNew('another attribute', key({ ...source, attr: 'other' }));
    await expectNew('another system', key({ ...source, system: 'aarch64-linux' }));
    fs.appendFileSync(fakeNix, '# upgraded\n');
    await expectNew('another Nix binary', key());
  });

  it('identifies nix found on PATH by its resolved path, without running it', () => {
    const linkDir = path.join(dir, 'links');
    fs.mkdirSync(linkDir);
    fs.symlinkSync(fakeNix, path.join(linkDir, 'nix'));
    const identity = nixIdentity('nix', { PATH: `/nonexistent:${linkDir}` });
    assert.ok(identity.startsWith(`${fakeNix} `), identity);
    assert.equal(nixIdentity('nix', { PATH: '/nonexistent' }), 'nix: not found');
  });

  it('lists watcher globs for the inputs', () => {
    assert.deepEqual(cacheKeyInputs(source), [
      'flake.nix',
      'flake.lock',
      '**/*.nix',
      'rust-toolchain',
      'rust-toolchain.toml',
    ]);
    assert.deepEqual(cacheKeyInputs({ ...source, kind: 'shell.nix', attr: '' }), [
      'shell.nix',
      '**/*.nix',
      'rust-toolchain',
      'rust-toolchain.toml',
    ]);
  });
});
