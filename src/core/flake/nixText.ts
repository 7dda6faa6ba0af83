// Small pieces of Nix syntax for the renderers, laid out the way nixfmt prints them.

/** A Nix string literal. */
export function nixString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${')}"`;
}

/** `[ ]`, `[ a ]`, or one item per line as nixfmt breaks lists with more than one item. */
export function nixList(items: readonly string[]): string {
  if (items.length === 0) return '[ ]';
  if (items.length === 1) return `[ ${items[0] ?? ''} ]`;
  return `[\n${items.map((i) => `  ${i}`).join('\n')}\n]`;
}

/** Indents every non-empty line after the first by `spaces`; the first line too when `all`. */
export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}
