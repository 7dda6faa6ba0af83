import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { packageId } from '../../../../src/core/cargo/package';

describe('core/cargo/package packageId', () => {
  it('names the package in the fragment only when the directory name differs, like cargo', () => {
    assert.equal(packageId('/ws/crates/foo', 'foo', '0.1.0'), 'path+file:///ws/crates/foo#0.1.0');
    assert.equal(packageId('/ws/crates/foo', 'foo-bar', '0.1.0'), 'path+file:///ws/crates/foo#foo-bar@0.1.0');
  });

  it('percent-encodes the directory exactly as a file URL does', () => {
    for (const dir of ['/plain/dir_1.2-x', '/with space/a', '/hash#dir/b', '/per%cent/c', '/ümlaut/d']) {
      assert.equal(packageId(dir, 'x', '1.0.0'), `path+${pathToFileURL(dir).href}#x@1.0.0`);
    }
  });
});
