// Remote builders against a real sshd on 127.0.0.1 (Nix 2.8 and 2.26 as the client; the builder
// side is the machine's Nix 2.8, started by sshd as Nix does it): a derivation built with
// max-jobs = 0 goes to the builder, which keeps its store in a separate root; the health check
// reports that builder reachable with what its spec offers; and unreachable builders (closed port,
// a server that never speaks, unknown host key, refused key, no Nix on the remote PATH) each get
// their own fix, within the time limit, with no ssh left running.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runHealthChecks, type HealthItem, type HealthReport } from '../../src/core/health';
import { closedPort } from './helpers/binaryCache';
import { forEachNix, nixEnv, type Nix } from './helpers/nix';
import { removeTempDirs, tempDir } from './helpers/paths';
import { makeKey, processesMentioning, silentServer, startSshd, type Sshd } from './helpers/sshd';

/**
 * The builder's own nix.conf. Its store lives under another root, where Nix always builds in a
 * sandbox: /bin/sh and its libraries must be visible there.
 */
const REMOTE_NIX_CONF = [
  'substituters =',
  'build-users-group =',
  'experimental-features = nix-command',
  `extra-sandbox-paths = ${['/bin', '/usr', '/lib', '/lib64'].filter((p) => fs.existsSync(p)).join(' ')}`,
  '',
].join('\n');

const byId = (report: HealthReport, id: string): HealthItem => {
  const item = report.items.find((i) => i.id === id);
  assert.ok(item, `no item ${id} in ${report.items.map((i) => i.id).join(', ')}`);
  return item;
};

/**
 * The Nix 2.26 wrapper runs nix through trixie's loader, so its default build hook (`/proc/self/exe
 * __build-remote`) names the loader; the wrapper itself is the hook that works.
 */
function buildHookLines(nix: Nix): string[] {
  return nix.binDir === '/usr/bin' ? [] : [`build-hook = ${path.join(nix.binDir, 'nix')} __build-remote`];
}

