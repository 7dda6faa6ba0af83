import { locateKey } from './locate';
import type { Problem } from './types';

/** An error about a whole file, where no line can be named (0:0 means "unknown"). */
export function fileProblem(file: string, message: string): Problem {
  return { file, line: 0, column: 0, message, severity: 'error' };
}

/** An error at `key` inside `[section]` of a manifest's text (or the section header, or 1:1). */
export function keyProblem(
  source: { manifestPath: string; text: string },
  section: string,
  key: string | undefined,
  message: string,
): Problem {
  return { file: source.manifestPath, ...locateKey(source.text, section, key), message, severity: 'error' };
}
