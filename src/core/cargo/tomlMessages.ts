// smol-toml and cargo's parser (toml_edit) stop at the same line and column for the common syntax
// errors but word them differently. Users search the web for cargo's words, and the Problems panel
// should read like `cargo build`, so the common cases are translated; the rest keep smol-toml's words.

/** cargo's wording of a smol-toml error at 1-based `line`:`column` of `text`. */
export function cargoTomlMessage(message: string, text: string, line: number, column: number): string {
  const lineText = text.split('\n')[line - 1] ?? '';
  const before = lineText.slice(0, column - 1);
  const at = lineText[column - 1];
  switch (message) {
    case 'each key-value declaration must be followed by an end-of-line':
      return 'unexpected key or value, expected newline, `#`';
    case 'trying to redefine an already defined table or value':
    case 'trying to redefine an already defined value':
      return 'duplicate key';
    case 'illegal character in key':
    case 'illegal empty bare key':
    case 'incomplete key-value: cannot find end of key':
      if (/^\s*\[/.test(before) && !before.includes(']')) return 'unclosed table, expected `]`';
      if (unclosed(before, '{', '}')) return 'missing key for inline table element, expected key';
      return 'invalid key-value pair, expected key';
    case 'control characters are not allowed in strings':
      if (at !== undefined && at !== '\r') return message;
      return before.lastIndexOf("'") > before.lastIndexOf('"')
        ? "invalid literal string, expected `'`"
        : 'invalid basic string, expected `"`';
    case 'invalid value':
      return at !== undefined &&
        /[A-Za-z_]/.test(at) &&
        !/^(true|false|inf|nan)\b/.test(lineText.slice(column - 1))
        ? 'string values must be quoted, expected literal string'
        : message;
    default:
      return message;
  }
}

function unclosed(text: string, open: string, close: string): boolean {
  return text.split(open).length > text.split(close).length;
}