forEachNix('remote builders', (nix) => {
  let work: string;
  let sshd: Sshd;
  let sshConfig: string;
  let remoteRoot: string;
  let silent: { port: number; stop(): Promise<void> };

  before(async function () {
    this.timeout(30_000);
    work = tempDir('builders');
    remoteRoot = path.join(work, 'remote-root');
    sshd = await startSshd(work, REMOTE_NIX_CONF);
    silent = await silentServer();
    const closed = await closedPort();
    const emptyKnownHosts = path.join(work, 'known_hosts.empty');
    fs.writeFileSync(emptyKnownHosts, '');
    sshConfig = path.join(work, 'ssh_config');
    // Aliases give each builder its own port and host-key policy; NIX_SSHOPTS passes `-F` to ssh.
    const host = (alias: string, port: number, knownHosts: string, extra: string[] = []) =>
      [
        `Host ${alias}`,
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        `  UserKnownHostsFile ${knownHosts}`,
        '  StrictHostKeyChecking yes',
        '  IdentitiesOnly yes',
        ...extra,
      ].join('\n');
    fs.writeFileSync(
      sshConfig,
      [
        host('builder', sshd.port, sshd.knownHosts),
        host('pinned', sshd.port, '/dev/null', ['  HostKeyAlias pinned']),
        host('stranger', sshd.port, emptyKnownHosts),
        host('closed', closed, sshd.knownHosts),
        host('silent', silent.port, sshd.knownHosts),
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await silent?.stop();
    await sshd?.stop();
    removeTempDirs();
  });

  /** The tier's offline configuration plus `lines`, and ssh options of the user's. */
  function env(lines: string[], sshOptions: string): NodeJS.ProcessEnv {
    const base = nixEnv();
    return {
      ...base,
      NIX_CONFIG: [base['NIX_CONFIG'] ?? '', ...lines].join('\n'),
      NIX_SSHOPTS: sshOptions,
      NIX_USER_CONF_FILES: path.join(work, 'no-user-nix.conf'),
    };
  }

  const builderSpec = () =>
    `ssh-ng://root@builder?remote-store=local%3Froot%3D${remoteRoot} x86_64-linux ${sshd.clientKey} 1 1 big-parallel,kvm - -`;

  it('hands a derivation to the builder when max-jobs = 0, which builds it in its own store', function () {
    this.timeout(120_000);
    const nonce = `${process.pid}-${Date.now()}-${Math.random()}`;
    const name = `remote-${nix.version.join('-')}-${Date.now()}`;
    const expr =
      `derivation { name = "${name}"; system = "x86_64-linux"; nonce = "${nonce}"; builder = "/bin/sh"; ` +
      `PATH = "/usr/bin:/bin"; args = [ "-c" "echo built remotely; mkdir $out; echo ${nonce} > $out/nonce" ]; }`;
    const result = spawnSync(
      path.join(nix.binDir, 'nix'),
      ['build', '--no-link', '--json', '-L', '--impure', '--expr', expr],
      {
        encoding: 'utf8',
        env: env([`builders = ${builderSpec()}`, 'max-jobs = 0', ...buildHookLines(nix)], `-F ${sshConfig}`),
        timeout: 100_000,
      },
    );
    assert.equal(result.status, 0, result.stderr);
    const [built] = JSON.parse(result.stdout) as { outputs: { out: string } }[];
    const out = built?.outputs.out ?? '';
    assert.equal(fs.readFileSync(path.join(out, 'nonce'), 'utf8').trim(), nonce);
    // Nix says where it builds; the builder's own store (another root) holds the output too; and
    // sshd saw the key log in.
    assert.match(result.stderr, /building '\/nix\/store\/[^']+\.drv' on 'ssh-ng:\/\/root@builder/);
    assert.match(result.stderr, /built remotely/);
    assert.ok(
      fs.existsSync(path.join(remoteRoot, out)),
      `${out} is not in the builder's store ${remoteRoot}`,
    );
    assert.match(sshd.log(), /Accepted publickey for root from 127\.0\.0\.1/);
  });

  it('reports the builder reachable with its systems and features, also with the host key in its spec', async function () {
    this.timeout(60_000);
    const pinnedKey = Buffer.from(sshd.hostPublicKey).toString('base64');
    const pinned = `ssh-ng://root@pinned x86_64-linux,i686-linux ${sshd.clientKey} 2 1 - - ${pinnedKey}`;
    const report = await runHealthChecks({
      folders: [],
      trusted: true,
      nix: path.join(nix.binDir, 'nix'),
      env: env(
        [`builders = ${builderSpec()} ; ${pinned}`, 'builders-use-substitutes = true'],
        `-F ${sshConfig}`,
      ),
      replaceEnv: true,
      builderTimeoutMs: 15_000,
    });
    const item = byId(report, `nix.builder:ssh-ng://root@builder?remote-store=local%3Froot%3D${remoteRoot}`);
    assert.equal(item.status, 'ok', item.detail);
    assert.match(
      item.detail,
      /^Reachable in \d+ ms, Nix 2\.8\.\d there\. Systems x86_64-linux; features big-parallel, kvm;/,
    );
    assert.match(item.detail, /\(from builders setting\)\.$/);
    const pinnedItem = byId(report, 'nix.builder:ssh-ng://root@pinned');
    assert.equal(pinnedItem.status, 'ok', pinnedItem.detail);
    assert.match(pinnedItem.detail, /Systems x86_64-linux, i686-linux; features none; max-jobs 2/);
    assert.equal(
      byId(report, 'nix.builders').detail,
      '2 configured; up to 1 local builds besides; they fetch dependencies from their own caches (builders-use-substitutes).',
    );
  });

  /** The health check with these builders and the user's ssh options (`-F` the test's config). */
  const checkBuilders = (specs: string[], sshOptions: string, limitMs: number) =>
    runHealthChecks({
      folders: [],
      trusted: true,
      nix: path.join(nix.binDir, 'nix'),
      env: env([`builders = ${specs.join(' ; ')}`], sshOptions),
      replaceEnv: true,
      builderTimeoutMs: limitMs,
    });

  it('stops at the time limit on a server that never speaks, and names the host of a closed port', async function () {
    this.timeout(60_000);
    const limitMs = 3000;
    const started = performance.now();
    // The user's own ConnectTimeout comes first and so wins over the probe's: only the probe's
    // time limit (killing nix's whole process group) ends the wait on the silent server.
    const report = await checkBuilders(
      [`ssh-ng://root@closed - ${sshd.clientKey}`, `ssh-ng://root@silent - ${sshd.clientKey}`],
      `-F ${sshConfig} -o ConnectTimeout=60`,
      limitMs,
    );
    const elapsed = performance.now() - started;
    // Before the probes: the version probe and the configuration read (slow on a loaded machine).
    assert.ok(elapsed < limitMs + 3000, `took ${Math.round(elapsed)} ms with a ${limitMs} ms limit`);

    const closed = byId(report, 'nix.builder:ssh-ng://root@closed');
    assert.equal(closed.status, 'error');
    assert.match(closed.detail, /Connection refused.*Nothing answers SSH at closed/);
    assert.deepEqual(closed.fix, { kind: 'command', command: `ssh -i ${sshd.clientKey} root@closed true` });

    const hung = byId(report, 'nix.builder:ssh-ng://root@silent');
    assert.equal(hung.status, 'error');
    assert.match(hung.detail, /^No answer within \d+ ms\. Nothing answers SSH at silent/);
    assert.deepEqual(hung.fix, { kind: 'command', command: `ssh -i ${sshd.clientKey} root@silent true` });
    assert.deepEqual(processesMentioning(sshConfig), []);
  });

  it('fixes an unknown host key, a refused key and Nix missing from the remote PATH', async function () {
    this.timeout(90_000);
    const wrongKey = makeKey(work, `wrong_key_${nix.version.join('_')}`);
    // SSH logins take seconds on a loaded machine: a generous limit, these fail by themselves.
    const report = await checkBuilders(
      [
        `ssh-ng://root@stranger - ${sshd.clientKey}`,
        `ssh-ng://root@builder - ${wrongKey}`,
        `ssh://root@builder?remote-program=nix-store-elsewhere - ${sshd.clientKey}`,
      ],
      `-F ${sshConfig}`,
      30_000,
    );
    const stranger = byId(report, 'nix.builder:ssh-ng://root@stranger');
    assert.match(stranger.detail, /Host key verification failed.*does not know stranger's host key/);
    assert.deepEqual(stranger.fix, {
      kind: 'command',
      command: 'ssh-keyscan stranger >> ~/.ssh/known_hosts',
    });

    const refused = byId(report, 'nix.builder:ssh-ng://root@builder');
    assert.match(refused.detail, /Permission denied \(publickey\).*refused the login of root with the key/);
    assert.deepEqual(refused.fix, {
      kind: 'command',
      command: `ssh -i ${wrongKey} root@builder nix-store --version`,
    });

    const noNix = byId(report, 'nix.builder:ssh://root@builder?remote-program=nix-store-elsewhere');
    assert.match(noNix.detail, /nix-store-elsewhere: command not found.*nix-store is not on the PATH/);
    assert.deepEqual(noNix.fix?.kind === 'nixConf' && noNix.fix.lines, [
      `builders = ssh://root@builder?remote-program=/nix/var/nix/profiles/default/bin/nix-store - ${sshd.clientKey} 1 1 - - -`,
    ]);
    for (const item of [stranger, refused, noNix]) assert.equal(item.status, 'error');
  });
});
