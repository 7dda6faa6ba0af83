// The `<hash>.narinfo` files a binary cache serves: `Key: value` lines describing one store path.
import * as path from 'node:path';

export interface Narinfo {
  storePath: string;
  /** Where the compressed NAR is, relative to the cache. */
  url: string;
  compression: string | null;
  /** Size of the download; null when the cache does not say. */
  fileSize: number | null;
  /** `sha256:<nix base-32>`, as signed. */
  narHash: string;
  narSize: number;
  /** Full store paths, sorted (the file lists base names). */
  references: string[];
  deriver: string | null;
  /** `keyname:base64` signatures. */
  sigs: string[];
  /** Set for content-addressed paths. */
  ca: string | null;
}

export class NarinfoError extends Error {
  override readonly name = 'NarinfoError';
}

/** Parses a narinfo; throws `NarinfoError` when StorePath, URL, NarHash or NarSize is missing. */
export function parseNarinfo(text: string): Narinfo {
  const fields = new Map<string, string>();
  const sigs: string[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (key === 'Sig') sigs.push(value);
    else fields.set(key, value);
  }
  const required = (key: string): string => {
    const value = fields.get(key);
    if (value === undefined || value === '') throw new NarinfoError(`narinfo without ${key}`);
    return value;
  };
  const storePath = required('StorePath');
  const narSize = Number(required('NarSize'));
  if (!Number.isSafeInteger(narSize)) throw new NarinfoError(`narinfo with NarSize ${fields.get('NarSize')}`);
  const fileSize = fields.has('FileSize') ? Number(fields.get('FileSize')) : NaN;
  const storeDir = path.posix.dirname(storePath);
  const full = (name: string) => `${storeDir}/${name}`;
  const deriver = fields.get('Deriver');
  return {
    storePath,
    url: required('URL'),
    compression: fields.get('Compression') ?? null,
    fileSize: Number.isSafeInteger(fileSize) ? fileSize : null,
    narHash: required('NarHash'),
    narSize,
    references: (fields.get('References') ?? '').split(/\s+/).filter(Boolean).map(full).sort(),
    deriver: deriver === undefined || deriver === 'unknown-deriver' ? null : full(deriver),
    sigs,
    ca: fields.get('CA') ?? null,
  };
}

/** The `<hash>` part of `/nix/store/<hash>-<name>`, which names the narinfo file. */
export function storePathHash(storePath: string): string {
  return path.posix.basename(storePath).slice(0, 32);
}
