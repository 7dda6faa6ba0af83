// Nix's own base-32 and the three ways Nix prints a NAR hash. Signatures cover the hash as
// `sha256:<nix base-32>` (the narinfo form), while `path-info --json` prints SRI (`sha256-<base64>`),
// so a signature read from path-info JSON can only be checked after conversion.

const NIX32_CHARS = '0123456789abcdfghijklmnpqrsvwxyz';

/** Nix's base-32: no e, o, u, t; the last byte first. */
export function toNix32(bytes: Uint8Array): string {
  const length = Math.ceil((bytes.length * 8) / 5);
  let out = '';
  for (let n = length - 1; n >= 0; n--) {
    const b = n * 5;
    const i = Math.floor(b / 8);
    const j = b % 8;
    const low = (bytes[i] ?? 0) >> j;
    const high = i + 1 < bytes.length ? (bytes[i + 1] ?? 0) << (8 - j) : 0;
    out += NIX32_CHARS[(low | high) & 0x1f];
  }
  return out;
}

export function fromNix32(text: string, size: number): Uint8Array | null {
  const bytes = new Uint8Array(size);
  for (let n = 0; n < text.length; n++) {
    const digit = NIX32_CHARS.indexOf(text[text.length - n - 1] ?? '');
    if (digit < 0) return null;
    const b = n * 5;
    const i = Math.floor(b / 8);
    const j = b % 8;
    bytes[i] = (bytes[i] ?? 0) | ((digit << j) & 0xff);
    const carry = digit >> (8 - j);
    if (i + 1 < size) bytes[i + 1] = (bytes[i + 1] ?? 0) | carry;
    else if (carry !== 0) return null;
  }
  return bytes;
}

const SHA256_BYTES = 32;

/**
 * `sha256:<nix32>` for a SHA-256 given as `sha256:<nix32>`, `sha256:<hex>` or SRI `sha256-<base64>`;
 * null for anything else.
 */
export function narHashNix32(hash: string): string | null {
  const sri = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(hash);
  if (sri) return `sha256:${toNix32(Buffer.from(sri[1] ?? '', 'base64'))}`;
  const hex = /^sha256:([0-9a-f]{64})$/.exec(hash);
  if (hex) return `sha256:${toNix32(Buffer.from(hex[1] ?? '', 'hex'))}`;
  const nix32 = /^sha256:([0-9a-df-np-sv-z]{52})$/.exec(hash);
  if (nix32 && fromNix32(nix32[1] ?? '', SHA256_BYTES) !== null) return hash;
  return null;
}
