import * as assert from 'node:assert/strict';
import { parseToml } from '../../../../src/core/cargo/toml';

// Each case: a manifest, and what `cargo metadata` (toml_edit) said about it on this machine —
// its position and first line, so the Problems panel reads like `cargo build`.
const CASES: [text: string, line: number, column: number, cargo: string][] = [
  ['[package]\nname = "x"\nversion = "0.1.0\n', 3, 17, 'invalid basic string, expected `"`'],
  ['[package]\nname = "x"\n{% if a %}\n', 3, 1, 'invalid key-value pair, expected key'],
  ['[package]\nedition = "2021" {% if a %}\n', 2, 18, 'unexpected key or value, expected newline, `#`'],
  [
    '[dependencies]\nserde = { version = "1", {% if d %}features = ["derive"]{% endif %} }\n',
    2,
    26,
    'missing key for inline table element, expected key',
  ],
  ['[package]\nname = "x"\nname = "y"\n', 3, 1, 'duplicate key'],
  ['[package]\n[package]\n', 2, 2, 'duplicate key'],
  ['[package\nname = "x"\n', 1, 9, 'unclosed table, expected `]`'],
  ['[package]\nname = x\n', 2, 8, 'string values must be quoted, expected literal string'],
  ['[package]\nname = "x" version = "1"\n', 2, 12, 'unexpected key or value, expected newline, `#`'],
];

describe('core/cargo/tomlMessages', () => {
  for (const [text, line, column, cargo] of CASES) {
    it(`says "${cargo}" at ${line}:${column} for ${JSON.stringify(text.split('\n')[line - 1])}`, () => {
      const parsed = parseToml(text, 'Cargo.toml');
      assert.ok(!parsed.ok);
      assert.deepEqual(
        { line: parsed.problem.line, column: parsed.problem.column, message: parsed.problem.message },
        { line, column, message: `could not parse TOML: ${cargo}` },
      );
    });
  }

  it("keeps smol-toml's words where cargo's are not known", () => {
    const parsed = parseToml('a = 1__0\n', 'x.toml');
    assert.ok(!parsed.ok);
    assert.match(parsed.problem.message, /^could not parse TOML: \S/);
  });
});
