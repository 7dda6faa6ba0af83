// syntaxes/nix.tmLanguage.json (source.nix) and syntaxes/nix.language-configuration.json.
//
// Scope names the grammar uses (JSON has no comments, so they are listed here):
//   comments      comment.line.number-sign.nix, comment.block.nix, punctuation.definition.comment*.nix
//   strings       string.quoted.double.nix "…", string.quoted.other.nix ''…'', constant.character.escape.nix
//                 (\n, \$, ''$, ''', ''\n), punctuation.definition.string.{begin,end}.nix
//   ${…}          meta.embedded.interpolation.nix with punctuation.section.embedded.{begin,end}.nix;
//                 meta.embedded makes VS Code treat the inside as code (brackets, auto-closing)
//   literals      string.unquoted.path.nix (./a, ../a, /a, ~/a, a/b, <nixpkgs>), string.unquoted.url.nix,
//                 constant.numeric.nix, constant.language.boolean.nix, constant.language.null.nix
//   keywords      keyword.control.{let,in,with,assert}.nix, keyword.control.conditional.nix (if/then/else),
//                 keyword.other.{rec,inherit}.nix, keyword.operator.or.nix
//   operators     keyword.operator.{update,concat,implication,pipe,comparison,relational,logical,
//                 has-attr,arithmetic,bind,default,ellipsis}.nix
//   bindings      entity.other.attribute-name.nix (a.b.c =, "quoted" =, inherit names),
//                 punctuation.accessor.nix, punctuation.terminator.bind.nix
//   functions     variable.parameter.name.nix (x:, { a, b ? 1 }, args@), punctuation.separator.lambda.nix,
//                 punctuation.separator.at.nix
//   names         variable.other.nix, variable.other.member.nix (after a dot), variable.language.builtins.nix,
//                 support.function.builtin.nix (import, toString, builtins.*)
//   errors        invalid.illegal.* for a closing bracket or `;` with nothing open to end
//
// The grammar follows Nix's lexer where it differs from intuition: `x:x` is the URI "x:x" (a
// lambda needs `x: x`), and `a/b` is a path (division needs spaces).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IGrammar } from 'vscode-textmate';
import { detectWorkspaces } from '../../../src/core/cargo';
import { defaultOptions } from '../../../src/core/flake/options';
import { planInit } from '../../../src/core/flake/plan';
import type { InitOptions } from '../../../src/core/flake/types';
import { REPO_ROOT } from '../helpers/repo';
import { contributions, loadGrammar, tokenize, type Tokenized } from '../helpers/textmate';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/nix-grammar');

/** [line (substring or RegExp), text on that line, a scope every token of that text must carry] */
type Case = [line: string | RegExp, text: string, scope: string];

function assertScope(doc: Tokenized, [line, text, scope]: Case): void {
  const tokens = doc.tokensAt(line, text);
  assert.ok(tokens.length > 0, `no tokens for ${JSON.stringify(text)}`);
  for (const token of tokens) {
    assert.ok(
      token.scopes.includes(scope),
      `${JSON.stringify(text)} on ${String(line)}: token ${JSON.stringify(token.text)} has ${token.scopes.join(' ')}, not ${scope}`,
    );
  }
}

function assertNoScope(doc: Tokenized, [line, text, scope]: Case): void {
  for (const token of doc.tokensAt(line, text)) {
    assert.ok(
      !token.scopes.some((s) => s === scope || s.startsWith(`${scope}.`)),
      `${JSON.stringify(text)} on ${String(line)}: token ${JSON.stringify(token.text)} should not have ${scope} (${token.scopes.join(' ')})`,
    );
  }
}

/** `text` is exactly one token, so nothing splits it and nothing next to it joins it. */
function assertWholeToken(doc: Tokenized, [line, text, scope]: Case): void {
  const tokens = doc.tokensAt(line, text);
  assert.deepEqual(
    tokens.map((t) => t.text),
    [text],
  );
  assertScope(doc, [line, text, scope]);
}

let grammar: IGrammar;
before(async () => {
  grammar = await loadGrammar('source.nix');
});

function fixture(name: string): Tokenized {
  return tokenize(grammar, fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

describe('Nix grammar contribution', () => {
  it('contributes the nix language with its configuration and the source.nix grammar', () => {
    const { grammars, languages } = contributions();
    const nix = languages.find((l) => l.id === 'nix');
    assert.deepEqual(nix?.extensions, ['.nix']);
    assert.deepEqual(nix.aliases, ['Nix', 'nix']);
    assert.ok(nix.configuration !== undefined && fs.existsSync(path.join(REPO_ROOT, nix.configuration)));
    const contributed = grammars.find((g) => g.language === 'nix');
    assert.equal(contributed?.scopeName, 'source.nix');
    const raw = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, contributed.path), 'utf8')) as {
      scopeName: string;
    };
    assert.equal(raw.scopeName, 'source.nix');
  });
});

