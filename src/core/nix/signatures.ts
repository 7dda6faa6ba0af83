// Checking a binary cache's signatures the way Nix does before it substitutes a path: ed25519 over
// the fingerprint `1;<storePath>;<narHash>;<narSize>;<references, comma-separated full paths>`, by a
// key listed in `trusted-public-keys` (`name:base64` of the 32-byte public key).
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { narHashNix32 } from './hash';

export interface PublicKey {
  name: string;
  key: KeyObject;
}

const ED25519_PUBLIC_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;

/** The usable keys of a `trusted-public-keys` list, and the entries that are not keys. */
export function parsePublicKeys(specs: readonly string[]): { keys: PublicKey[]; invalid: string[] } {
  const keys: PublicKey[] = [];
  const invalid: string[] = [];
  for (const spec of specs) {
    const key = parsePublicKey(spec);
    if (key) keys.push(key);
    else invalid.push(spec);
  }
  return { keys, invalid };
}

export function parsePublicKey(spec: string): PublicKey | null {
  const colon = spec.indexOf(':');
  if (colon <= 0) return null;
  const raw = Buffer.from(spec.slice(colon + 1), 'base64');
  if (raw.length !== ED25519_PUBLIC_KEY_BYTES) return null;
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    return { name: spec.slice(0, colon), key };
  } catch {
    return null;
  }
}

export interface SignedPathInfo {
  storePath: string;
  /** Any form Nix prints (nix32, hex or SRI); it is signed as `sha256:<nix32>`. */
  narHash: string;
  narSize: number;
  /** Full store paths. */
  references: readonly string[];
}

/** What Nix signs for a store path; null when the NAR hash is not a SHA-256. */
export function fingerprint(info: SignedPathInfo): string | null {
  const narHash = narHashNix32(info.narHash);
  if (narHash === null) return null;
  const references = [...info.references].sort().join(',');
  return `1;${info.storePath};${narHash};${info.narSize};${references}`;
}

export interface SignatureCheck {
  /** The trusted key that verified a signature, or null. */
  trustedBy: string | null;
  /** Names of the keys that signed, verified or not: for "signed by X, which you do not trust". */
  signers: string[];
}

/** Which trusted key, if any, made one of `sigs` (`keyname:base64`) over `info`. */
export function checkSignatures(
  info: SignedPathInfo,
  sigs: readonly string[],
  trusted: readonly PublicKey[],
): SignatureCheck {
  const signers = sigs.map((s) => s.slice(0, Math.max(0, s.indexOf(':'))));
  const text = fingerprint(info);
  if (text === null) return { trustedBy: null, signers };
  const message = Buffer.from(text);
  for (const sig of sigs) {
    const colon = sig.indexOf(':');
    if (colon <= 0) continue;
    const name = sig.slice(0, colon);
    const bytes = Buffer.from(sig.slice(colon + 1), 'base64');
    if (bytes.length !== ED25519_SIGNATURE_BYTES) continue;
    for (const key of trusted) {
      if (key.name === name && verify(null, message, key.key, bytes)) return { trustedBy: name, signers };
    }
  }
  return { trustedBy: null, signers };
}
