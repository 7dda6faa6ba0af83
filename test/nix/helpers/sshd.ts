// A real OpenSSH server on 127.0.0.1 for remote-builder tests: its own host key, config, port and
// authorized key, root login by key only, and a Nix configuration of its own for the remote side
// (through sshd's SetEnv), so the machine's /etc/ssh and ~/.ssh are neither read nor changed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { closedPort } from './binaryCache';

export const SSHD = '/usr/sbin/sshd';
/** sshd refuses to start without its privilege-separation directory. */
const PRIVSEP_DIR = '/run/sshd';

export interface Sshd {
  port: number;
  /** The key sshd accepts for root. */
  clientKey: string;
  /** The host's public key line (`ssh-ed25519 AAAA…`). */
  hostPublicKey: string;
  /** known_hosts holding the host key for `[127.0.0.1]:port`. */
  knownHosts: string;
  /** What sshd logged so far (it logs to stderr with -e). */
  log(): string;
  stop(): Promise<void>;
}

function keygen(file: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nixify-test', '-f', file]);
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${String(result.stderr)}`);
}

/** A fresh key pair in `dir`; returns the private key's path. */
export function makeKey(dir: string, name: string): string {
  const file = path.join(dir, name);
  keygen(file);
  return file;
}

/**
 * Starts sshd in `dir` (which it owns). `remoteNixConf` is the nix.conf that Nix started over SSH
 * reads (NIX_CONF_DIR); the remote side gets no other settings from the client.
 */
export async function startSshd(dir: string, remoteNixConf: string): Promise<Sshd> {
  fs.mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  const hostKey = makeKey(dir, 'host_key');
  const clientKey = makeKey(dir, 'client_key');
  const authorizedKeys = path.join(dir, 'authorized_keys');
  fs.copyFileSync(`${clientKey}.pub`, authorizedKeys);
  const confDir = path.join(dir, 'remote-nix');
  fs.mkdirSync(confDir);
  fs.writeFileSync(path.join(confDir, 'nix.conf'), remoteNixConf);
  const port = await closedPort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'StrictModes no',
      'UsePAM no',
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `SetEnv NIX_CONF_DIR=${confDir}`,
      '',
    ].join('\n'),
  );
  const hostPublicKey = fs.readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  const knownHosts = path.join(dir, 'known_hosts');
  fs.writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPublicKey}\n`);

  // A file rather than a pipe: a test blocked in spawnSync would read a pipe only afterwards.
  const logFile = path.join(dir, 'sshd.log');
  const logFd = fs.openSync(logFile, 'w');
  // Its own process group, so stop() also ends the sessions it forked.
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], {
    detached: true,
    stdio: ['ignore', 'ignore', logFd],
  });
  fs.closeSync(logFd);
  const log = () => fs.readFileSync(logFile, 'utf8');
  const stop = () => stopGroup(child);
  process.on('exit', () => killGroup(child, 'SIGKILL'));
  try {
    await waitFor(() => /Server listening/.test(log()) || child.exitCode !== null, 10_000);
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${log()}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, clientKey, hostPublicKey, knownHosts, log, stop };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP server on 127.0.0.1 that accepts connections and never says a word, like a hung sshd. */
export async function silentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

/** Processes whose command line contains `marker` (e.g. a test's own ssh config path). */
export function processesMentioning(marker: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(marker) && Number(pid) !== process.pid) found.push(`${pid}: ${cmdline.trim()}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
