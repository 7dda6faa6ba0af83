import { keyProblem } from './problems';
import { parseToml, str, table } from './toml';
import type { Lockfile, LockedPackage, Problem } from './types';

/**
 * Cargo.lock, any format version: v1 keeps checksums in `[metadata]`, v2 has no `version` key,
 * v3 and v4 say so at the top. Every `[[package]]` is returned, in file order.
 */
export function parseLockfile(text: string, file: string): { lockfile: Lockfile | null; problem?: Problem } {
  const parsed = parseToml(text, file);
  if (!parsed.ok) return { lockfile: null, problem: parsed.problem };
  const doc = parsed.value;
  const metadata = table(doc['metadata']);
  const declared = doc['version'];
  const version = typeof declared === 'number' ? declared : metadata ? 1 : 2;
  const problem = versionProblem(declared, text, file);
  const packages: LockedPackage[] = [];
  const entries = Array.isArray(doc['package']) ? doc['package'] : [];
  for (const entry of entries) {
    const pkg = table(entry);
    const name = str(pkg?.['name']);
    const pkgVersion = str(pkg?.['version']);
    if (!pkg || !name || !pkgVersion) continue;
    const source = str(pkg['source']) ?? null;
    const checksum =
      str(pkg['checksum']) ??
      str(metadata?.[`checksum ${name} ${pkgVersion}${source ? ` (${source})` : ''}`]) ??
      null;
    packages.push({ name, version: pkgVersion, source, checksum });
  }
  return { lockfile: { path: file, version, packages }, ...(problem && { problem }) };
}

// The newest format the cargo of this project's toolchain writes; a newer one (or a hand edit) is
// refused by cargo, so a flake built from it would fail in cargo, later and less clearly.
const NEWEST_LOCK_VERSION = 4;

/** Cargo's refusal of a `version` it does not know, at the key; undefined when it reads it. */
function versionProblem(declared: unknown, text: string, file: string): Problem | undefined {
  if (declared === undefined) return undefined;
  const source = { manifestPath: file, text };
  if (typeof declared !== 'number' || !Number.isInteger(declared)) {
    const shown =
      typeof declared === 'string'
        ? `string ${JSON.stringify(declared)}`
        : typeof declared === 'number'
          ? `floating point \`${declared}\``
          : typeof declared;
    return keyProblem(source, '', 'version', `invalid type: ${shown}, expected u32`);
  }
  if (declared >= 1 && declared <= NEWEST_LOCK_VERSION) return undefined;
  return keyProblem(
    source,
    '',
    'version',
    `lock file version \`${declared}\` was found, but this version of Cargo does not understand this lock file, perhaps Cargo needs to be updated?`,
  );
}
