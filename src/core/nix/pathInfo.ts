// `nix path-info --json`: Nix 2.8 prints an array (`{path, valid: false}` for a missing path),
// Nix 2.18+ an object keyed by path (`null` for a missing path). The shape tells which.

export interface PathInfo {
  path: string;
  /** As Nix printed it: SRI (`sha256-…`) in both dialects for the local store. */
  narHash: string;
  narSize: number;
  references: string[];
  signatures: string[];
  deriver: string | null;
  ca: string | null;
  /** Download size, for binary caches (`downloadSize`); null when not given. */
  downloadSize: number | null;
}

export class PathInfoError extends Error {
  override readonly name = 'PathInfoError';
}

/** Every path Nix answered about: its info, or null when it is not in that store. */
export function parsePathInfoJson(text: string): Map<string, PathInfo | null> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PathInfoError(`path-info printed invalid JSON: ${(error as Error).message}`);
  }
  const result = new Map<string, PathInfo | null>();
  if (Array.isArray(json)) {
    for (const entry of json) {
      const record = asRecord(entry);
      const storePath = record['path'];
      if (typeof storePath !== 'string') throw new PathInfoError('path-info entry without a path');
      result.set(storePath, record['valid'] === false ? null : toPathInfo(storePath, record));
    }
  } else if (json !== null && typeof json === 'object') {
    for (const [storePath, entry] of Object.entries(json)) {
      result.set(storePath, entry === null ? null : toPathInfo(storePath, asRecord(entry)));
    }
  } else {
    throw new PathInfoError('path-info printed neither an array nor an object');
  }
  return result;
}

function toPathInfo(storePath: string, record: Record<string, unknown>): PathInfo {
  const { narHash, narSize } = record;
  if (typeof narHash !== 'string' || typeof narSize !== 'number') {
    throw new PathInfoError(`path-info for ${storePath} without narHash or narSize`);
  }
  return {
    path: storePath,
    narHash,
    narSize,
    references: strings(record['references']),
    signatures: strings(record['signatures']),
    deriver: typeof record['deriver'] === 'string' ? record['deriver'] : null,
    ca: typeof record['ca'] === 'string' ? record['ca'] : null,
    downloadSize: typeof record['downloadSize'] === 'number' ? record['downloadSize'] : null,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PathInfoError(`path-info entry is not an object: ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
