import * as assert from 'node:assert/strict';
import {
  builderStoreUri,
  probeBuilder,
  probeSshOptions,
  storeInfoVerb,
  type BuilderProbe,
} from '../../../../src/core/health/builderProbe';
import {
  checkBuilder,
  checkBuildersSetting,
  classifyBuilderFailure,
  machineSpec,
  withParam,
  type BuilderFacts,
} from '../../../../src/core/health/builders';
import type { NixConfTarget } from '../../../../src/core/health/checks';
import { parseBuildMachine, sshTarget } from '../../../../src/core/nix/buildMachines';
import type { ProcessOptions, ProcessResult } from '../../../../src/core/process';

const USER_CONF: NixConfTarget = { file: '~/.config/nix/nix.conf', then: null };
const machine = parseBuildMachine(
  'ssh-ng://nix@b1.example:2222 x86_64-linux,aarch64-linux /etc/nix/id_b1 4 2 big-parallel,kvm - -',
  'builders setting',
);

// What Nix 2.8 and 2.26 printed here for each failure (test/nix/remoteBuilders.test.ts makes them).
const STDERR = {
  refused:
    "Store URL: ssh-ng://root@127.0.0.1\nssh: connect to host 127.0.0.1 port 22023: Connection refused\nerror: cannot open connection to remote store 'ssh-ng://root@127.0.0.1': error: unexpected end-of-file\n",
  hostKey:
    "No ED25519 host key is known for [127.0.0.1]:22022 and you have requested strict checking.\nHost key verification failed.\nerror: failed to start SSH connection to 'root@127.0.0.1'\n",
  permission:
    "root@127.0.0.1: Permission denied (publickey).\nerror: failed to start SSH connection to 'root@127.0.0.1'\n",
  noNix:
    "bash: line 1: nix-daemon: command not found\nerror: cannot open connection to remote store 'ssh-ng://': error: Nix daemon disconnected unexpectedly (maybe it crashed?)\n",
  noNixDash: "sh: 1: nix-store: not found\nerror: cannot connect to 'root@127.0.0.1'\n",
  resolve:
    "ssh: Could not resolve hostname host.invalid: Name or service not known\nerror: cannot connect to 'root@host.invalid'\n",
};

const facts = (probe: BuilderProbe, overrides: Partial<BuilderFacts> = {}): BuilderFacts => ({
  machine,
  probe,
  localSystem: 'x86_64-linux',
  sshUser: 'alice',
  daemon: false,
  target: USER_CONF,
  ...overrides,
});
const failed = (stderr: string, timedOut = false): BuilderProbe => ({
  kind: 'unreachable',
  stderr,
  timedOut,
  durationMs: 3001,
});

