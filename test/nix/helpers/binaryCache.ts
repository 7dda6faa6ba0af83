// Real signed binary caches for the nix tier (testing.md §2): keys from `nix key generate-secret`,
// `nix store sign`, `nix copy --to file://…`, `nix store delete`, and an HTTP server on loopback.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { nixEnv, runNix, type Nix } from './nix';

export interface SigningKey {
  name: string;
  secretFile: string;
  /** `name:base64`, for trusted-public-keys. */
  publicKey: string;
}

export function generateKey(nix: Nix, dir: string, name: string): SigningKey {
  const secretFile = path.join(dir, `${name}.sec`);
  fs.writeFileSync(secretFile, runNix(nix, 'nix', ['key', 'generate-secret', '--key-name', name]));
  const publicKey = runNixWithInput(
    nix,
    ['key', 'convert-secret-to-public'],
    fs.readFileSync(secretFile, 'utf8'),
  );
  return { name, secretFile, publicKey: publicKey.trim() };
}

function runNixWithInput(nix: Nix, args: string[], input: string): string {
  // `nix key convert-secret-to-public` reads the key from stdin.
  const result = spawnSync(path.join(nix.binDir, 'nix'), args, { input, encoding: 'utf8', env: nixEnv() });
  if (result.status !== 0) throw new Error(`nix ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

export function sign(nix: Nix, key: SigningKey, paths: string[]): void {
  runNix(nix, 'nix', ['store', 'sign', '--key-file', key.secretFile, ...paths]);
}

/** Copies `paths` (and their closure) into the file:// cache at `dir`. */
export function copyToCache(nix: Nix, dir: string, paths: string[]): void {
  runNix(nix, 'nix', ['copy', '--to', `file://${dir}`, ...paths]);
}

/** Removes exactly these paths from the local store (no garbage collection of anything else). */
export function deleteFromStore(nix: Nix, paths: string[]): void {
  runNix(nix, 'nix', ['store', 'delete', ...paths]);
}

export function isValid(nix: Nix, storePath: string): boolean {
  return runNix(nix, 'nix-store', ['--check-validity', '--print-invalid', storePath]).trim() === '';
}

export interface HttpCache {
  url: string;
  /** How many connections and requests the server has seen. */
  stats(): Promise<{ connections: number; requests: number }>;
  stop(): void;
}

const SERVER = path.join(__dirname, 'staticServer.js');

/** Serves `dir` on 127.0.0.1 from a child process. */
export function serveCache(dir: string): Promise<HttpCache> {
  const child: ChildProcess = spawn(process.execPath, [SERVER, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) => {
      const url = `http://127.0.0.1:${Number(chunk.toString().trim())}`;
      resolve({
        url,
        stats: async () =>
          (await (await fetch(`${url}/__stats`)).json()) as { connections: number; requests: number },
        stop: () => {
          if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
        },
      });
    });
  });
}

/** A loopback port nothing listens on: connections to it are refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
