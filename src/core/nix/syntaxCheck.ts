// Nix's own parser on a buffer: `nix-instantiate --parse -` reads the text from stdin, builds the
// syntax tree and evaluates nothing, so it is safe on any file, trusted or not, saved or not.
import * as path from 'node:path';
import { runProcess } from '../process';
import { nixTool, processOptions, type NixRunOptions } from './invoke';

/** `nix-instantiate` is the one beside `nix` (see nixTool), else the one on PATH. */
export type SyntaxCheckOptions = Pick<NixRunOptions, 'nix' | 'env' | 'replaceEnv' | 'signal'>;

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
  const result = await runProcess(nixTool('nix-instantiate', opts), ['--parse', '-'], {
    ...processOptions(opts),
    stdin: text,
    // Relative paths in the text (`./foo.nix`) are made absolute against the working directory.
    cwd: path.dirname(file),
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
