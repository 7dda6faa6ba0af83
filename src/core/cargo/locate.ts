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
