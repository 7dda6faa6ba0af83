import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_DEPTH, MAX_MAX_DEPTH, MIN_MAX_DEPTH, toDetectOptions } from '../../src/detectOptions';
import { readPackageJson } from './helpers/packageJson';

describe('toDetectOptions', () => {
  it('passes well-formed settings through', () => {
    assert.deepEqual(toDetectOptions({ ignoredDirectories: ['vendor', 'third_party'], maxDepth: 3 }), {
      ignoredDirectories: ['vendor', 'third_party'],
      maxDepth: 3,
    });
  });

  it('drops names that are not non-empty strings', () => {
    assert.deepEqual(
      toDetectOptions({ ignoredDirectories: ['ok', 3, '', null], maxDepth: 8 }).ignoredDirectories,
      ['ok'],
    );
    assert.deepEqual(toDetectOptions({ ignoredDirectories: 'vendor', maxDepth: 8 }).ignoredDirectories, []);
  });

  it('clamps the depth into range and falls back to the default for non-integers', () => {
    assert.equal(toDetectOptions({ ignoredDirectories: [], maxDepth: 0 }).maxDepth, MIN_MAX_DEPTH);
    assert.equal(toDetectOptions({ ignoredDirectories: [], maxDepth: 1000 }).maxDepth, MAX_MAX_DEPTH);
    assert.equal(toDetectOptions({ ignoredDirectories: [], maxDepth: 2.5 }).maxDepth, DEFAULT_MAX_DEPTH);
    assert.equal(toDetectOptions({ ignoredDirectories: [], maxDepth: '4' }).maxDepth, DEFAULT_MAX_DEPTH);
    assert.equal(
      toDetectOptions({ ignoredDirectories: [], maxDepth: undefined }).maxDepth,
      DEFAULT_MAX_DEPTH,
    );
  });

  it('agrees with the bounds and default of nixify.detect.maxDepth in package.json', () => {
    const setting = readPackageJson().contributes.configuration.properties['nixify.detect.maxDepth'];
    assert.deepEqual(
      { min: setting?.minimum, max: setting?.maximum, default: setting?.default },
      { min: MIN_MAX_DEPTH, max: MAX_MAX_DEPTH, default: DEFAULT_MAX_DEPTH },
    );
  });
});
