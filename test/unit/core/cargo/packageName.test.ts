import * as assert from 'node:assert/strict';
import { packageNameError } from '../../../../src/core/cargo/packageName';

describe('core/cargo/packageName', () => {
  it("refuses what cargo refuses, in cargo's words (as cargo metadata printed them here)", () => {
    assert.equal(
      packageNameError('{{project-name}}'),
      'invalid character `{` in package name: `{{project-name}}`, the first character must be a Unicode XID start character (most letters or `_`)',
    );
    assert.equal(
      packageNameError('1abc'),
      'invalid character `1` in package name: `1abc`, the name cannot start with a digit',
    );
    assert.equal(packageNameError(''), 'package name cannot be empty');
    assert.equal(
      packageNameError('a.b'),
      'invalid character `.` in package name: `a.b`, characters must be Unicode XID characters (numbers, `-`, `_`, or most letters)',
    );
    assert.equal(
      packageNameError('a b'),
      'invalid character ` ` in package name: `a b`, characters must be Unicode XID characters (numbers, `-`, `_`, or most letters)',
    );
  });

  it('accepts what cargo accepts', () => {
    for (const name of ['ab-c_d', '_x', 'é', 'x1', 'Foo'])
      assert.equal(packageNameError(name), undefined, name);
  });
});
