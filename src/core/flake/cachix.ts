import { nixString } from './nixText';

// The flake's `nixConfig` for a Cachix cache, and the checks the CLI and the quick pick run on what
// the user types before it reaches a generated file.

/**
 * Cachix names are lowercase letters, digits and dashes; the name is also the DNS label of
 * `<name>.cachix.org`, so it cannot start or end with a dash or run past 63 characters.
 */
export function validCachixName(name: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name);
}

/**
 * `<name>.cachix.org-1:<base64 of a 32-byte ed25519 public key>` — what the cache's page shows.
 * With `name`, the key must also belong to that cache (a key pasted from another cache would make
 * every download fail its signature check).
 */
export function validCachixKey(key: string, name?: string): boolean {
  const match = /^([^:]+)\.cachix\.org-1:([A-Za-z0-9+/]{43}=)$/.exec(key);
  if (!match?.[1] || !match[2] || !validCachixName(match[1])) return false;
  if (name !== undefined && match[1] !== name) return false;
  // Real keys are canonical base64, so a mistyped last character shows up as a failed round trip.
  return Buffer.from(match[2], 'base64').toString('base64') === match[2];
}

/**
 * The `nixConfig = { … };` attribute for the top-level attrset of flake.nix, already indented by
 * two spaces and ending in a newline. A null key writes a placeholder and says where to find it.
 * Throws a RangeError for a name `validCachixName` refuses: no such cache can exist.
 */
export function cachixNixConfig(name: string, publicKey: string | null): string {
  if (!validCachixName(name)) throw new RangeError(`Not a Cachix cache name: ${JSON.stringify(name)}`);
  const lines = [
    '  # Prebuilt results from CI. Nix asks before it uses settings a flake provides (Nixify never',
    '  # passes --accept-flake-config); answer yes, or add both lines to nix.conf, to download',
    '  # instead of compiling.',
    '  nixConfig = {',
    `    extra-substituters = [ "https://${name}.cachix.org" ];`,
  ];
  if (publicKey === null) {
    lines.push(`    # Replace with the public key shown on https://app.cachix.org/cache/${name}`);
  }
  const key = publicKey ?? `${name}.cachix.org-1:PUT-THE-PUBLIC-KEY-HERE`;
  lines.push(`    extra-trusted-public-keys = [ ${nixString(key)} ];`, '  };');
  return lines.map((line) => `${line}\n`).join('');
}
