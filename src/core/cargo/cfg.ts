// `[target.'cfg(…)'.dependencies]` keys, printed the way cargo-platform's Display prints them, so that
// `target` fields compare equal with `cargo metadata` (`cfg(any(unix,windows))` → `cfg(any(unix, windows))`).

type CfgExpr =
  | { kind: 'name'; name: string }
  | { kind: 'pair'; key: string; value: string }
  | { kind: 'call'; op: string; args: CfgExpr[] };

/** A `cfg(…)` key normalised, a target triple as it is, or null when the cfg does not parse. */
export function formatPlatform(key: string): string | null {
  const trimmed = key.trim();
  if (!trimmed.startsWith('cfg(')) return trimmed;
  if (!trimmed.endsWith(')')) return null;
  const parser = new CfgParser(trimmed.slice(4, -1));
  const expr = parser.expression();
  if (!expr || !parser.atEnd()) return null;
  return `cfg(${print(expr)})`;
}

function print(expr: CfgExpr): string {
  switch (expr.kind) {
    case 'name':
      return expr.name;
    case 'pair':
      return `${expr.key} = "${expr.value}"`;
    case 'call':
      return `${expr.op}(${expr.args.map(print).join(', ')})`;
  }
}

class CfgParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    this.skipSpace();
    return this.pos === this.text.length;
  }

  expression(): CfgExpr | null {
    const ident = this.identifier();
    if (!ident) return null;
    if (this.eat('(')) {
      const args: CfgExpr[] = [];
      while (!this.eat(')')) {
        const arg = this.expression();
        if (!arg) return null;
        args.push(arg);
        if (!this.eat(',') && !this.peek(')')) return null;
      }
      return { kind: 'call', op: ident, args };
    }
    if (this.eat('=')) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') return null;
      const end = this.text.indexOf('"', this.pos + 1);
      if (end < 0) return null;
      const value = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { kind: 'pair', key: ident, value };
    }
    return { kind: 'name', name: ident };
  }

  private identifier(): string | null {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!match) return null;
    this.pos += match[0].length;
    return match[0];
  }

  private eat(token: string): boolean {
    if (!this.peek(token)) return false;
    this.pos += token.length;
    return true;
  }

  private peek(token: string): boolean {
    this.skipSpace();
    return this.text.startsWith(token, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }
}
