// Nix's own parser on a buffer: `nix-instantiate --parse -` reads the text from stdin, builds the
// syntax tree and evaluates nothing, so it is safe on any file, trusted or not, saved or not.
import * as path from 'node:path';
import { runProcess } from '../process';

export interface SyntaxCheckOptions {
  /** `nix-instantiate` (looked up on PATH) or a path to it; see `nixInstantiateBeside`. */
  nixInstantiate?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * Nix's stderr for `text` as if it had parsed the file `file` (its `«stdin»` locations renamed to
 * `file`), or null when the text parses. Only a syntax error fails `--parse`; anything else Nix says
 * (a missing binary, a bad configuration) rejects instead of being taken for one.
 */
export async function checkNixSyntax(
  text: string,
  file: string,
  opts: SyntaxCheckOptions = {},
): Promise<string | null> {
  const result = await runProcess(opts.nixInstantiate ?? 'nix-instantiate', ['--parse', '-'], {
    stdin: text,
    // Relative paths in the text (`./foo.nix`) are made absolute against the working directory.
    cwd: path.dirname(file),
    ...(opts.env && { env: opts.env }),
    ...(opts.signal && { signal: opts.signal }),
  });
  if (result.cancelled) throw new Error('cancelled');
  if (result.exitCode === 0) return null;
  const stderr = result.stderr;
  if (!/\bat «stdin»:\d+:\d+/.test(stderr)) {
    throw new Error(
      `nix-instantiate --parse failed without a location: ${stderr.trim().split('\n')[0] ?? ''}`,
    );
  }
  return stderr.replace(/«stdin»(?=:\d+:\d+)/g, file);
}

/**
 * The `nix-instantiate` that belongs to the configured `nix`: beside it when it is a path, else the
 * one on PATH.
 */
export function nixInstantiateBeside(nixBinary: string | undefined): string {
  return nixBinary !== undefined && path.isAbsolute(nixBinary)
    ? path.join(path.dirname(nixBinary), 'nix-instantiate')
    : 'nix-instantiate';
}
