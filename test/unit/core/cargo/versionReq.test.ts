import * as assert from 'node:assert/strict';
import { describeSemverError, formatVersionReq, isSemver } from '../../../../src/core/cargo/versionReq';

describe('core/cargo/versionReq', () => {
  const cases: Array<[string, string]> = [
    ['1', '^1'],
    ['1.2', '^1.2'],
    ['=1.2.3', '=1.2.3'],
    ['~1.2', '~1.2'],
    ['>= 1, < 2', '>=1, <2'],
    ['1.*', '1.*'],
    ['1.2.x', '1.2.*'],
    ['*', '*'],
    ['^0.3', '^0.3'],
    ['1.0.0-alpha.1', '^1.0.0-alpha.1'],
  ];
  for (const [input, expected] of cases) {
    it(`formats ${JSON.stringify(input)} as ${JSON.stringify(expected)}`, () => {
      assert.equal(formatVersionReq(input), expected);
    });
  }

  it('rejects what the semver crate rejects', () => {
    assert.equal(formatVersionReq('1.x.y'), null);
    assert.equal(formatVersionReq('abc'), null);
  });

  it('checks package versions and words errors like the semver crate', () => {
    assert.ok(isSemver('0.1.0'));
    assert.ok(isSemver('1.0.0-rc.1+build.5'));
    assert.ok(!isSemver('1.0'));
    assert.equal(describeSemverError('1.0'), 'unexpected end of input while parsing minor version number');
    assert.equal(
      describeSemverError('v1.0.0'),
      "unexpected character 'v' while parsing major version number",
    );
    assert.equal(describeSemverError('01.0.0'), 'invalid leading zero in major version number');
  });
});
