// Asking one substituter about many store paths at once, never one process per path: file://
// caches are read from disk, http(s) ones with parallel narinfo requests over kept-alive
// connections, and any other kind of store with one `nix path-info --store URL --json` run.
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { describeFailure, ProcessError } from '../process';
import { runNix, type NixRunOptions } from './invoke';
import { parseNarinfo, storePathHash } from './narinfo';
import { parsePathInfoJson } from './pathInfo';

/** What a cache says about one store path; what signatures must cover is in the first four fields. */
export interface CachedPath {
  storePath: string;
  narHash: string;
  narSize: number;
  references: string[];
  sigs: string[];
  /** Compressed size, when the cache says. */
  fileSize: number | null;
  ca: string | null;
}

export type CacheAnswer =
  | { kind: 'found'; info: CachedPath }
  | { kind: 'absent' }
  /** The cache could not say (refused connection, timeout, server error): never a "no". */
  | { kind: 'unreachable'; reason: string };

export interface CacheQueryOptions extends NixRunOptions {
  /** Per request for http(s), per run otherwise. Default 5 s. */
  timeoutMs?: number;
  /** Requests or file reads in flight at once. Default 32. */
  concurrency?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_CONCURRENCY = 32;
const MAX_NARINFO_BYTES = 1024 * 1024;

/** One answer per store path from the substituter at `url`. */
export async function queryCache(
  url: string,
  storePaths: readonly string[],
  options: CacheQueryOptions = {},
): Promise<Map<string, CacheAnswer>> {
  const unique = [...new Set(storePaths)];
  if (unique.length === 0) return new Map();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'file') return queryFileCache(url, unique, options);
  if (scheme === 'http' || scheme === 'https') return queryHttpCache(url, unique, options);
  return queryCacheWithNix(url, unique, options);
}

function baseOf(url: string): URL {
  const base = new URL(url);
  // `?priority=…` and friends are settings for Nix, not part of the cache's address.
  base.search = '';
  base.hash = '';
  base.pathname = base.pathname.replace(/\/+$/, '');
  return base;
}

async function queryFileCache(
  url: string,
  storePaths: string[],
  options: CacheQueryOptions,
): Promise<Map<string, CacheAnswer>> {
  const dir = decodeURIComponent(baseOf(url).pathname);
  const answers = await mapLimit(
    storePaths,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async (storePath) => {
      try {
        const text = await fs.readFile(`${dir}/${storePathHash(storePath)}.narinfo`, 'utf8');
        return fromNarinfo(storePath, text);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Nix creates a missing file:// cache and then finds nothing in it.
        if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' } as const;
        return { kind: 'unreachable', reason: `cannot read ${dir}: ${code ?? String(error)}` } as const;
      }
    },
  );
  return new Map(storePaths.map((p, i) => [p, answers[i] ?? { kind: 'absent' }]));
}

function fromNarinfo(storePath: string, text: string): CacheAnswer {
  try {
    const n = parseNarinfo(text);
    // Another path with the same hash part is not this path; Nix refuses it too.
    if (n.storePath !== storePath) return { kind: 'absent' };
    return {
      kind: 'found',
      info: {
        storePath: n.storePath,
        narHash: n.narHash,
        narSize: n.narSize,
        references: n.references,
        sigs: n.sigs,
        fileSize: n.fileSize,
        ca: n.ca,
      },
    };
  } catch {
    // Nix cannot substitute from a narinfo it cannot read either.
    return { kind: 'absent' };
  }
}

async function queryHttpCache(
  url: string,
  storePaths: string[],
  options: CacheQueryOptions,
): Promise<Map<string, CacheAnswer>> {
  const base = baseOf(url);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent =
    base.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: concurrency })
      : new http.Agent({ keepAlive: true, maxSockets: concurrency });
  // `href` ends in "/" for a cache at the server's root; `//file` would not be a path.
  const prefix = base.href.replace(/\/+$/, '');
  const get = (file: string) => httpGet(new URL(`${prefix}/${file}`), agent, timeoutMs, options.signal);
  try {
    // One probe first: an unreachable cache then costs one timeout rather than one per path.
    const probe = await get('nix-cache-info');
    if (probe.kind === 'error') {
      const answer: CacheAnswer = { kind: 'unreachable', reason: probe.reason };
      return new Map(storePaths.map((p) => [p, answer]));
    }
    let broken: string | null = null;
    const answers = await mapLimit(storePaths, concurrency, async (storePath): Promise<CacheAnswer> => {
      if (broken !== null) return { kind: 'unreachable', reason: broken };
      const response = await get(`${storePathHash(storePath)}.narinfo`);
      if (response.kind === 'error') {
        if (response.network) broken = response.reason;
        return { kind: 'unreachable', reason: response.reason };
      }
      // S3-backed caches answer 403 for a missing object.
      if (response.status === 404 || response.status === 403 || response.status === 410) {
        return { kind: 'absent' };
      }
      if (response.status !== 200) {
        return { kind: 'unreachable', reason: `${base.href} answered HTTP ${response.status}` };
      }
      return fromNarinfo(storePath, response.body);
    });
    return new Map(storePaths.map((p, i) => [p, answers[i] ?? { kind: 'absent' }]));
  } finally {
    agent.destroy();
  }
}

