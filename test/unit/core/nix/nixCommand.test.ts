import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  nixArgs,
  nixDialect,
  parseNixVersion,
  probeNixVersion,
  UnsafeNixArgumentError,
} from '../../../../src/core/nix/nixCommand';
import { CommandNotFoundError, ProcessError, runProcess } from '../../../../src/core/process';

describe('core/nix/nixCommand', () => {
  describe('nixArgs', () => {
    it('enables flakes as two argv items, then options, then the subcommand', () => {
      assert.deepEqual(nixArgs(['eval', '--json', '.#packages']), [
        '--extra-experimental-features',
        'nix-command flakes',
        'eval',
        '--json',
        '.#packages',
      ]);
      assert.deepEqual(
        nixArgs(['build', '--json', '--no-link'], {
          options: { substituters: '', 'narinfo-cache-negative-ttl': '0' },
        }),
        [
          '--extra-experimental-features',
          'nix-command flakes',
          '--option',
          'substituters',
          '',
          '--option',
          'narinfo-cache-negative-ttl',
          '0',
          'build',
          '--json',
          '--no-link',
        ],
      );
    });

    it('refuses accept-flake-config in every form', () => {
      const refused: [string[], Record<string, string>][] = [
        [['build'], { 'accept-flake-config': 'true' }],
        [['build'], { 'extra-accept-flake-config': 'true' }],
        [['build', '--accept-flake-config'], {}],
        [['build', '--no-accept-flake-config'], {}],
        [['build', '--accept-flake-config=true'], {}],
        [['build', '--option', 'accept-flake-config', 'true'], {}],
        [['build', '--extra-option', 'accept-flake-config', 'true'], {}],
      ];
      for (const [subcommand, options] of refused) {
        assert.throws(() => nixArgs(subcommand, { options }), UnsafeNixArgumentError, subcommand.join(' '));
      }
      assert.throws(() => nixArgs(['build', '--accept-flake-config']), {
        message: /Refusing to run nix with --accept-flake-config/,
      });
    });

    it('lets the words through where they are data, and rejects odd option names', () => {
      assert.doesNotThrow(() => nixArgs(['eval', '--expr', '"accept-flake-config"']));
      assert.throws(() => nixArgs(['build'], { options: { 'a b': '1' } }), /Invalid nix option name/);
      assert.throws(() => nixArgs(['build'], { options: { '': '1' } }), /Invalid nix option name/);
    });
  });

  describe('parseNixVersion', () => {
    const cases: [string, [number, number, number] | null][] = [
      ['nix (Nix) 2.8.0\n', [2, 8, 0]],
      ['nix (Nix) 2.26.3\n', [2, 26, 3]],
      ['nix (Nix) 2.18.1pre20231027_abcdef0\n', [2, 18, 1]],
      ['nix (Lix, like Nix) 2.91.1\nSystem type: x86_64-linux\n', [2, 91, 1]],
      ['nix (Determinate Nix 3.6.2) 2.29.0\n', [2, 29, 0]],
      ['nix (Nix) 2.4\n', [2, 4, 0]],
      ['not nix at all\n', null],
      ['echo (GNU coreutils) 9.1\n', null],
      ['', null],
    ];
    for (const [stdout, expected] of cases) {
      it(`reads ${JSON.stringify(stdout)}`, () => {
        const version = parseNixVersion(stdout);
        assert.deepEqual(version && [version.major, version.minor, version.patch], expected);
      });
    }

    it('keeps the first line as raw', () => {
      assert.equal(parseNixVersion('nix (Nix) 2.18.1pre2023\nmore\n')?.raw, 'nix (Nix) 2.18.1pre2023');
    });
  });

  it('nixDialect: legacy before 2.18, modern from 2.18', () => {
    assert.equal(nixDialect({ major: 2, minor: 8 }), '2.8');
    assert.equal(nixDialect({ major: 2, minor: 17 }), '2.8');
    assert.equal(nixDialect({ major: 2, minor: 18 }), 'modern');
    assert.equal(nixDialect({ major: 2, minor: 26 }), 'modern');
    assert.equal(nixDialect({ major: 3, minor: 0 }), 'modern');
  });

  describe('probeNixVersion', () => {
    it('reads the version of the nix on PATH', async function () {
      const expected = spawnSync('nix', ['--version'], { encoding: 'utf8' });
      if (expected.error) this.skip();
      const version = await probeNixVersion();
      assert.deepEqual(version, parseNixVersion(expected.stdout));
      assert.ok(version.major >= 2);
    });

    it('says when nix is missing, fails, or prints no version', async () => {
      await assert.rejects(probeNixVersion(runProcess, { nix: 'nixify-no-such-nix' }), CommandNotFoundError);
      await assert.rejects(probeNixVersion(runProcess, { nix: 'false' }), ProcessError);
      // GNU echo prints `echo (GNU coreutils) 9.1`: a version, but not nix's.
      await assert.rejects(probeNixVersion(runProcess, { nix: 'echo' }), /Cannot read the Nix version/);
    });
  });
});
