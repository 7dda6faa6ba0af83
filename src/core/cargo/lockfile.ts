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
  return { lockfile: { path: file, version, packages } };
}
