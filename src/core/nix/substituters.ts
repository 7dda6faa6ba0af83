// Which caches and keys a status check may count on. Nixify never accepts a flake's nixConfig
// (see nixCommand.ts), so a cache the flake declares counts only when the user's own configuration
// already trusts it; signatures count only by keys from the user's own configuration.
import type { NixConfig } from './nixConfig';

/** The cache settings a flake's `nixConfig` declares (`extra-` and plain names merged). */
export interface FlakeCacheConfig {
  substituters: string[];
  trustedPublicKeys: string[];
}

export interface SubstituterPlan {
  /** The user's substituters, then the flake's trusted ones; no duplicates. */
  substituters: string[];
  trustedPublicKeys: string[];
  requireSigs: boolean;
  /** Every cache the flake declares, and whether it is used. */
  flakeSubstituters: { url: string; trusted: boolean }[];
  /** One line each: a flake cache left out, or used but with its key missing, and how to fix it. */
  notes: string[];
}

/** `https://x/` and `https://x` are the same cache to Nix. */
export function sameCache(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

export function planSubstituters(config: NixConfig, flake: FlakeCacheConfig | null): SubstituterPlan {
  const substituters = [...config.substituters];
  const flakeSubstituters: SubstituterPlan['flakeSubstituters'] = [];
  const notes: string[] = [];
  const missingKeys = (flake?.trustedPublicKeys ?? []).filter((k) => !config.trustedPublicKeys.includes(k));
  const keyHint = missingKeys.length > 0 ? ` and "extra-trusted-public-keys = ${missingKeys.join(' ')}"` : '';
  for (const url of flake?.substituters ?? []) {
    const trusted = [...config.substituters, ...config.trustedSubstituters].some((s) => sameCache(s, url));
    flakeSubstituters.push({ url, trusted });
    if (!trusted) {
      notes.push(
        `${url} (declared by the flake) is not used: your Nix configuration does not trust it. ` +
          `To use it, add "extra-substituters = ${url}"${keyHint} to nix.conf.`,
      );
    } else if (!substituters.some((s) => sameCache(s, url))) {
      substituters.push(url);
    }
  }
  if (flakeSubstituters.some((s) => s.trusted) && missingKeys.length > 0) {
    notes.push(
      `The flake's key${missingKeys.length === 1 ? '' : 's'} ${missingKeys.join(' ')} ` +
        `${missingKeys.length === 1 ? 'is' : 'are'} not in trusted-public-keys: paths signed only by ` +
        `${missingKeys.length === 1 ? 'it' : 'them'} count as "build". Add "extra-trusted-public-keys = ` +
        `${missingKeys.join(' ')}" to nix.conf to trust ${missingKeys.length === 1 ? 'it' : 'them'}.`,
    );
  }
  return {
    substituters,
    trustedPublicKeys: [...config.trustedPublicKeys],
    requireSigs: config.requireSigs,
    flakeSubstituters,
    notes,
  };
}
