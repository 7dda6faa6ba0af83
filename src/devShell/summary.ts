// Names, counts and labels of a dev shell for the status bar, the log and messages. No `vscode` and
// no values here except in `renderEnvironment`, which only the explicit "show environment" uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DevShellEnv, EnvDelta, ShellSource } from '../core/devenv/types';

export interface EnvSummary {
  /** Distinct variables the shell sets or extends (PATH counts once). */
  variables: number;
  /** Entries the shell puts in front of PATH. */
  pathEntries: number;
  unset: number;
  /** Sorted names of everything the shell touches: safe to log, unlike the values. */
  names: string[];
}

export function summarizeDelta(delta: EnvDelta): EnvSummary {
  const touched = new Set([...Object.keys(delta.set), ...Object.keys(delta.prepend)]);
  return {
    variables: touched.size,
    pathEntries: splitPath(delta.prepend.PATH).length,
    unset: delta.unset.length,
    names: [...touched, ...delta.unset].sort(),
  };
}

export function splitPath(value: string | undefined): string[] {
  return (value ?? '').split(':').filter((entry) => entry !== '');
}

/** `devShells.x86_64-linux.default` for a flake, else the file name. */
export function shellLabel(source: ShellSource): string {
  return source.kind === 'flake' ? `devShells.${source.system}.${source.attr}` : source.kind;
}

/** Two identities for "is this the same shell": the folder, the kind and the attribute. */
export function sameShell(a: ShellSource, b: ShellSource): boolean {
  return a.folder === b.folder && a.kind === b.kind && a.attr === b.attr && a.system === b.system;
}

/** "850 ms", "1.2 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/**
 * The first `name` found in the PATH-style list `searchPath`, as `which` would find it; undefined
 * when none is executable. Only the shell's own entries are passed here, so that "the shell's
 * rust-analyzer" never means a rustup proxy on the user's PATH.
 */
export function findExecutable(
  name: string,
  searchPath: string | undefined,
  isExecutable: (file: string) => boolean = executableFile,
): string | undefined {
  for (const dir of splitPath(searchPath)) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function executableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The environment as shell lines, values included: only for the read-only document the user opens
 * on purpose ("Show Dev Shell Environment"). Never pass this to the log.
 */
export function renderEnvironment(env: DevShellEnv): string {
  const { delta } = env;
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const lines = [
    `# Nix dev shell ${shellLabel(env.source)} of ${env.source.folder}`,
    `# evaluated ${env.evaluatedAt} in ${formatDuration(env.durationMs)} by ${env.nixVersion}`,
    '# What Nixify adds to terminals and rust-analyzer. Values may be secrets: share with care.',
    '',
  ];
  for (const name of Object.keys(delta.prepend).sort()) {
    lines.push(`export ${name}=${quote(delta.prepend[name] ?? '')}"\${${name}:+:$${name}}"`);
  }
  for (const name of Object.keys(delta.set).sort()) {
    lines.push(`export ${name}=${quote(delta.set[name] ?? '')}`);
  }
  for (const name of [...delta.unset].sort()) {
    lines.push(`unset ${name}`);
  }
  return `${lines.join('\n')}\n`;
}
