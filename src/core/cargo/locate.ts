// smol-toml returns values without positions; semantic problems (a bad version, an unknown
// inherited key) still deserve a line number, so we find the key in the text ourselves.

export interface Position {
  line: number;
  column: number;
}

/**
 * The position of `key` inside the `[section]` table of a TOML text (also as `section.key = …`
 * at the top or as a dotted key), or of the section header when the key is not found, or 1:1.
 */
export function locateKey(text: string, section: string, key?: string): Position {
  const lines = text.split('\n');
  let current = '';
  let header: Position | undefined;
  const keyPattern = key ? new RegExp(`^\\s*["']?${escape(key)}["']?\\s*[.=]`) : undefined;
  const dottedPattern = key
    ? new RegExp(`^\\s*${escape(section)}\\.["']?${escape(key)}["']?\\s*[.=]`)
    : undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const sectionMatch = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (sectionMatch) {
      current = (sectionMatch[1] ?? '').replace(/\s*\.\s*/g, '.').replace(/["']/g, '');
      if (current === section && !header) header = { line: i + 1, column: line.indexOf('[') + 1 };
      continue;
    }
    if (current === section && keyPattern?.test(line)) return { line: i + 1, column: firstNonSpace(line) };
    if (current === '' && dottedPattern?.test(line)) return { line: i + 1, column: firstNonSpace(line) };
  }
  return header ?? { line: 1, column: 1 };
}

function firstNonSpace(line: string): number {
  return line.search(/\S/) + 1;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where the value of `key = value` starts, given the key's position (cargo points at the value). */
export function valueColumn(text: string, at: Position): Position {
  const line = text.split('\n')[at.line - 1] ?? '';
  const equals = line.indexOf('=', at.column - 1);
  if (equals < 0) return at;
  const rest = line.slice(equals + 1);
  return { line: at.line, column: equals + 2 + (rest.length - rest.trimStart().length) };
}

/** The first line holding `"literal"` or `'literal'` (a member pattern inside a multi-line array). */
export function locateString(text: string, literal: string): Position | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    for (const quote of ['"', "'"]) {
      const index = line.indexOf(`${quote}${literal}${quote}`);
      if (index >= 0) return { line: i + 1, column: index + 1 };
    }
  }
  return undefined;
}

/** The line declaring a dependency: in its own table when we can name it, else the first line with its key. */
export function locateDependency(
  text: string,
  dep: { name: string; rename: string | null; kind: string | null; target: string | null },
): Position {
  const key = dep.rename ?? dep.name;
  const table = dep.kind === null ? 'dependencies' : `${dep.kind}-dependencies`;
  if (dep.target === null) {
    const found = locateKey(text, table, key);
    if (found.line > 1 || new RegExp(`^\\s*${escape(key)}\\s*[.=]`).test(text.split('\n')[0] ?? ''))
      return found;
  }
  const index = text
    .split('\n')
    .findIndex((line) => new RegExp(`^\\s*["']?${escape(key)}["']?\\s*[.=]`).test(line));
  return index >= 0 ? { line: index + 1, column: 1 } : { line: 1, column: 1 };
}
