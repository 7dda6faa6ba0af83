// Which file a folder's dev shell comes from, and how nix is told about it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { currentNixSystem } from './system';
import type { ShellSource } from './types';

const SOURCE_FILES: readonly [string, ShellSource['kind']][] = [
  ['flake.nix', 'flake'],
  ['shell.nix', 'shell.nix'],
  ['default.nix', 'default.nix'],
];

/** flake.nix wins over shell.nix over default.nix, as `nix develop` and `nix-shell` look; null when none. */
export function shellSourceFor(
  folder: string,
  opts: { attr?: string; system?: string } = {},
): ShellSource | null {
  const absolute = path.resolve(folder);
  for (const [file, kind] of SOURCE_FILES) {
    if (fs.statSync(path.join(absolute, file), { throwIfNoEntry: false })?.isFile()) {
      return {
        kind,
        folder: absolute,
        attr: kind === 'flake' ? opts.attr || 'default' : '',
        system: opts.system ?? currentNixSystem(),
      };
    }
  }
  return null;
}

/** The file a non-flake source names (`shell.nix` or `default.nix`). */
export function sourceFile(source: ShellSource): string {
  return path.join(source.folder, source.kind === 'flake' ? 'flake.nix' : source.kind);
}

/** An attribute name as a Nix attribute path element: quoted unless it is a plain identifier. */
export function attrPathElement(name: string): string {
  return /^[A-Za-z_][\w'-]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * The installable arguments: `<folder>#devShells.<system>.<attr>` for a flake (the folder as flake
 * reference, so nix sees exactly what git tracks, as `nix develop` run there does), `--file` for
 * shell.nix and default.nix.
 */
export function installableArgs(source: ShellSource): string[] {
  if (source.kind !== 'flake') return ['--file', sourceFile(source)];
  return [`${source.folder}#devShells.${attrPathElement(source.system)}.${attrPathElement(source.attr)}`];
}
