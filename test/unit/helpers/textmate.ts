// Tokenizes text with the extension's TextMate grammars the way VS Code does: vscode-textmate
// over the Oniguruma build VS Code ships, so grammar tests see the scopes an editor would show.
// Grammars are found through package.json's `contributes.grammars`, so a test also fails when
// the contribution points at the wrong file or scope.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';
import { REPO_ROOT } from './repo';

export interface GrammarContribution {
  language?: string;
  scopeName: string;
  path: string;
}

export interface LanguageContribution {
  id: string;
  aliases?: string[];
  extensions?: string[];
  configuration?: string;
}

export function contributions(): { grammars: GrammarContribution[]; languages: LanguageContribution[] } {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { grammars?: GrammarContribution[]; languages?: LanguageContribution[] };
  };
  return { grammars: manifest.contributes.grammars ?? [], languages: manifest.contributes.languages ?? [] };
}

let onigLoaded: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  // vscode-oniguruma keeps one wasm instance per process; loading it twice is an error.
  onigLoaded ??= oniguruma.loadWASM(
    fs.readFileSync(path.join(REPO_ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm')),
  );
  return onigLoaded;
}

export async function loadGrammar(scopeName: string): Promise<IGrammar> {
  const registry = new Registry({
    onigLib: loadOniguruma().then(() => ({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    })),
    loadGrammar: async (wanted: string) => {
      const contribution = contributions().grammars.find((g) => g.scopeName === wanted);
      if (contribution === undefined) return null;
      const file = path.join(REPO_ROOT, contribution.path);
      return parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar(scopeName);
  if (grammar === null) throw new Error(`package.json contributes no grammar for ${scopeName}`);
  return grammar;
}

export interface Token {
  text: string;
  /** Outermost first; the first is the grammar's own scope name. */
  scopes: string[];
  line: number;
  start: number;
  end: number;
}

export class Tokenized {
  constructor(
    readonly lines: readonly string[],
    readonly tokens: readonly (readonly Token[])[],
    /** The rule stack after the last line. */
    readonly endState: StateStack,
  ) {}

  /** Nothing (string, comment, interpolation, brace…) is still open after the last line. */
  get balanced(): boolean {
    return this.endState.depth === INITIAL.depth;
  }

  /** Every token with an `invalid.*` scope, as `line:text` for readable failures. */
  invalid(): string[] {
    return this.tokens
      .flat()
      .filter((t) => t.scopes.some((s) => s.startsWith('invalid')))
      .map((t) => `${t.line + 1}:${JSON.stringify(t.text)} in ${JSON.stringify(this.lines[t.line])}`);
  }

  /**
   * The tokens covering the first `text` at or after the start of `line` on the first line that
   * contains `line` (or matches it, for a RegExp). Throws when there is no such text.
   */
  tokensAt(line: string | RegExp, text: string): Token[] {
    const index = this.lines.findIndex((l) => (typeof line === 'string' ? l.includes(line) : line.test(l)));
    const content = this.lines[index];
    if (content === undefined) throw new Error(`no line ${String(line)}`);
    const from = typeof line === 'string' ? content.indexOf(line) : 0;
    const start = content.indexOf(text, from);
    if (start < 0) throw new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(content)}`);
    const end = start + text.length;
    return (this.tokens[index] ?? []).filter((t) => t.start < end && t.end > start);
  }

  /** The scope stack of the token where `text` begins (see tokensAt). */
  scopesAt(line: string | RegExp, text: string): string[] {
    return this.tokensAt(line, text)[0]?.scopes ?? [];
  }
}

export function tokenize(grammar: IGrammar, text: string): Tokenized {
  const lines = text.split(/\r?\n/);
  const tokens: Token[][] = [];
  let state: StateStack = INITIAL;
  lines.forEach((content, line) => {
    const result = grammar.tokenizeLine(content, state);
    state = result.ruleStack;
    tokens.push(
      result.tokens.map((t) => ({
        text: content.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
        line,
        start: t.startIndex,
        end: t.endIndex,
      })),
    );
  });
  return new Tokenized(lines, tokens, state);
}