/** What a substituter says about itself (`nix-cache-info`), or why it could not. */
export type CacheProbe =
  | {
      kind: 'reachable';
      /** `nix-cache-info` as key → value (`StoreDir`, `WantMassQuery`, `Priority`); empty for stores Nix opened. */
      info: Record<string, string>;
      /**
       * For file:// caches, the key names that signed one narinfo of the cache (which keys its paths
       * carry); null where no narinfo can be listed (http, other stores) or the cache is empty.
       */
      sampleSigners: string[] | null;
    }
  | { kind: 'unreachable'; reason: string };

/**
 * Whether the substituter at `url` answers, with one request: its `nix-cache-info` (file://,
 * http(s)), or `nix store ping --store URL` for any other kind of store. Never throws.
 */
export async function probeCache(url: string, options: CacheQueryOptions = {}): Promise<CacheProbe> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  let base: URL;
  try {
    base = baseOf(url);
  } catch {
    return { kind: 'unreachable', reason: `${url} is not a URL` };
  }
  if (scheme === 'file') {
    const dir = decodeURIComponent(base.pathname);
    try {
      const info = parseCacheInfo(await fs.readFile(`${dir}/nix-cache-info`, 'utf8'));
      return { kind: 'reachable', info, sampleSigners: await sampleSigners(dir) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { kind: 'unreachable', reason: `cannot read ${dir}/nix-cache-info: ${code ?? String(error)}` };
    }
  }
  if (scheme === 'http' || scheme === 'https') {
    const agent = base.protocol === 'https:' ? new https.Agent() : new http.Agent();
    try {
      const prefix = base.href.replace(/\/+$/, '');
      const response = await httpGet(new URL(`${prefix}/nix-cache-info`), agent, timeoutMs, options.signal);
      if (response.kind === 'error') return { kind: 'unreachable', reason: response.reason };
      if (response.status !== 200) {
        return { kind: 'unreachable', reason: `${prefix}/nix-cache-info answered HTTP ${response.status}` };
      }
      return { kind: 'reachable', info: parseCacheInfo(response.body), sampleSigners: null };
    } finally {
      agent.destroy();
    }
  }
  try {
    await runNix(['store', 'ping', '--store', url], { ...options, timeoutMs: timeoutMs * 4 });
    return { kind: 'reachable', info: {}, sampleSigners: null };
  } catch (error) {
    return {
      kind: 'unreachable',
      reason: error instanceof ProcessError ? describeFailure(error.result) : String(error),
    };
  }
}

/** `Key: value` lines. */
export function parseCacheInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) info[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return info;
}

async function sampleSigners(dir: string): Promise<string[] | null> {
  const handle = await fs.opendir(dir).catch(() => null);
  if (!handle) return null;
  // Leaving the loop closes the directory.
  for await (const entry of handle) {
    if (!entry.isFile() || !entry.name.endsWith('.narinfo')) continue;
    const text = await fs.readFile(`${dir}/${entry.name}`, 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      return parseNarinfo(text).sigs.map((sig) => sig.slice(0, Math.max(0, sig.indexOf(':'))));
    } catch {
      continue;
    }
  }
  return null;
}

type HttpResult =
  | { kind: 'response'; status: number; body: string }
  /** `network`: the connection failed (refused, reset, timed out), so later requests would too. */
  | { kind: 'error'; reason: string; network: boolean };

function httpGet(url: URL, agent: http.Agent, timeoutMs: number, signal?: AbortSignal): Promise<HttpResult> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const fail = (reason: string, network: boolean) => resolve({ kind: 'error', reason, network });
    const request = client.get(url, { agent, ...(signal !== undefined && { signal }) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_NARINFO_BYTES) request.destroy(new Error('response too large'));
        else chunks.push(chunk);
      });
      response.on('end', () =>
        resolve({
          kind: 'response',
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', (error) => fail(`${url.origin}: ${error.message}`, true));
    });
    request.setTimeout(timeoutMs, () =>
      request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      const what = error.code === 'ABORT_ERR' ? 'cancelled' : error.message;
      fail(`${url.origin}: ${what}`, true);
    });
  });
}

/** Any store Nix can open (s3://, ssh://…): one `nix path-info --store URL --json` run. */
export async function queryCacheWithNix(
  url: string,
  storePaths: readonly string[],
  options: CacheQueryOptions = {},
): Promise<Map<string, CacheAnswer>> {
  if (storePaths.length === 0) return new Map();
  let stdout: string;
  try {
    stdout = await runNix(['path-info', '--json', '--store', url, ...storePaths], {
      ...options,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS * 4,
      nixOptions: { 'narinfo-cache-negative-ttl': '0' },
    });
  } catch (error) {
    const reason = error instanceof ProcessError ? describeFailure(error.result) : String(error);
    const answer: CacheAnswer = { kind: 'unreachable', reason };
    return new Map(storePaths.map((p) => [p, answer]));
  }
  const infos = parsePathInfoJson(stdout);
  return new Map(
    storePaths.map((p): [string, CacheAnswer] => {
      const info = infos.get(p);
      if (!info) return [p, { kind: 'absent' }];
      return [
        p,
        {
          kind: 'found',
          info: {
            storePath: p,
            narHash: info.narHash,
            narSize: info.narSize,
            references: info.references,
            sigs: info.signatures,
            fileSize: info.downloadSize,
            ca: info.ca,
          },
        },
      ];
    }),
  );
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