describe('Nix grammar: handwritten samples', () => {
  for (const name of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.nix'))) {
    it(`${name} ends with nothing left open and nothing marked invalid`, () => {
      const doc = fixture(name);
      assert.ok(doc.balanced, `rule stack depth ${doc.endState.depth} at the end of ${name}`);
      assert.deepEqual(doc.invalid(), []);
    });
  }

  describe('basics.nix: comments, literals, keywords, operators', () => {
    let doc: Tokenized;
    before(() => {
      doc = fixture('basics.nix');
    });
    const cases: Case[] = [
      ['# Numbers', '#', 'punctuation.definition.comment.nix'],
      ['# Numbers', 'Numbers, constants', 'comment.line.number-sign.nix'],
      ['/* A block comment', '/*', 'punctuation.definition.comment.begin.nix'],
      ['over three lines', 'over three lines', 'comment.block.nix'],
      ['over three lines', './not/a/path', 'comment.block.nix'],
      ['over three lines', '${no interpolation}', 'comment.block.nix'],
      [/^\*\/$/, '*/', 'punctuation.definition.comment.end.nix'],
      [/^let$/, 'let', 'keyword.control.let.nix'],
      [/^in$/, 'in', 'keyword.control.in.nix'],
      ['count = 42;', 'count', 'entity.other.attribute-name.nix'],
      ['count = 42;', '=', 'keyword.operator.bind.nix'],
      ['count = 42;', '42', 'constant.numeric.nix'],
      ['count = 42;', ';', 'punctuation.terminator.bind.nix'],
      ['ratio = ', '1.5e3', 'constant.numeric.nix'],
      ['half = ', '.5', 'constant.numeric.nix'],
      ['flags = ', 'true', 'constant.language.boolean.nix'],
      ['flags = ', 'false', 'constant.language.boolean.nix'],
      ['flags = ', 'null', 'constant.language.null.nix'],
      ['flags = ', '[', 'punctuation.section.brackets.begin.nix'],
      ['logic = ', '!', 'keyword.operator.logical.nix'],
      ['logic = ', '||', 'keyword.operator.logical.nix'],
      ['logic = ', '&&', 'keyword.operator.logical.nix'],
      ['logic = ', '->', 'keyword.operator.implication.nix'],
      ['compare = ', '==', 'keyword.operator.comparison.nix'],
      ['compare = ', '!=', 'keyword.operator.comparison.nix'],
      ['compare = ', '<=', 'keyword.operator.relational.nix'],
      ['compare = ', '(', 'punctuation.section.parens.begin.nix'],
      ['sums = ', '/', 'keyword.operator.arithmetic.nix'],
      ['sums = ', '-', 'keyword.operator.arithmetic.nix'],
      ['merged = ', '//', 'keyword.operator.update.nix'],
      ['lists = ', '++', 'keyword.operator.concat.nix'],
      ['has = ', '?', 'keyword.operator.has-attr.nix'],
      ['fallback = ', 'or', 'keyword.operator.or.nix'],
      ['fallback = ', 'missing', 'variable.other.member.nix'],
      ['conditional = ', 'if', 'keyword.control.conditional.nix'],
      ['conditional = ', 'then', 'keyword.control.conditional.nix'],
      ['conditional = ', 'else', 'keyword.control.conditional.nix'],
      ['checked = ', 'assert', 'keyword.control.assert.nix'],
      ['0; count', ';', 'punctuation.terminator.assert.nix'],
      ['scoped = ', 'with', 'keyword.control.with.nix'],
      ['selected = ', 'builtins', 'variable.language.builtins.nix'],
      ['selected = ', 'head', 'support.function.builtin.nix'],
      ['= import', 'import', 'support.function.builtin.nix'],
      ['selection = ', 'merged', 'variable.other.nix'],
      ['selection = ', '.', 'punctuation.accessor.nix'],
      ['selection = ', 'a', 'variable.other.member.nix'],
      [/^rec \{$/, 'rec', 'keyword.other.rec.nix'],
      ['inherit count', 'inherit', 'keyword.other.inherit.nix'],
      ['inherit count', 'count', 'entity.other.attribute-name.nix'],
    ];
    for (const c of cases) {
      it(`${JSON.stringify(c[1])} on ${String(c[0])} is ${c[2]}`, () => assertScope(doc, c));
    }

    const wholeTokens: Case[] = [
      ['relative = ', './foo', 'string.unquoted.path.nix'],
      ['parent = ', '../x/y.nix', 'string.unquoted.path.nix'],
      ['absolute = ', '/abs/path', 'string.unquoted.path.nix'],
      ['home = ', '~/p', 'string.unquoted.path.nix'],
      ['bare = ', 'a/b', 'string.unquoted.path.nix'],
      ['here = ', './.', 'string.unquoted.path.nix'],
      ['homepage = ', 'https://example.org/a?b=c', 'string.unquoted.url.nix'],
      ['flakeRef = ', 'github:owner/repo', 'string.unquoted.url.nix'],
      ["hyphen-name' = ", "hyphen-name'", 'entity.other.attribute-name.nix'],
    ];
    for (const c of wholeTokens) {
      it(`${JSON.stringify(c[1])} is one ${c[2]} token`, () => assertWholeToken(doc, c));
    }

    it('marks a search path <…> as a path, brackets included', () => {
      assertScope(doc, ['channel = ', '<nixpkgs>', 'string.unquoted.path.nix']);
      assertScope(doc, ['channel = ', '<', 'punctuation.definition.string.begin.nix']);
      assertScope(doc, ['channelLib = ', '<nixpkgs/lib>', 'string.unquoted.path.nix']);
    });

    it('continues a path through ${…} and after it', () => {
      assertScope(doc, ['withDir = ', './src/', 'string.unquoted.path.nix']);
      assertScope(doc, ['withDir = ', '${', 'punctuation.section.embedded.begin.nix']);
      assertScope(doc, ['withDir = ', '"name"', 'meta.embedded.interpolation.nix']);
      assertScope(doc, ['withDir = ', '"name"', 'string.quoted.double.nix']);
      assertScope(doc, ['withDir = ', '.rs', 'string.unquoted.path.nix']);
    });

    it('tells a.b (selection) from a/b (path) and a / b (division)', () => {
      assertNoScope(doc, ['selection = merged.a', 'merged.a', 'string.unquoted.path']);
      assertNoScope(doc, ['sums = ', '4 / (', 'string.unquoted.path']);
      assertScope(doc, ['bare = ', 'a/b', 'string.unquoted.path.nix']);
    });
  });

  describe('strings.nix: strings, escapes, interpolation', () => {
    let doc: Tokenized;
    before(() => {
      doc = fixture('strings.nix');
    });

    it('scopes double-quoted strings and their quotes', () => {
      assertScope(doc, ['plain = ', '"hello"', 'string.quoted.double.nix']);
      assertScope(doc, ['plain = ', '"', 'punctuation.definition.string.begin.nix']);
      assertScope(doc, ['hello";', '"', 'punctuation.definition.string.end.nix']);
    });

    it('scopes escapes, and keeps \\${ and $${ literal', () => {
      for (const escape of ['\\t', '\\"', '\\\\', '\\$']) {
        assertWholeToken(doc, ['escapes = ', escape, 'constant.character.escape.nix']);
      }
      assertNoScope(doc, ['escapes = ', '{not}', 'meta.embedded']);
      assertScope(doc, ['escapes = ', '{not}', 'string.quoted.double.nix']);
      assertNoScope(doc, ['escapes = ', '$${literal}', 'meta.embedded']);
      assertScope(doc, ['escapes = ', '$${literal}', 'string.quoted.double.nix']);
    });

    it('scopes ${…} as embedded code inside a string', () => {
      assertWholeToken(doc, ['interpolated = ', '${', 'punctuation.section.embedded.begin.nix']);
      assertScope(doc, ['interpolated = ', 'name', 'meta.embedded.interpolation.nix']);
      assertScope(doc, ['interpolated = ', 'name', 'variable.other.nix']);
      assertWholeToken(doc, ['interpolated = ', '}', 'punctuation.section.embedded.end.nix']);
      assertNoScope(doc, ['interpolated = ', '!', 'meta.embedded']);
      assertScope(doc, ['interpolated = ', '!', 'string.quoted.double.nix']);
    });

    it('nests interpolations and strings, a } inside an inner string closing nothing', () => {
      const inner = doc.scopesAt('nested = ', 'with } brace');
      assert.equal(inner.filter((s) => s === 'string.quoted.double.nix').length, 2, inner.join(' '));
      assert.equal(inner.filter((s) => s === 'meta.embedded.interpolation.nix').length, 1, inner.join(' '));
      const deepest = doc.scopesAt('nested = ', 'name}');
      assert.equal(
        deepest.filter((s) => s === 'meta.embedded.interpolation.nix').length,
        2,
        deepest.join(' '),
      );
      assertNoScope(doc, ['nested = ', ' done', 'meta.embedded']);
      assertScope(doc, ['nested = ', ' done', 'string.quoted.double.nix']);
      assertScope(doc, ['braces = ', '"}"', 'meta.embedded.interpolation.nix']);
      assertScope(doc, ['}.a}', '.', 'punctuation.accessor.nix']);
      assertScope(doc, ['.a}', 'a', 'variable.other.member.nix']);
    });

    it('keeps a double-quoted string open across lines', () => {
      assertScope(doc, ['    two ${name}', 'two', 'string.quoted.double.nix']);
      assertScope(doc, ['    two ${name}', 'name', 'meta.embedded.interpolation.nix']);
      assertScope(doc, ['  three";', 'three', 'string.quoted.double.nix']);
    });

    it("scopes indented strings with ''$, ''' and ''\\ escapes and interpolation", () => {
      assertWholeToken(doc, ["indented = ''", "''", 'punctuation.definition.string.begin.nix']);
      assertScope(doc, ['first line', 'first line', 'string.quoted.other.nix']);
      assertScope(doc, ['value: ${name}', 'name', 'meta.embedded.interpolation.nix']);
      assertScope(doc, ['value: ${name}', 'name', 'string.quoted.other.nix']);
      assertWholeToken(doc, ["not interpolated: ''${name}", "''$", 'constant.character.escape.nix']);
      assertNoScope(doc, ["not interpolated: ''${name}", '{name}', 'meta.embedded']);
      assertWholeToken(doc, ["quotes: '''", "'''", 'constant.character.escape.nix']);
      assertWholeToken(doc, ["and dollar ''$", "''$", 'constant.character.escape.nix']);
      assertWholeToken(doc, ["and escape ''\\n", "''\\n", 'constant.character.escape.nix']);
      assertNoScope(doc, ['literal $${name}', '{name}', 'meta.embedded']);
      assertScope(doc, ["a lone ' and", "'", 'string.quoted.other.nix']);
      assertWholeToken(doc, [/^ {2}'';$/, "''", 'punctuation.definition.string.end.nix']);
    });

    it('nests an indented string inside an indented string', () => {
      const inner = doc.scopesAt('nested: ${', 'y ');
      assert.equal(inner.filter((s) => s === 'string.quoted.other.nix').length, 2, inner.join(' '));
      assertScope(doc, ['nested: ${', '"x"', 'string.quoted.double.nix']);
      assertScope(doc, ['nested: ${', '+', 'keyword.operator.arithmetic.nix']);
    });

    it("closes one-line and empty indented strings, a lone ' inside staying text", () => {
      assertScope(doc, ['oneLine = ', 'line', 'string.quoted.other.nix']);
      assertWholeToken(doc, ["line'';", "''", 'punctuation.definition.string.end.nix']);
      assertScope(doc, ['apostrophe = ', "it's fine", 'string.quoted.other.nix']);
      const empty = doc.tokensAt('emptyIndented = ', "''''");
      assert.deepEqual(
        empty.map((t) => [t.text, t.scopes.at(-1)]),
        [
          ["''", 'punctuation.definition.string.begin.nix'],
          ["''", 'punctuation.definition.string.end.nix'],
        ],
      );
    });
  });

  describe('attrsets.nix: bindings, inherit, rec, let, with', () => {
    let doc: Tokenized;
    before(() => {
      doc = fixture('attrsets.nix');
    });
    const cases: Case[] = [
      ['# A comment inside an attribute set', 'A comment', 'comment.line.number-sign.nix'],
      ['a.b.c = 2;', 'a', 'entity.other.attribute-name.nix'],
      ['a.b.c = 2;', '.', 'punctuation.accessor.nix'],
      ['a.b.c = 2;', 'b', 'entity.other.attribute-name.nix'],
      ['a.b.c = 2;', 'c', 'entity.other.attribute-name.nix'],
      ['a.b.c = 2;', 'a block comment', 'comment.block.nix'],
      ['"quoted name" = 3;', '"quoted name"', 'entity.other.attribute-name.nix'],
      ['"quoted name" = 3;', '"quoted name"', 'string.quoted.double.nix'],
      ['"with ${"interp"}" = 4;', '"interp"', 'meta.embedded.interpolation.nix'],
      ['"with ${"interp"}" = 4;', '=', 'keyword.operator.bind.nix'],
      ['${"dynamic"} = 5;', '${', 'punctuation.section.embedded.begin.nix'],
      ['${"dynamic"} = 5;', '=', 'keyword.operator.bind.nix'],
      ['inner = { deeper', 'inner', 'entity.other.attribute-name.nix'],
      ['inner = { deeper', 'deeper', 'entity.other.attribute-name.nix'],
      ['inner = { deeper', '{', 'punctuation.section.braces.begin.nix'],
      ['inherit (builtins) head tail;', 'inherit', 'keyword.other.inherit.nix'],
      ['inherit (builtins) head tail;', 'builtins', 'variable.language.builtins.nix'],
      ['inherit (builtins) head tail;', 'head', 'entity.other.attribute-name.nix'],
      ['inherit (builtins) head tail;', 'tail', 'entity.other.attribute-name.nix'],
      ['inherit (builtins) head tail;', ';', 'punctuation.terminator.bind.nix'],
      ['}) x;', 'x', 'entity.other.attribute-name.nix'],
      ['= rec {', 'rec', 'keyword.other.rec.nix'],
      ['two = one + 1;', 'one', 'variable.other.nix'],
      ['{ name = "a"; }', 'name', 'entity.other.attribute-name.nix'],
      [/^ {4}let$/, 'let', 'keyword.control.let.nix'],
      ['value = 6;', 'value', 'entity.other.attribute-name.nix'],
      [/^ {4}in$/, 'in', 'keyword.control.in.nix'],
      ['value * 7;', 'value', 'variable.other.nix'],
      ['= with', 'with', 'keyword.control.with.nix'],
      ['}; v;', ';', 'punctuation.terminator.with.nix'],
      ['; v;', 'v', 'variable.other.nix'],
      ['dynamicSelect = ', '.', 'punctuation.accessor.nix'],
      ['dynamicSelect = ', '${"n"}', 'meta.embedded.interpolation.nix'],
      ['quotedSelect = ', '.', 'punctuation.accessor.nix'],
      ['selectPath = ', './basics.nix', 'string.unquoted.path.nix'],
      ['selectPath = ', 'total', 'variable.other.member.nix'],
      ['divided = 4 / 2;', '/', 'keyword.operator.arithmetic.nix'],
    ];
    for (const c of cases) {
      it(`${JSON.stringify(c[1])} on ${String(c[0])} is ${c[2]}`, () => assertScope(doc, c));
    }

    it('does not call a selected quoted name an attribute name being bound', () => {
      const tokens = doc.tokensAt('}."q r";', '"q r"');
      assert.ok(tokens.every((t) => t.scopes.includes('string.quoted.double.nix')));
      assert.ok(tokens.every((t) => !t.scopes.includes('entity.other.attribute-name.nix')));
    });
  });

  describe('lambdas.nix: parameters and patterns', () => {
    let doc: Tokenized;
    before(() => {
      doc = fixture('lambdas.nix');
    });
    const cases: Case[] = [
      ['simple = x: x + 1;', 'x', 'variable.parameter.name.nix'],
      ['simple = x: x + 1;', ':', 'punctuation.separator.lambda.nix'],
      ['x + 1;', 'x', 'variable.other.nix'],
      ['curried = a: b:', 'a', 'variable.parameter.name.nix'],
      ['curried = a: b:', 'b', 'variable.parameter.name.nix'],
      ['{ a, b ? 1, ... }', '{', 'punctuation.section.braces.begin.nix'],
      ['{ a, b ? 1, ... }', 'a', 'variable.parameter.name.nix'],
      ['{ a, b ? 1, ... }', ',', 'punctuation.separator.comma.nix'],
      ['{ a, b ? 1, ... }', 'b', 'variable.parameter.name.nix'],
      ['{ a, b ? 1, ... }', '?', 'keyword.operator.default.nix'],
      ['{ a, b ? 1, ... }', '1', 'constant.numeric.nix'],
      ['{ a, b ? 1, ... }', '...', 'keyword.operator.ellipsis.nix'],
      ['{ a, b ? 1, ... }', '}', 'punctuation.section.braces.end.nix'],
      ['... }: a + b;', ':', 'punctuation.separator.lambda.nix'],
      ['}@args: args;', '@', 'punctuation.separator.at.nix'],
      ['}@args: args;', 'args', 'variable.parameter.name.nix'],
      ['}@args: args;', ':', 'punctuation.separator.lambda.nix'],
      ['atBefore = args@{', 'args', 'variable.parameter.name.nix'],
      ['atBefore = args@{', '@', 'punctuation.separator.at.nix'],
      ['atBefore = args@{', 'c', 'entity.other.attribute-name.nix'],
      ['atBefore = args@{', 'b', 'variable.parameter.name.nix'],
      ['spaced = args @ { a }: a;', 'args', 'variable.parameter.name.nix'],
      ['spaced = args @ { a }: a;', '{', 'punctuation.section.braces.begin.nix'],
      ['{ a }: a;', 'a', 'variable.parameter.name.nix'],
      [/^ {6}self,$/, 'self', 'variable.parameter.name.nix'],
      ['nixpkgs ? <nixpkgs>,', 'nixpkgs', 'variable.parameter.name.nix'],
      ['nixpkgs ? <nixpkgs>,', '<nixpkgs>', 'string.unquoted.path.nix'],
      ['# a comment between parameters', 'a comment', 'comment.line.number-sign.nix'],
      ['extra ? [ "x" "y" ],', 'extra', 'variable.parameter.name.nix'],
      ['extra ? [ "x" "y" ],', '"x"', 'string.quoted.double.nix'],
      [/^ {4}\}:$/, ':', 'punctuation.separator.lambda.nix'],
      [/^ {4}self;$/, 'self', 'variable.other.nix'],
      ['empty = { }: 1;', ':', 'punctuation.separator.lambda.nix'],
      ['{ f ? x: x', 'f', 'variable.parameter.name.nix'],
      ['{ f ? x: x', 'x', 'variable.parameter.name.nix'],
      ['{ f ? x: x', 'g', 'variable.parameter.name.nix'],
      ['{ f ? x: x', 'y', 'variable.parameter.name.nix'],
    ];
    for (const c of cases) {
      it(`${JSON.stringify(c[1])} on ${String(c[0])} is ${c[2]}`, () => assertScope(doc, c));
    }

    it('reads x:x as a URI, as Nix does, and x: x as a lambda', () => {
      assertWholeToken(doc, ['uriNotLambda = x:x;', 'x:x', 'string.unquoted.url.nix']);
      assertNoScope(doc, ['simple = x: x + 1;', 'x: x', 'string.unquoted.url']);
    });
  });

  describe('edge cases outside the samples', () => {
    it('leaves an unterminated string, comment or interpolation open at the end', () => {
      for (const text of ['"open', '/* open', "''open ${x", '{ a = "${"; }', 'let a = 1;']) {
        assert.equal(tokenize(grammar, text).balanced, false, text);
      }
    });

    it('marks closing brackets and semicolons that close nothing as invalid', () => {
      assert.deepEqual(tokenize(grammar, '{ a = 1; } }').invalid(), ['1:"}" in "{ a = 1; } }"']);
      assert.deepEqual(tokenize(grammar, '[ 1 ) ]').invalid(), ['1:")" in "[ 1 ) ]"']);
      assert.deepEqual(tokenize(grammar, '(x; y)').invalid(), ['1:";" in "(x; y)"']);
    });

    it('ends a binding that lacks its semicolon at the closing brace', () => {
      const doc = tokenize(grammar, '{ a = 1 }\n');
      assert.ok(doc.balanced);
      assertScope(doc, ['{ a = 1 }', '}', 'punctuation.section.braces.end.nix']);
    });

    it('takes a binding whose = sits on the next line as a binding', () => {
      const doc = tokenize(grammar, 'let\n  a\n    = { b = 1; };\nin\na');
      assert.ok(doc.balanced);
      assert.deepEqual(doc.invalid(), []);
      assertScope(doc, ['= {', '=', 'keyword.operator.bind.nix']);
      assertScope(doc, ['= {', 'b', 'entity.other.attribute-name.nix']);
      assertScope(doc, [/^in$/, 'in', 'keyword.control.in.nix']);
    });

    it('does not take keywords out of longer identifiers', () => {
      const doc = tokenize(grammar, 'let in-x = 1; letter = in-x; in letter');
      assertScope(doc, ['let in-x', 'in-x', 'entity.other.attribute-name.nix']);
      assertScope(doc, ['letter = ', 'letter', 'entity.other.attribute-name.nix']);
      assertScope(doc, ['= in-x;', 'in-x', 'variable.other.nix']);
      assertScope(doc, ['; in letter', 'in', 'keyword.control.in.nix']);
    });

    it('treats ${…} contents as code for VS Code (brackets pair, quotes auto-close)', () => {
      // Bits 8–9 of a token's metadata are its standard type: 0 other, 1 comment, 2 string.
      const line = '"a ${f { } "b"} c"';
      const result = grammar.tokenizeLine2(line, null);
      const typeAt = (offset: number): number => {
        let type = -1;
        for (let i = 0; i < result.tokens.length; i += 2) {
          if ((result.tokens[i] ?? Infinity) <= offset) type = ((result.tokens[i + 1] ?? 0) >>> 8) & 3;
        }
        return type;
      };
      assert.equal(typeAt(line.indexOf('a ')), 2);
      assert.equal(typeAt(line.indexOf('f {')), 0);
      assert.equal(typeAt(line.indexOf('{ }')), 0);
      assert.equal(typeAt(line.indexOf('b"')), 2);
      assert.equal(typeAt(line.indexOf(' c')), 2);
    });
  });
});

