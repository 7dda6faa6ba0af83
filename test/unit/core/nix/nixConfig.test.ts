import * as assert from 'node:assert/strict';
import { NixConfigError, parseNixConfigJson } from '../../../../src/core/nix/nixConfig';
import { DIALECTS, publicKey, recorded } from './nixJson';

const noFiles = () => null;

describe('core/nix/nixConfig', () => {
  for (const dialect of DIALECTS) {
    it(`reads substituters, trusted substituters and keys (Nix ${dialect}: ${dialect === '2.8' ? 'show-config' : 'config show'})`, () => {
      assert.deepEqual(parseNixConfigJson(recorded(dialect, 'config.json'), noFiles), {
        substituters: [
          'file:///var/cache/nix-a',
          'https://cache.example.org/',
          'http://127.0.0.1:5000?priority=30',
        ],
        trustedSubstituters: ['https://trusted.example.org'],
        trustedPublicKeys: [
          publicKey('trusted'),
          'cache.example.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=',
        ],
        requireSigs: true,
        system: 'x86_64-linux',
        builders: [],
        builderProblems: [],
        buildersUseSubstitutes: false,
        maxJobs: 1,
        systemFeatures: [
          'benchmark',
          'big-parallel',
          'kvm',
          'nixos-test',
          ...(dialect === '2.26' ? ['uid-range'] : []),
        ],
        extraPlatforms:
          dialect === '2.8'
            ? ['i686-linux', 'x86_64-v1-linux', 'x86_64-v2-linux', 'x86_64-v3-linux']
            : ['i686-linux', 'x86_64-v1-linux', 'x86_64-v2-linux', 'x86_64-v3-linux', 'x86_64-v4-linux'],
      });
    });

    it(`reads the builders, their machines file and where builds may run (Nix ${dialect})`, () => {
      const read = (file: string) =>
        file === '/etc/nix/machines.d/extra' ? '# more\nbig.example x86_64-linux - 16 4 - - -\n' : null;
      const config = parseNixConfigJson(recorded(dialect, 'config-builders.json'), read);
      assert.deepEqual(config.builders, [
        {
          uri: 'ssh-ng://nix@builder.example?remote-store=local%3Froot%3D/srv/nix',
          systems: ['x86_64-linux', 'aarch64-linux'],
          sshKey: '/etc/nix/builder_ed25519',
          maxJobs: 4,
          speedFactor: 2,
          supportedFeatures: ['big-parallel', 'kvm'],
          mandatoryFeatures: ['benchmark'],
          publicHostKey: 'c3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSUJ1aWxkZXI=',
          origin: 'builders setting',
        },
        {
          uri: 'ssh://mac.example',
          systems: ['x86_64-darwin'],
          sshKey: null,
          maxJobs: 2,
          speedFactor: 1,
          supportedFeatures: [],
          mandatoryFeatures: [],
          publicHostKey: null,
          origin: 'builders setting',
        },
        {
          uri: 'ssh://big.example',
          systems: ['x86_64-linux'],
          sshKey: null,
          maxJobs: 16,
          speedFactor: 4,
          supportedFeatures: [],
          mandatoryFeatures: [],
          publicHostKey: null,
          origin: '/etc/nix/machines.d/extra:2',
        },
      ]);
      assert.deepEqual(config.builderProblems, []);
      assert.equal(config.buildersUseSubstitutes, true);
      assert.equal(config.maxJobs, 0);
      assert.deepEqual(config.systemFeatures, ['big-parallel', 'kvm']);
      assert.deepEqual(config.extraPlatforms, ['aarch64-linux', 'i686-linux']);
    });
  }

  it('reads max-jobs = auto as the CPU count, and no builders setting as the default machines file', () => {
    const read = (file: string) => (file === '/etc/nix/machines' ? 'b1 x86_64-linux\n' : null);
    const config = parseNixConfigJson(
      JSON.stringify({ system: { value: 'x86_64-linux' }, 'max-jobs': { value: 'auto' } }),
      read,
    );
    assert.ok(config.maxJobs >= 1);
    assert.deepEqual(
      config.builders.map((b) => [b.uri, b.origin]),
      [['ssh://b1', '/etc/nix/machines:1']],
    );
  });

  it('reads require-sigs = false and whitespace-separated values', () => {
    const config = parseNixConfigJson(
      JSON.stringify({
        'require-sigs': { value: false },
        substituters: { value: 'a b' },
        system: { value: 'aarch64-darwin' },
      }),
      noFiles,
    );
    assert.equal(config.requireSigs, false);
    assert.deepEqual(config.substituters, ['a', 'b']);
    assert.deepEqual(config.trustedPublicKeys, []);
  });

  it('refuses output that is not a configuration', () => {
    assert.throws(() => parseNixConfigJson('['), NixConfigError);
    assert.throws(() => parseNixConfigJson('[]'), /not an object/);
    assert.throws(() => parseNixConfigJson('{}'), /no system/);
  });
});
