// The fixture flake (test/fixtures/derivations/workspace) partly built, partly pushed to signed
// binary caches and deleted from the store, with store paths of its own (a fresh nonce):
//
//   app      package  in the HTTP cache, signed by the trusted key   → cached
//   core-lib package  in the file:// cache, signed by the trusted key → cached
//   web-ui   wasm     in the file:// cache, signed by an untrusted key → build
//   wasm-bindgen-cli  in the file:// cache, unsigned                 → build
//   workspace-doc     `out` kept, `html` deleted                     → build
//   every crate's dependencies and the workspace's                   → local
//   app-image, clippy, fmt, test, dev shell: never built             → build
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  copyToCache,
  deleteFromStore,
  generateKey,
  serveCache,
  sign,
  type HttpCache,
  type SigningKey,
} from './binaryCache';
import { evalFlake, gitInit } from './flake';
import { nixEnv, runNix, type Nix } from './nix';
import { FIXTURES, tempDir } from './paths';

export const FIXTURE = path.join(FIXTURES, 'derivations', 'workspace');
export const SYSTEM = 'x86_64-linux';

export interface Scenario {
  nix: Nix;
  dir: string;
  fileCache: string;
  http: HttpCache;
  trusted: SigningKey;
  untrusted: SigningKey;
  /** `checks.<name>` / `packages.<name>` → output name → store path. */
  outputs: Record<string, Record<string, string>>;
  /** NIX_CONFIG lines on top of the tier's offline configuration. */
  env(extraConfig?: string[]): NodeJS.ProcessEnv;
  /** The configuration every status test starts from: both caches, the trusted key. */
  cacheConfig(): string[];
  stop(): void;
}

const OUTS = `set: builtins.mapAttrs (_: d: builtins.listToAttrs (map (o: { name = o; value = d.\${o}.outPath; }) (d.outputs or [ "out" ]))) set`;

/** A fresh copy of the fixture flake in a git repository, with its own nonce. */
export function fixtureCopy(prefix: string): string {
  const dir = tempDir(prefix);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'nonce'), `${prefix}-${process.pid}-${Date.now()}-${Math.random()}\n`);
  gitInit(dir);
  return dir;
}

/** Builds need `--option build-hook ''` through the trixie-installed modern Nix (testing.md §3). */
export function buildArgs(nix: Nix): string[] {
  const [major, minor] = nix.version;
  return major > 2 || minor >= 19 ? ['--option', 'build-hook', ''] : [];
}

export async function setUpScenario(nix: Nix): Promise<Scenario> {
  const dir = fixtureCopy('cache-status');
  const work = tempDir('cache-status-caches');
  const fileCache = path.join(work, 'file-cache');
  const httpDir = path.join(work, 'http-cache');
  const trusted = generateKey(nix, work, 'nixify-trusted-1');
  const untrusted = generateKey(nix, work, 'nixify-untrusted-1');

  const ref = (attr: string) => `git+file://${dir}#${attr}`;
  const built = [
    'checks.app',
    'checks.core-lib',
    'checks.web-ui',
    'checks.workspace-doc',
    'packages.wasm-bindgen-cli',
  ];
  runNix(nix, 'nix', [
    'build',
    '--no-link',
    ...buildArgs(nix),
    ...built.map((a) => ref(a.replace('.', `.${SYSTEM}.`))),
  ]);
  const outputs: Scenario['outputs'] = {};
  for (const section of ['packages', 'checks']) {
    const set = evalFlake<Record<string, Record<string, string>>>(nix, dir, `${section}.${SYSTEM}`, OUTS);
    for (const [name, outs] of Object.entries(set)) outputs[`${section}.${name}`] = outs;
  }
  const out = (attr: string, output = 'out') => {
    const p = outputs[attr]?.[output];
    if (p === undefined) throw new Error(`no ${attr}.${output}`);
    return p;
  };
  const toolchain = runNix(nix, 'nix', ['eval', '--raw', ref(`checks.${SYSTEM}.app.toolchain`)]);

  sign(nix, trusted, [out('checks.app'), out('checks.core-lib'), toolchain]);
  sign(nix, untrusted, [out('checks.web-ui')]);
  copyToCache(nix, fileCache, [
    out('checks.core-lib'),
    out('checks.web-ui'),
    out('packages.wasm-bindgen-cli'),
  ]);
  copyToCache(nix, httpDir, [out('checks.app')]);
  deleteFromStore(nix, [
    out('checks.app'),
    out('checks.core-lib'),
    out('checks.web-ui'),
    out('packages.wasm-bindgen-cli'),
    out('checks.workspace-doc', 'html'),
  ]);
  const http = await serveCache(httpDir);

  const cacheConfig = () => [
    `substituters = file://${fileCache} ${http.url}`,
    `trusted-public-keys = ${trusted.publicKey}`,
    'narinfo-cache-negative-ttl = 0',
    'narinfo-cache-positive-ttl = 0',
  ];
  return {
    nix,
    dir,
    fileCache,
    http,
    trusted,
    untrusted,
    outputs,
    cacheConfig,
    env: (extraConfig = cacheConfig()) => {
      const base = nixEnv();
      return { ...base, NIX_CONFIG: [base['NIX_CONFIG'] ?? '', ...extraConfig].join('\n') };
    },
    stop: () => http.stop(),
  };
}