describe('Nix grammar: files Nixify generates', () => {
  // Every toolchain and dependency layout, with and without the optional parts, for a workspace
  // with a wasm crate (examples/) and for a virtual manifest and a single crate.
  const variants: [string, Partial<InitOptions>][] = [];
  for (const toolchain of ['rust-overlay', 'fenix', 'nixpkgs'] as const) {
    for (const deps of ['workspace', 'per-crate'] as const) {
      variants.push([`examples ${toolchain} ${deps}`, { toolchain, deps, wasm: toolchain !== 'nixpkgs' }]);
      variants.push([
        `examples ${toolchain} ${deps} oci cachix nextest`,
        {
          toolchain,
          deps,
          wasm: toolchain !== 'nixpkgs',
          oci: true,
          cachix: 'nixify-example',
          cachixPublicKey: null,
          nextest: true,
        },
      ]);
    }
  }
  const roots: [string, string][] = [
    ['examples', path.join(REPO_ROOT, 'examples')],
    ['virtual-manifest', path.join(REPO_ROOT, 'test/fixtures/virtual-manifest')],
    ['no-version-no-edition', path.join(REPO_ROOT, 'test/fixtures/no-version-no-edition')],
  ];

  /** Distinct .nix files across all variants, keyed by a label naming the first variant. */
  function generated(): Map<string, string> {
    const files = new Map<string, string>();
    const seen = new Set<string>();
    for (const [rootName, root] of roots) {
      const ws = detectWorkspaces(root, {}).workspaces[0];
      assert.ok(ws, `no workspace in ${root}`);
      const chosen: [string, Partial<InitOptions>][] =
        rootName === 'examples'
          ? variants
          : [
              [`${rootName} defaults`, {}],
              [
                `${rootName} fenix per-crate oci cachix`,
                { toolchain: 'fenix', deps: 'per-crate', oci: true, cachix: 'x' },
              ],
              [`${rootName} nixpkgs nextest`, { toolchain: 'nixpkgs', nextest: true }],
            ];
      for (const [label, overrides] of chosen) {
        const options = { ...defaultOptions(ws), ...overrides };
        const plan = planInit(ws, options, '0.0.0-test', () => null);
        for (const file of plan.files.filter((f) => f.path.endsWith('.nix'))) {
          if (seen.has(file.content)) continue;
          seen.add(file.content);
          files.set(`${label}: ${file.path}`, file.content);
        }
      }
    }
    return files;
  }

  const files = generated();

  it('generates flake.nix, nix/workspace.nix, nix/wasm.nix and nix/wasm-bindgen-cli.nix to check', () => {
    const kinds = new Set([...files.keys()].map((k) => k.slice(k.indexOf(': ') + 2)));
    assert.deepEqual([...kinds].sort(), [
      'flake.nix',
      'nix/wasm-bindgen-cli.nix',
      'nix/wasm-pkg.nix',
      'nix/wasm.nix',
      'nix/workspace.nix',
    ]);
    assert.ok(files.size >= 10, `only ${files.size} distinct files`);
  });

  for (const [label, content] of files) {
    it(`${label} ends with nothing left open and nothing marked invalid`, () => {
      const doc = tokenize(grammar, content);
      assert.ok(doc.balanced, `rule stack depth ${doc.endState.depth} at the end`);
      assert.deepEqual(doc.invalid(), []);
    });
  }

  it('scopes the known parts of a generated flake.nix', () => {
    const [, flake] = [...files].find(([label]) => label.endsWith(': flake.nix')) ?? [];
    assert.ok(flake);
    const doc = tokenize(grammar, flake);
    assertScope(doc, ['# Generated by Nixify', 'Generated', 'comment.line.number-sign.nix']);
    assertScope(doc, ['description = ', 'description', 'entity.other.attribute-name.nix']);
    assertScope(doc, [/^ {2}inputs = \{$/, 'inputs', 'entity.other.attribute-name.nix']);
    assertScope(doc, ['crane.url = ', 'crane', 'entity.other.attribute-name.nix']);
    assertScope(doc, ['crane.url = ', 'url', 'entity.other.attribute-name.nix']);
    assertScope(doc, ['crane.url = ', '"github:ipetkov/crane"', 'string.quoted.double.nix']);
    assertNoScope(doc, ['crane.url = ', 'github:ipetkov/crane', 'string.unquoted.url']);
    assertScope(doc, [/^ {2}outputs =$/, 'outputs', 'entity.other.attribute-name.nix']);
    assertScope(doc, [/^ {6}self,$/, 'self', 'variable.parameter.name.nix']);
    assertScope(doc, [/^ {6}nixpkgs,$/, 'nixpkgs', 'variable.parameter.name.nix']);
    assertScope(doc, [/^ {4}let$/, 'let', 'keyword.control.let.nix']);
    assertScope(doc, [/^ {4}in$/, 'in', 'keyword.control.in.nix']);
    assertScope(doc, [/^ {8}system:$/, 'system', 'variable.parameter.name.nix']);
    assertScope(doc, ['overlays = [ (import rust-overlay) ];', 'import', 'support.function.builtin.nix']);
    assertWholeToken(doc, ['overlays = [ (import rust-overlay) ];', 'rust-overlay', 'variable.other.nix']);
    assertScope(doc, ['(_: crate: crate.hasBin)', '_', 'variable.parameter.name.nix']);
    assertScope(doc, ['(_: crate: crate.hasBin)', 'crate', 'variable.parameter.name.nix']);
    assertScope(doc, ['inherit (pkgs) lib;', 'lib', 'entity.other.attribute-name.nix']);
    assertScope(doc, [
      'workspace = import ./nix/workspace.nix',
      './nix/workspace.nix',
      'string.unquoted.path.nix',
    ]);
    assertScope(doc, ['root = ./.;', './.', 'string.unquoted.path.nix']);
    assertScope(doc, ['pname = "${pname}-wasm";', '-wasm', 'string.quoted.double.nix']);
    assertScope(doc, ['"workspace-${name}"', 'name', 'meta.embedded.interpolation.nix']);
    assertScope(doc, ['if wasmCrates ? ${name} then', '?', 'keyword.operator.has-attr.nix']);
    // The build command is an indented string: Nix's interpolation inside, the shell's $(…) not.
    assertScope(doc, ['${base.cargoExtraArgs}', 'base', 'meta.embedded.interpolation.nix']);
    assertScope(doc, ['${base.cargoExtraArgs}', 'cargoExtraArgs', 'variable.other.member.nix']);
    assertNoScope(doc, ['"$(realpath ${lib.escapeShellArg', '$(realpath', 'meta.embedded.interpolation.nix']);
    assertScope(doc, [
      '"$(realpath ${lib.escapeShellArg',
      'escapeShellArg',
      'meta.embedded.interpolation.nix',
    ]);
    assertScope(doc, [
      'toolchain.file = ./rust-toolchain.toml;',
      './rust-toolchain.toml',
      'string.unquoted.path.nix',
    ]);
  });

  it('scopes the per-crate parts of a generated flake.nix', () => {
    const flake = files.get('examples rust-overlay per-crate: flake.nix');
    assert.ok(flake, [...files.keys()].join('\n'));
    const doc = tokenize(grammar, flake);
    assertScope(doc, ['"--locked -p ${crate.name}"', 'crate', 'meta.embedded.interpolation.nix']);
    assertScope(doc, ['"--locked -p ${crate.name}"', 'name', 'variable.other.member.nix']);
    assertScope(doc, ['isWasm = wasmCrates ? ${crate.name};', '?', 'keyword.operator.has-attr.nix']);
  });

  it('scopes the known parts of nix/workspace.nix', () => {
    const [, workspaceNix] = [...files].find(([label]) => label.endsWith(': nix/workspace.nix')) ?? [];
    assert.ok(workspaceNix);
    const doc = tokenize(grammar, workspaceNix);
    assertScope(doc, [/^ {2}root,$/, 'root', 'variable.parameter.name.nix']);
    assertScope(doc, ['sharedPaths ? [ ],', 'sharedPaths', 'variable.parameter.name.nix']);
    assertScope(doc, ['sharedPaths ? [ ],', '?', 'keyword.operator.default.nix']);
    assertScope(doc, ['runCommandLocal ? null,', 'null', 'constant.language.null.nix']);
    assertScope(doc, [/^\}:$/, ':', 'punctuation.separator.lambda.nix']);
    assertScope(doc, [/^let$/, 'let', 'keyword.control.let.nix']);
    assertScope(doc, ['inherit (builtins)', 'builtins', 'variable.language.builtins.nix']);
    assertScope(doc, [/^ {4}foldl'$/, "foldl'", 'entity.other.attribute-name.nix']);
    assertScope(doc, ['join = dir: rel:', 'dir', 'variable.parameter.name.nix']);
    assertScope(doc, ['join = dir: rel:', '"/"', 'string.quoted.double.nix']);
  });
});

describe('Nix language configuration', () => {
  interface LanguageConfiguration {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: [string, string][];
    autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
    surroundingPairs: [string, string][];
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  }
  const config = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'syntaxes/nix.language-configuration.json'), 'utf8'),
  ) as LanguageConfiguration;

  it('comments with # and /* */ and pairs the three bracket kinds', () => {
    assert.deepEqual(config.comments, { lineComment: '#', blockComment: ['/*', '*/'] });
    assert.deepEqual(config.brackets, [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ]);
    assert.deepEqual(config.surroundingPairs.at(-1), ['"', '"']);
  });

  it('auto-closes quotes only outside strings and comments', () => {
    const quote = config.autoClosingPairs.find((p) => p.open === '"');
    assert.deepEqual(quote?.notIn, ['string', 'comment']);
    const indented = config.autoClosingPairs.find((p) => p.open === "''");
    assert.equal(indented?.close, "''");
  });

  it('indents after an opening bracket, let, a trailing = or an open indented string', () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    for (const line of [
      '{',
      '  inputs = {',
      'x = [',
      'f (',
      'let',
      '  outputs =',
      "  script = ''",
      'if a then',
      'x = { # c',
    ]) {
      assert.ok(increase.test(line), line);
    }
    for (const line of ['{ a = 1; }', 'a = 1;', '# let', 'x = "{"', 'a == b', 'letter', "x = '';"]) {
      assert.ok(!increase.test(line), line);
    }
  });

  it('outdents closing brackets, in, else and a closing indented string', () => {
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    for (const line of ['}', '  };', ']', ')', 'in', '  in', 'else', "  '';"]) {
      assert.ok(decrease.test(line), line);
    }
    for (const line of ['inputs', 'x = }', "  ''", 'elsewhere']) {
      assert.ok(!decrease.test(line), line);
    }
  });

  it("takes identifiers with - and ' as one word, but not an indented string's quotes", () => {
    const word = new RegExp(config.wordPattern, 'g');
    assert.deepEqual("pkg-config foldl' x".match(word), ['pkg-config', "foldl'", 'x']);
    assert.deepEqual("''text''".match(word), ['text']);
    assert.deepEqual('1.5 42'.match(word), ['1.5', '42']);
  });
});
