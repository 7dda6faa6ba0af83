// Helpers shared by the benchmarks and scripts/check-real-crane.mjs (which loads the compiled
// out/bench/support.js): generated workspaces and an offline Nix configuration.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Deterministic 64 hex digits for generated Cargo.lock entries; nothing is ever downloaded. */
export function fakeChecksum(seed: string): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

/** Nix configured for this offline machine (testing.md §1), with its flake registry in `tmp`. */
export function offlineNixEnv(tmp: string): NodeJS.ProcessEnv {
  const registry = path.join(tmp, 'registry.json');
  fs.writeFileSync(registry, '{"flakes":[],"version":2}\n');
  return {
    ...process.env,
    NIX_CONFIG: [
      'experimental-features = nix-command flakes',
      'sandbox = false',
      'substituters =',
      `flake-registry = ${registry}`,
      'warn-dirty = false',
      // The generated flakes must evaluate where import-from-derivation is refused.
      'allow-import-from-derivation = false',
    ].join('\n'),
  };
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
