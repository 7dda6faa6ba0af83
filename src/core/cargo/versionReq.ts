// Version requirements printed as the `semver` crate prints them, which is what `cargo metadata`
// shows in `req`: a bare version gets `^`, spaces after operators go, comparators join with ", ".

const COMPARATOR = /^(=|>=|<=|>|<|~|\^)?\s*(.*)$/;
const VERSION =
  /^([0-9]+|[*xX])(?:\.([0-9]+|[*xX]))?(?:\.([0-9]+|[*xX]))?(-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function formatVersionReq(req: string): string | null {
  const trimmed = req.trim();
  if (trimmed === '' || trimmed === '*') return '*';
  const parts: string[] = [];
  for (const comparator of trimmed.split(',')) {
    const formatted = formatComparator(comparator.trim());
    if (formatted === null) return null;
    parts.push(formatted);
  }
  return parts.join(', ');
}

function formatComparator(text: string): string | null {
  const [, op, rest = ''] = COMPARATOR.exec(text) ?? [];
  const version = VERSION.exec(rest.trim());
  if (!version) return null;
  const [, major = '', minor, patch, pre = ''] = version;
  const isWild = (part: string | undefined) => part !== undefined && /^[*xX]$/.test(part);
  if (isWild(major)) return op ? null : '*';
  if (isWild(minor) || isWild(patch)) {
    // `1.*` stays a wildcard; with an operator the wildcard part is simply left out.
    if (op) return `${op}${major}${isWild(minor) ? '' : `.${minor}`}`;
    return isWild(minor) ? `${major}.*` : `${major}.${minor}.*`;
  }
  const numbers = [major, minor, patch].filter((p): p is string => p !== undefined).join('.');
  return `${op ?? '^'}${numbers}${pre}`;
}

const SEMVER =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** A package `version` must be full semver (cargo refuses `1.0` or `v1.0.0`). */
export function isSemver(version: string): boolean {
  return SEMVER.test(version);
}

const POSITIONS = ['major version number', 'minor version number', 'patch version number'];

/** Why `version` is not semver, in the words of the `semver` crate that cargo reports. */
export function describeSemverError(version: string): string {
  if (version === '') return 'empty string, expected a semver version';
  let i = 0;
  for (const [index, position] of POSITIONS.entries()) {
    if (i >= version.length) return `unexpected end of input while parsing ${position}`;
    const start = i;
    while (i < version.length && /[0-9]/.test(version[i] ?? '')) i++;
    if (i === start) return `unexpected character '${version[i]}' while parsing ${position}`;
    if (version[start] === '0' && i - start > 1) return `invalid leading zero in ${position}`;
    if (index < 2) {
      if (i >= version.length) return `unexpected end of input while parsing ${position}`;
      if (version[i] !== '.') return `unexpected character '${version[i]}' after ${position}`;
      i++;
    }
  }
  if (i < version.length && version[i] !== '-' && version[i] !== '+') {
    return `unexpected character '${version[i]}' after patch version number`;
  }
  return 'invalid pre-release or build metadata';
}
