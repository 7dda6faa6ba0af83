import * as assert from 'node:assert/strict';
import {
  BUILDERS_SETTING,
  parseBuildMachine,
  parseBuildMachines,
  readBuildMachines,
  type BuildMachine,
} from '../../../../src/core/nix/buildMachines';

const defaults = (uri: string, origin: string): BuildMachine => ({
  uri,
  systems: [],
  sshKey: null,
  maxJobs: 1,
  speedFactor: 1,
  supportedFeatures: [],
  mandatoryFeatures: [],
  publicHostKey: null,
  origin,
});

describe('core/nix/buildMachines', () => {
  it('reads all eight fields of a machine', () => {
    assert.deepEqual(
      parseBuildMachine(
        'ssh-ng://nix@b1?remote-store=local%3Froot%3D/srv x86_64-linux,i686-linux /k 8 2 kvm,big-parallel benchmark AAAA',
        BUILDERS_SETTING,
      ),
      {
        uri: 'ssh-ng://nix@b1?remote-store=local%3Froot%3D/srv',
        systems: ['x86_64-linux', 'i686-linux'],
        sshKey: '/k',
        maxJobs: 8,
        speedFactor: 2,
        supportedFeatures: ['kvm', 'big-parallel'],
        mandatoryFeatures: ['benchmark'],
        publicHostKey: 'AAAA',
        origin: BUILDERS_SETTING,
      },
    );
  });

  it('takes `-` and missing fields as defaults and a bare host as ssh://', () => {
    assert.deepEqual(parseBuildMachine('root@b2 - - - - - - -', 'x'), defaults('ssh://root@b2', 'x'));
    assert.deepEqual(parseBuildMachine('b3', 'x'), defaults('ssh://b3', 'x'));
  });

  it('refuses what Nix refuses: more than eight fields, counts that are not numbers', () => {
    assert.throws(() => parseBuildMachine('a b c 1 1 f g h extra', 'x'), /at most 8/);
    assert.throws(() => parseBuildMachine('a - - many', 'x'), /max-jobs "many" is not a number/);
  });

  it('splits on `;` and newlines, drops comments, numbers the lines of a file', () => {
    const entries = parseBuildMachines(
      '# builders\nb1 x86_64-linux ; b2 aarch64-linux # the arm one\n\n@/etc/nix/more\nb3 - - x\n',
      '/etc/nix/machines',
    );
    assert.deepEqual(
      entries.map((e) => (e.kind === 'machine' ? [e.machine.uri, e.machine.origin] : [e.kind, e.origin])),
      [
        ['ssh://b1', '/etc/nix/machines:2'],
        ['ssh://b2', '/etc/nix/machines:2'],
        ['include', '/etc/nix/machines:4'],
        ['invalid', '/etc/nix/machines:5'],
      ],
    );
  });

  it('reads @file includes, skips missing files like Nix, and reports bad lines', () => {
    const files: Record<string, string> = {
      '/etc/nix/machines': 'b1 x86_64-linux\n@/etc/nix/machines.d/arm\n@/etc/nix/absent\n',
      '/etc/nix/machines.d/arm': 'b2 aarch64-linux - zero\n',
    };
    const read = (file: string) => files[file] ?? null;
    const result = readBuildMachines('@/etc/nix/machines ; b0', read);
    assert.deepEqual(
      result.machines.map((m) => [m.uri, m.origin]),
      [
        ['ssh://b1', '/etc/nix/machines:1'],
        ['ssh://b0', BUILDERS_SETTING],
      ],
    );
    assert.deepEqual(result.problems, [
      '/etc/nix/machines.d/arm:1: "b2 aarch64-linux - zero": max-jobs "zero" is not a number',
    ]);
  });

  it('no builders when the default machines file does not exist; a cycle ends', () => {
    assert.deepEqual(
      readBuildMachines('@/etc/nix/machines', () => null),
      { machines: [], problems: [] },
    );
    const cyclic = readBuildMachines('@/m', () => 'b1\n@/m\n');
    assert.ok(cyclic.machines.length > 1);
    assert.match(cyclic.problems[0] ?? '', /too deeply/);
  });

  it('reports a machines file that cannot be read', () => {
    const result = readBuildMachines('@/etc/nix/machines', () => {
      throw new Error('EACCES: permission denied');
    });
    assert.deepEqual(result.problems, [
      'builders setting: cannot read /etc/nix/machines: EACCES: permission denied',
    ]);
  });
});
