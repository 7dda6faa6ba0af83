import * as assert from 'node:assert/strict';
import {
  checkCachix,
  checkExperimentalFeatures,
  checkFlakeCaches,
  checkGit,
  checkNix,
  checkStore,
  checkSubstituter,
  checkTrustedUser,
  checkWorkspace,
  isDaemonStore,
  isTrustedUser,
  keyNamedAfter,
  missingFeature,
  nixConfTarget,
  parseExperimentalFeatures,
  parseStorePing,
  type NixConfTarget,
  type WorkspaceFacts,
} from '../../../../src/core/health/checks';
import { parseNixVersion } from '../../../../src/core/nix/nixCommand';
import { parseNixSettings, type NixConfig } from '../../../../src/core/nix/nixConfig';
import { DIALECTS, NO_BUILDERS, recorded } from '../nix/nixJson';

const version = (text: string) => {
  const v = parseNixVersion(text);
  assert.ok(v);
  return v;
};

const USER_CONF: NixConfTarget = { file: '~/.config/nix/nix.conf', then: null };
const SYSTEM_CONF: NixConfTarget = {
  file: '/etc/nix/nix.conf',
  then: 'Restart the daemon: sudo systemctl restart nix-daemon',
};

describe('core/health/checks', () => {
  describe('checkNix', () => {
    it('is an error with the install command when nix is not on PATH', () => {
      const item = checkNix({
        requested: 'nix',
        fromSetting: false,
        resolved: null,
        version: null,
        error: null,
      });
      assert.equal(item.status, 'error');
      assert.match(item.detail, /`nix` was not found on PATH/);
      assert.deepEqual(item.fix, {
        kind: 'command',
        command: 'sh <(curl -L https://nixos.org/nix/install) --daemon',
      });
    });

    it('points at the setting when the configured nix is missing', () => {
      const item = checkNix({
        requested: '/opt/nix',
        fromSetting: true,
        resolved: null,
        version: null,
        error: null,
      });
      assert.equal(item.status, 'error');
      assert.match(item.detail, /nixify\.nix\.path/);
      assert.equal(item.fix?.kind, 'setting');
      assert.equal(item.fix?.kind === 'setting' && item.fix.setting, 'nixify.nix.path');
    });

    it('names the configuration, not an install, when nix refuses its configuration', () => {
      for (const error of [
        "`/usr/bin/nix --version` exited with code 1:\nerror: illegal configuration line 'substituters' in 'NIX_CONFIG'",
        "`/usr/bin/nix --version` exited with code 1:\nerror: file '/nonexistent/nix.conf' included from '/root/.config/nix/nix.conf' not found",
      ]) {
        const item = checkNix({
          requested: 'nix',
          fromSetting: false,
          resolved: '/usr/bin/nix',
          version: null,
          error,
        });
        assert.equal(item.status, 'error');
        assert.match(item.detail, /refuses its configuration: fix or remove the line it names/);
        assert.doesNotMatch(item.detail, /Install Nix/);
        assert.equal(item.fix, undefined);
      }
    });

    it('reports the version probe failure of a nix that exists', () => {
      const item = checkNix({
        requested: 'nix',
        fromSetting: false,
        resolved: '/usr/bin/nix',
        version: null,
        error: 'segfault',
      });
      assert.equal(item.status, 'error');
      assert.match(item.detail, /^segfault/);
    });

    it('is ok from 2.8, a warning before it, an error before flakes existed (2.4)', () => {
      const at = (text: string) =>
        checkNix({
          requested: 'nix',
          fromSetting: false,
          resolved: '/usr/bin/nix',
          version: version(text),
          error: null,
        });
      assert.deepEqual(
        [
          at('nix (Nix) 2.8.0'),
          at('nix (Nix) 2.26.3'),
          at('nix (Lix, like Nix) 2.91.1'),
          at('nix (Nix) 2.6.1'),
          at('nix (Nix) 2.3.16'),
        ].map((i) => i.status),
        ['ok', 'ok', 'ok', 'warning', 'error'],
      );
      assert.equal(at('nix (Nix) 2.8.0').detail, 'Nix 2.8.0 at /usr/bin/nix');
    });
  });

  describe('experimental features', () => {
    it('reads names from modern Nix and refuses the enum indices of 2.8 (recorded)', () => {
      const [old, modern] = DIALECTS.map((d) =>
        parseExperimentalFeatures(
          parseNixSettings(recorded(d, 'config.json')).value('experimental-features'),
        ),
      );
      assert.equal(old, null);
      assert.ok(modern?.includes('flakes') && modern.includes('nix-command'));
      assert.deepEqual(parseExperimentalFeatures('nix-command  flakes'), ['nix-command', 'flakes']);
      assert.deepEqual(parseExperimentalFeatures(undefined), []);
    });

    it("finds the missing feature in both versions' messages", () => {
      assert.equal(
        missingFeature(
          "error: experimental Nix feature 'nix-command' is disabled; use '--extra-experimental-features nix-command' to override",
        ),
        'nix-command',
      );
      assert.equal(
        missingFeature(
          "error: experimental Nix feature 'flakes' is disabled; add '--extra-experimental-features flakes' to enable it",
        ),
        'flakes',
      );
      assert.equal(missingFeature('error: something else'), null);
    });

    it('gives the exact nix.conf line for what is missing', () => {
      assert.equal(checkExperimentalFeatures({ nixCommand: true, flakes: true }).status, 'ok');
      const item = checkExperimentalFeatures({ nixCommand: false, flakes: false });
      assert.equal(item.status, 'warning');
      assert.deepEqual(item.fix, {
        kind: 'nixConf',
        file: '~/.config/nix/nix.conf',
        lines: ['extra-experimental-features = nix-command flakes'],
        then: null,
      });
      const flakesOnly = checkExperimentalFeatures({ nixCommand: true, flakes: false });
      assert.deepEqual(flakesOnly.fix?.kind === 'nixConf' && flakesOnly.fix.lines, [
        'extra-experimental-features = flakes',
      ]);
    });
  });

  describe('the store', () => {
    it('reads the text of 2.8 and the JSON of 2.26 (as printed here)', () => {
      assert.deepEqual(parseStorePing('Store URL: local\nVersion: 2.8.0\n'), {
        url: 'local',
        version: '2.8.0',
        trusted: null,
      });
      assert.deepEqual(parseStorePing('Store URL: daemon\n'), {
        url: 'daemon',
        version: null,
        trusted: null,
      });
      assert.deepEqual(parseStorePing('{"trusted":1,"url":"local","version":"2.26.3"}\n'), {
        url: 'local',
        version: '2.26.3',
        trusted: true,
      });
      assert.equal(parseStorePing('{"url":"daemon","trusted":0}')?.trusted, false);
      assert.equal(parseStorePing('nonsense'), null);
      assert.equal(parseStorePing('{"nope":1}'), null);
    });

    it('tells a daemon from a local store, and where its nix.conf lines go', () => {
      assert.equal(isDaemonStore('daemon'), true);
      assert.equal(isDaemonStore('unix:///nix/var/nix/daemon-socket/socket'), true);
      assert.equal(isDaemonStore('local'), false);
      assert.deepEqual(nixConfTarget({ url: 'daemon', version: null, trusted: null }, 'linux'), SYSTEM_CONF);
      assert.equal(
        nixConfTarget({ url: 'daemon', version: null, trusted: null }, 'darwin').then,
        'Restart the daemon: sudo launchctl kickstart -k system/org.nixos.nix-daemon',
      );
      assert.deepEqual(nixConfTarget({ url: 'local', version: null, trusted: null }, 'linux'), USER_CONF);
      assert.deepEqual(nixConfTarget(null, 'linux'), USER_CONF);
    });

    it('is an error when the store cannot be opened, with a restart for a daemon problem', () => {
      const item = checkStore(
        { error: 'cannot connect to socket at /nix/var/nix/daemon-socket/socket' },
        'linux',
      );
      assert.equal(item.status, 'error');
      assert.deepEqual(item.fix, { kind: 'command', command: 'sudo systemctl restart nix-daemon' });
      assert.equal(checkStore({ error: 'disk full' }, 'linux').fix, undefined);
      assert.equal(
        checkStore({ url: 'daemon', version: '2.26.3', trusted: true }, 'linux').detail,
        'Reachable through the daemon: daemon (Nix 2.26.3).',
      );
    });
  });

  describe('trusted users', () => {
    it('counts root, the user, a group of the user and *', () => {
      assert.equal(isTrustedUser([], 'root', []), true);
      assert.equal(isTrustedUser(['root', 'alice'], 'alice', []), true);
      assert.equal(isTrustedUser(['root', '@wheel'], 'alice', ['users', 'wheel']), true);
      assert.equal(isTrustedUser(['root', '@wheel'], 'alice', ['users']), false);
      assert.equal(isTrustedUser(['*'], 'alice', []), true);
    });

    it("believes the daemon's own answer over trusted-users", () => {
      const item = checkTrustedUser({
        store: { url: 'daemon', version: '2.26.3', trusted: false },
        trustedUsers: ['alice'],
        user: 'alice',
        groups: [],
        platform: 'linux',
      });
      assert.equal(item.status, 'warning');
      assert.deepEqual(item.fix, {
        kind: 'nixConf',
        file: '/etc/nix/nix.conf',
        lines: ['extra-trusted-users = alice'],
        then: 'Restart the daemon: sudo systemctl restart nix-daemon',
      });
    });

    it('uses trusted-users where the daemon does not say (2.8), and is ok without a daemon', () => {
      const daemon = { url: 'daemon', version: null, trusted: null };
      const input = {
        trustedUsers: ['root', '@nixbld'],
        user: 'bob',
        groups: ['nixbld'],
        platform: 'linux' as const,
      };
      assert.equal(checkTrustedUser({ ...input, store: daemon }).status, 'ok');
      assert.equal(checkTrustedUser({ ...input, groups: [], store: daemon }).status, 'warning');
      assert.equal(
        checkTrustedUser({ ...input, groups: [], store: { ...daemon, url: 'local' } }).status,
        'ok',
      );
      assert.equal(checkTrustedUser({ ...input, store: null }).status, 'skipped');
    });
  });

  describe('substituters', () => {
    it('finds the key named after a cache', () => {
      const keys = ['cache.nixos.org-1', 'team.cachix.org-1', 'hydra.iohk.io', 'nixify-test-1'];
      assert.equal(keyNamedAfter('https://cache.nixos.org/', keys), 'cache.nixos.org-1');
      assert.equal(keyNamedAfter('https://team.cachix.org', keys), 'team.cachix.org-1');
      assert.equal(keyNamedAfter('https://cache.iohk.io', keys), 'hydra.iohk.io');
      assert.equal(keyNamedAfter('https://other.cachix.org', ['team.cachix.org-1']), 'team.cachix.org-1');
      assert.equal(keyNamedAfter('http://127.0.0.1:5000?priority=30', keys), null);
      assert.equal(keyNamedAfter('http://127.0.0.1:5000', ['127.0.0.1-1']), '127.0.0.1-1');
      assert.equal(keyNamedAfter('http://127.0.0.2:5000', ['127.0.0.1-1']), null);
      assert.equal(keyNamedAfter('not a url', keys), null);
    });

    const base = {
      trustedKeyNames: ['nixify-test-1', 'cache.nixos.org-1'],
      requireSigs: true,
      target: SYSTEM_CONF,
    };

    it('warns about an unreachable cache, with the reason', () => {
      const item = checkSubstituter({
        ...base,
        url: 'http://127.0.0.1:1',
        probe: { kind: 'unreachable', reason: 'connect ECONNREFUSED 127.0.0.1:1' },
      });
      assert.equal(item.id, 'nix.substituter:http://127.0.0.1:1');
      assert.equal(item.status, 'warning');
      assert.match(item.detail, /ECONNREFUSED/);
    });

    it('judges a file:// cache by the signers of one of its paths', () => {
      const probe = (sampleSigners: string[] | null) =>
        ({ kind: 'reachable', info: { StoreDir: '/nix/store' }, sampleSigners }) as const;
      const url = 'file:///var/cache/nix';
      assert.equal(checkSubstituter({ ...base, url, probe: probe(['nixify-test-1']) }).status, 'ok');
      const untrusted = checkSubstituter({ ...base, url, probe: probe(['other-1']) });
      assert.equal(untrusted.status, 'warning');
      assert.deepEqual(untrusted.fix, {
        kind: 'nixConf',
        file: '/etc/nix/nix.conf',
        lines: ["extra-trusted-public-keys = other-1:<the cache's public key>"],
        then: 'Restart the daemon: sudo systemctl restart nix-daemon',
      });
      assert.match(checkSubstituter({ ...base, url, probe: probe([]) }).detail, /unsigned/);
      assert.equal(checkSubstituter({ ...base, url, probe: probe(null) }).status, 'ok');
      assert.equal(
        checkSubstituter({ ...base, requireSigs: false, url, probe: probe(['other-1']) }).status,
        'ok',
      );
    });

    it('judges an http cache by the names of the trusted keys', () => {
      const probe = { kind: 'reachable', info: {}, sampleSigners: null } as const;
      assert.equal(checkSubstituter({ ...base, url: 'https://cache.nixos.org/', probe }).status, 'ok');
      const item = checkSubstituter({ ...base, url: 'https://cache.example.org', probe });
      assert.equal(item.status, 'warning');
      assert.deepEqual(item.fix?.kind === 'nixConf' && item.fix.lines, [
        "extra-trusted-public-keys = cache.example.org-1:<the cache's public key>",
      ]);
    });
  });

  describe("the flake's caches", () => {
    const config: NixConfig = {
      substituters: ['https://cache.nixos.org/'],
      trustedSubstituters: ['https://team.cachix.org'],
      trustedPublicKeys: ['cache.nixos.org-1:A='],
      requireSigs: true,
      system: 'x86_64-linux',
      ...NO_BUILDERS,
    };
    const check = (substituters: string[], keys: string[]) =>
      checkFlakeCaches(
        '/ws',
        { kind: 'read', cache: { substituters, trustedPublicKeys: keys } },
        config,
        SYSTEM_CONF,
      );

    it('gives the exact nix.conf lines that trust the caches it declares', () => {
      const item = check(
        ['https://evil.example.org', 'https://team.cachix.org'],
        ['evil-1:B=', 'team.cachix.org-1:C='],
      );
      assert.equal(item.status, 'warning');
      assert.equal(item.folder, '/ws');
      assert.match(item.detail, /https:\/\/evil\.example\.org/);
      assert.doesNotMatch(item.detail, /team\.cachix/);
      assert.deepEqual(item.fix, {
        kind: 'nixConf',
        file: '/etc/nix/nix.conf',
        lines: [
          'extra-substituters = https://evil.example.org',
          'extra-trusted-public-keys = evil-1:B= team.cachix.org-1:C=',
        ],
        then: 'Restart the daemon: sudo systemctl restart nix-daemon',
      });
    });

    it('asks only for the key when the cache is trusted (trusted-substituters) but its key is not', () => {
      const item = check(['https://team.cachix.org/'], ['team.cachix.org-1:C=']);
      assert.equal(item.status, 'warning');
      assert.deepEqual(item.fix?.kind === 'nixConf' && item.fix.lines, [
        'extra-trusted-public-keys = team.cachix.org-1:C=',
      ]);
    });

    it('is ok when everything it declares is trusted, or it declares nothing', () => {
      assert.equal(check(['https://cache.nixos.org'], ['cache.nixos.org-1:A=']).status, 'ok');
      assert.equal(check([], []).status, 'ok');
    });

    it('is skipped untrusted or without a flake, and a warning when nixConfig cannot be read', () => {
      assert.equal(checkFlakeCaches('/ws', { kind: 'untrusted' }, config, USER_CONF).status, 'skipped');
      assert.match(
        checkFlakeCaches('/ws', { kind: 'untrusted' }, config, USER_CONF).detail,
        /Trust the workspace/,
      );
      assert.equal(checkFlakeCaches('/ws', { kind: 'noFlake' }, config, USER_CONF).status, 'skipped');
      const failed = checkFlakeCaches('/ws', { kind: 'failed', reason: 'syntax error' }, config, USER_CONF);
      assert.equal(failed.status, 'warning');
      assert.match(failed.detail, /syntax error/);
    });
  });

  describe('the workspace', () => {
    const facts: WorkspaceFacts = {
      folder: '/ws',
      flakeNix: true,
      flakeLock: true,
      cargoLock: true,
      cargoLockFile: 'Cargo.lock',
      git: { flakeNix: true, flakeLock: true, cargoLock: true },
    };
    const statuses = (f: WorkspaceFacts) =>
      Object.fromEntries(checkWorkspace(f).map((i) => [i.id, i.status]));

    it('is all ok with every file present and tracked', () => {
      assert.deepEqual(statuses(facts), {
        'workspace.flake': 'ok',
        'workspace.flakeLock': 'ok',
        'workspace.cargoLock': 'ok',
      });
      assert.ok(checkWorkspace(facts).every((i) => i.folder === '/ws'));
    });

    it('is an error for files git does not track, which Nix then cannot see', () => {
      const items = checkWorkspace({
        ...facts,
        git: { flakeNix: false, flakeLock: false, cargoLock: false },
      });
      assert.deepEqual(
        items.map((i) => [i.status, i.fix?.kind === 'command' ? i.fix.command : null]),
        [
          ['error', 'git add flake.nix'],
          ['warning', 'git add flake.lock'],
          ['error', 'git add -f Cargo.lock'],
        ],
      );
    });

    it('asks for what is missing', () => {
      assert.deepEqual(statuses({ ...facts, flakeNix: false, flakeLock: false }), {
        'workspace.flake': 'warning',
        'workspace.flakeLock': 'skipped',
        'workspace.cargoLock': 'ok',
      });
      const noLocks = checkWorkspace({
        ...facts,
        flakeLock: false,
        cargoLock: false,
        cargoLockFile: 'rust/Cargo.lock',
      });
      assert.deepEqual(
        noLocks.map((i) => i.status),
        ['ok', 'warning', 'error'],
      );
      assert.match(noLocks[2]?.detail ?? '', /^No rust\/Cargo\.lock/);
      assert.equal(statuses({ ...facts, cargoLock: null })['workspace.cargoLock'], 'skipped');
    });

    it('names a Cargo.toml that does not parse and offers no `nixify init` until it does', () => {
      const items = checkWorkspace({
        ...facts,
        flakeNix: false,
        flakeLock: false,
        cargoLock: null,
        brokenManifests: [
          {
            file: '/ws/Cargo.toml',
            line: 10,
            column: 29,
            severity: 'error',
            message: 'failed to parse manifest: x\nsecond line',
          },
        ],
      });
      assert.deepEqual(
        items.map((i) => [i.id, i.status, i.detail, i.fix]),
        [
          [
            'workspace.cargoToml:/ws/Cargo.toml',
            'error',
            'Cargo.toml:10:29: failed to parse manifest: x; second line',
            undefined,
          ],
          [
            'workspace.flake',
            'warning',
            'No flake.nix: `nixify init` writes one once Cargo.toml parses.',
            undefined,
          ],
          ['workspace.flakeLock', 'skipped', 'No flake.nix.', undefined],
          ['workspace.cargoLock', 'skipped', 'Cargo.toml does not parse.', undefined],
        ],
      );
    });

    it('trusts presence alone outside git, and says when git was not asked', () => {
      assert.deepEqual(Object.values(statuses({ ...facts, git: 'notRepo' })), ['ok', 'ok', 'ok']);
      const untrusted = checkWorkspace({ ...facts, git: 'notAsked' });
      assert.ok(untrusted.every((i) => i.status === 'ok' && /git was not asked/.test(i.detail)));
    });
  });

  it('reports git as needed and cachix as optional', () => {
    assert.equal(checkGit(null).status, 'warning');
    assert.equal(checkGit('/usr/bin/git').status, 'ok');
    assert.equal(checkCachix(null).status, 'skipped');
    assert.equal(checkCachix('/bin/cachix').detail, 'At /bin/cachix.');
  });
});
