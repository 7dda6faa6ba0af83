import * as assert from 'node:assert/strict';
import { parseLockfile } from '../../../../src/core/cargo/lockfile';

describe('core/cargo/lockfile', () => {
  it('reads v4 with registry, git and path packages', () => {
    const text = [
      'version = 4',
      '',
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'dependencies = ["serde"]',
      '',
      '[[package]]',
      'name = "serde"',
      'version = "1.0.219"',
      'source = "registry+https://github.com/rust-lang/crates.io-index"',
      'checksum = "5f0e2c6ed6606019b4e29e69dbaba95b11854410e5347d525002456dbbb786b6"',
      '',
      '[[package]]',
      'name = "gitdep"',
      'version = "2.0.0"',
      'source = "git+https://example.com/gitdep?branch=main#0123456789abcdef"',
    ].join('\n');
    const { lockfile } = parseLockfile(text, '/x/Cargo.lock');
    assert.equal(lockfile?.version, 4);
    assert.deepEqual(
      lockfile?.packages.map((p) => [p.name, p.version, p.source !== null, p.checksum !== null]),
      [
        ['app', '0.1.0', false, false],
        ['serde', '1.0.219', true, true],
        ['gitdep', '2.0.0', true, false],
      ],
    );
  });

  it('reads v1 checksums from [metadata]', () => {
    const source = 'registry+https://github.com/rust-lang/crates.io-index';
    const text = `[[package]]\nname = "libc"\nversion = "0.2.1"\nsource = "${source}"\n\n[metadata]\n"checksum libc 0.2.1 (${source})" = "abc"\n`;
    const { lockfile } = parseLockfile(text, 'Cargo.lock');
    assert.equal(lockfile?.version, 1);
    assert.equal(lockfile?.packages[0]?.checksum, 'abc');
  });

  it('reports a broken lockfile with its position', () => {
    const { lockfile, problem } = parseLockfile('version = 3\n[[package]\n', 'Cargo.lock');
    assert.equal(lockfile, null);
    assert.equal(problem?.line, 2);
  });

  it('refuses, at the version line and in cargo\'s words, a version cargo does not read (99, 0, "3", 3.5)', () => {
    const lock = (version: string) =>
      `# generated\nversion = ${version}\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n`;
    for (const v of ['99', '0', '5']) {
      const { lockfile, problem } = parseLockfile(lock(v), 'Cargo.lock');
      assert.equal(lockfile?.packages.length, 1);
      assert.deepEqual([problem?.line, problem?.column, problem?.severity], [2, 1, 'error']);
      assert.equal(
        problem?.message,
        `lock file version \`${v}\` was found, but this version of Cargo does not understand this lock file, perhaps Cargo needs to be updated?`,
      );
    }
    assert.equal(
      parseLockfile(lock('"3"'), 'Cargo.lock').problem?.message,
      'invalid type: string "3", expected u32',
    );
    assert.equal(
      parseLockfile(lock('3.5'), 'Cargo.lock').problem?.message,
      'invalid type: floating point `3.5`, expected u32',
    );
    for (const v of ['1', '3', '4']) assert.equal(parseLockfile(lock(v), 'Cargo.lock').problem, undefined);
  });
});