describe('core/health/builders', () => {
  it('classifies what ssh and the remote shell said', () => {
    assert.equal(classifyBuilderFailure(STDERR.refused, false), 'connection');
    assert.equal(classifyBuilderFailure(STDERR.hostKey, false), 'hostKey');
    assert.equal(classifyBuilderFailure(STDERR.permission, false), 'permission');
    assert.equal(classifyBuilderFailure(STDERR.noNix, false), 'remoteNix');
    assert.equal(classifyBuilderFailure(STDERR.noNixDash, false), 'remoteNix');
    assert.equal(classifyBuilderFailure(STDERR.resolve, false), 'resolve');
    assert.equal(classifyBuilderFailure('Store URL: ssh://b\n', true), 'timeout');
    assert.equal(classifyBuilderFailure('error: something else', false), 'other');
  });

  it('reads user, host and port from a store URI', () => {
    assert.deepEqual(sshTarget('ssh-ng://nix@b1.example:2222?remote-store=x'), {
      user: 'nix',
      host: 'b1.example',
      port: '2222',
    });
    assert.deepEqual(sshTarget('ssh://b2'), { user: null, host: 'b2', port: null });
    // The Derivations view names a builder by this host.
    assert.equal(sshTarget('ssh-ng://nix@mac.example?remote-store=x').host, 'mac.example');
    assert.equal(sshTarget('ssh://b1').host, 'b1');
    assert.equal(sshTarget('b2.example').host, 'b2.example');
  });

  it('reports a reachable builder with the remote Nix version and what its spec offers', () => {
    const item = checkBuilder(
      facts({
        kind: 'reachable',
        output: '\nStore URL: ssh-ng://nix@b1.example\nVersion: 2.8.0\n',
        durationMs: 412,
      }),
    );
    assert.equal(item.id, 'nix.builder:ssh-ng://nix@b1.example:2222');
    assert.equal(item.status, 'ok');
    assert.equal(
      item.detail,
      'Reachable in 412 ms, Nix 2.8.0 there. Systems x86_64-linux, aarch64-linux; features big-parallel, kvm; max-jobs 4, speed factor 2 (from builders setting).',
    );
  });

  it('warns when the builder (2.26 JSON) does not trust this user', () => {
    const item = checkBuilder(
      facts({
        kind: 'reachable',
        output: '{"url":"ssh-ng://","version":"2.26.3","trusted":0}',
        durationMs: 5,
      }),
    );
    assert.equal(item.status, 'warning');
    assert.match(item.detail, /Nix 2\.26\.3 there, which does not trust this user/);
  });

  it('names the host and port when nothing answers, and the time limit when it hung', () => {
    const refused = checkBuilder(facts(failed(STDERR.refused)));
    assert.equal(refused.status, 'error');
    assert.match(refused.detail, /^Not reachable: ssh: connect to host .* Connection refused/);
    assert.match(refused.detail, /Nothing answers SSH at b1\.example port 2222/);
    assert.deepEqual(refused.fix, {
      kind: 'command',
      command: 'ssh -i /etc/nix/id_b1 -p 2222 nix@b1.example true',
    });
    const hung = checkBuilder(facts(failed('Store URL: ssh-ng://nix@b1.example\n', true)));
    assert.match(
      hung.detail,
      /^No answer within 3001 ms\. Nothing answers SSH .*accepts and never speaks SSH/,
    );
  });

  it('offers ssh-keyscan into the known_hosts of the user Nix connects as', () => {
    const mine = checkBuilder(facts(failed(STDERR.hostKey)));
    assert.deepEqual(mine.fix, {
      kind: 'command',
      command: 'ssh-keyscan -p 2222 b1.example >> ~/.ssh/known_hosts',
    });
    assert.match(mine.detail, /8th field \(public host key\)/);
    const daemon = checkBuilder(facts(failed(STDERR.hostKey), { daemon: true, sshUser: 'root' }));
    assert.deepEqual(daemon.fix, {
      kind: 'command',
      command: "sudo sh -c 'ssh-keyscan -p 2222 b1.example >> /root/.ssh/known_hosts'",
    });
    assert.match(daemon.detail, /known_hosts of root \(the Nix daemon's user\)/);
  });

  it('points at the key and the ssh-key field when the login is refused', () => {
    const item = checkBuilder(facts(failed(STDERR.permission), { daemon: true, sshUser: 'root' }));
    assert.match(
      item.detail,
      /refused the login of root \(the Nix daemon's user\) with the key \/etc\/nix\/id_b1/,
    );
    assert.match(item.detail, /3rd field \(ssh-key\)/);
    assert.deepEqual(item.fix, {
      kind: 'command',
      command: 'sudo ssh -i /etc/nix/id_b1 -p 2222 nix@b1.example nix-store --version',
    });
  });

  it('gives the spec with remote-program when Nix is not on the remote PATH', () => {
    const item = checkBuilder(facts(failed(STDERR.noNix)));
    assert.match(item.detail, /nix-daemon is not on the PATH of a non-interactive login/);
    assert.deepEqual(item.fix, {
      kind: 'nixConf',
      file: '~/.config/nix/nix.conf',
      lines: [
        'builders = ssh-ng://nix@b1.example:2222?remote-program=/nix/var/nix/profiles/default/bin/nix-daemon x86_64-linux,aarch64-linux /etc/nix/id_b1 4 2 big-parallel,kvm - -',
      ],
      then: 'This replaces the entry for ssh-ng://nix@b1.example:2222 (at builders setting); keep the other builders.',
    });
    const fromFile = parseBuildMachine('ssh://b2?compress=true', '/etc/nix/machines:3');
    const inFile = checkBuilder(facts(failed(STDERR.noNixDash), { machine: fromFile }));
    assert.deepEqual(inFile.fix?.kind === 'nixConf' && [inFile.fix.file, inFile.fix.lines], [
      '/etc/nix/machines',
      ['ssh://b2?compress=true&remote-program=/nix/var/nix/profiles/default/bin/nix-store - - 1 1 - - -'],
    ]);
  });

  it('sets a store URI parameter, replacing one of the same name', () => {
    assert.equal(withParam('ssh://b', 'remote-program', '/x'), 'ssh://b?remote-program=/x');
    assert.equal(
      withParam('ssh://b?a=1&remote-program=y', 'remote-program', '/x'),
      'ssh://b?a=1&remote-program=/x',
    );
  });

  it('writes a spec back in nix.conf(5) order', () => {
    assert.equal(
      machineSpec(machine),
      'ssh-ng://nix@b1.example:2222 x86_64-linux,aarch64-linux /etc/nix/id_b1 4 2 big-parallel,kvm - -',
    );
  });

  describe('the builders setting', () => {
    const none = { builders: [], builderProblems: [], maxJobs: 2, buildersUseSubstitutes: false };
    it('says nothing when there are none and local builds are allowed', () => {
      assert.equal(checkBuildersSetting(none, USER_CONF), null);
    });
    it('is an error with max-jobs = 0 and no builders', () => {
      const item = checkBuildersSetting({ ...none, maxJobs: 0 }, USER_CONF);
      assert.equal(item?.status, 'error');
      assert.deepEqual(item?.fix?.kind === 'nixConf' && item.fix.lines, ['max-jobs = auto']);
    });
    it('is an error naming the entries Nix refuses', () => {
      const item = checkBuildersSetting(
        { ...none, builderProblems: ['/etc/nix/machines:2: bad'] },
        USER_CONF,
      );
      assert.equal(item?.status, 'error');
      assert.match(item?.detail ?? '', /\/etc\/nix\/machines:2: bad/);
    });
    it('says how builds are shared', () => {
      const item = checkBuildersSetting(
        { ...none, builders: [machine], maxJobs: 0, buildersUseSubstitutes: true },
        USER_CONF,
      );
      assert.equal(
        item?.detail,
        '1 configured; max-jobs = 0, so every build goes to them; they fetch dependencies from their own caches (builders-use-substitutes).',
      );
    });
  });

  describe('the probe', () => {
    it('opens the store as the build hook does: key and host key as store parameters', () => {
      const withKeys = parseBuildMachine('ssh://b?compress=true - /k/id 1 1 - - c3No', 'x');
      assert.equal(
        builderStoreUri(withKeys),
        'ssh://b?compress=true&ssh-key=%2Fk%2Fid&base64-ssh-public-host-key=c3No',
      );
      assert.equal(builderStoreUri(parseBuildMachine('ssh-ng://b', 'x')), 'ssh-ng://b');
    });

    it('uses `store info` from Nix 2.19 on, `store ping` before', () => {
      assert.equal(storeInfoVerb({ major: 2, minor: 8 }), 'ping');
      assert.equal(storeInfoVerb({ major: 2, minor: 18 }), 'ping');
      assert.equal(storeInfoVerb({ major: 2, minor: 19 }), 'info');
      assert.equal(storeInfoVerb({ major: 3, minor: 0 }), 'info');
    });

    it("appends its ssh options to the user's NIX_SSHOPTS, never replacing them", () => {
      assert.equal(probeSshOptions(undefined, 5000), '-o ConnectTimeout=4 -o BatchMode=yes');
      assert.equal(probeSshOptions('-p 2222', 1500), '-p 2222 -o ConnectTimeout=1 -o BatchMode=yes');
    });

    it('runs nix with a time limit and the appended NIX_SSHOPTS; a timeout is unreachable', async () => {
      const calls: { args: readonly string[]; options: ProcessOptions | undefined }[] = [];
      const result = (overrides: Partial<ProcessResult>): ProcessResult => ({
        exitCode: 0,
        signal: null,
        stdout: '',
        stderr: '',
        cancelled: false,
        timedOut: false,
        maxBufferExceeded: false,
        durationMs: 10,
        command: [],
        ...overrides,
      });
      const probe = await probeBuilder(
        machine,
        { major: 2, minor: 26, patch: 3, raw: '' },
        {
          nix: '/bin/nix',
          env: { NIX_SSHOPTS: '-F /cfg' },
          timeoutMs: 3000,
          run: (_file, args, options) => {
            calls.push({ args, options });
            return Promise.resolve(
              result({ exitCode: null, timedOut: true, stderr: 'Store URL: x\n', durationMs: 3000 }),
            );
          },
        },
      );
      assert.deepEqual(probe, {
        kind: 'unreachable',
        stderr: 'Store URL: x\n',
        timedOut: true,
        durationMs: 3000,
      });
      assert.deepEqual(calls[0]?.args.slice(-4), [
        'store',
        'info',
        '--store',
        'ssh-ng://nix@b1.example:2222?ssh-key=%2Fetc%2Fnix%2Fid_b1',
      ]);
      assert.equal(calls[0]?.options?.timeoutMs, 3000);
      assert.equal(calls[0]?.options?.env?.['NIX_SSHOPTS'], '-F /cfg -o ConnectTimeout=2 -o BatchMode=yes');
    });
  });
});
