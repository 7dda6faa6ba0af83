import * as assert from 'node:assert/strict';
import { locateDependency, locateKey, locateString, valueColumn } from '../../../../src/core/cargo/locate';

describe('core/cargo/locate', () => {
  const text = [
    '[package]',
    'name = "a"',
    'version = "1.0"',
    '',
    '[dependencies]',
    'serde = "1"',
    '',
    '[workspace]',
    'members = [',
    '  "crates/*",',
    ']',
  ].join('\n');

  it('finds a key inside its section', () => {
    assert.deepEqual(locateKey(text, 'package', 'version'), { line: 3, column: 1 });
    assert.deepEqual(valueColumn(text, locateKey(text, 'package', 'version')), { line: 3, column: 11 });
  });

  it('falls back to the section header, then to 1:1', () => {
    assert.deepEqual(locateKey(text, 'dependencies', 'missing'), { line: 5, column: 1 });
    assert.deepEqual(locateKey(text, 'nope', 'x'), { line: 1, column: 1 });
  });

  it('finds member patterns and dependencies', () => {
    assert.deepEqual(locateString(text, 'crates/*'), { line: 10, column: 3 });
    assert.equal(locateDependency(text, { name: 'serde', rename: null, kind: null, target: null }).line, 6);
  });
});
