import * as assert from 'node:assert/strict';
import { manifestPathOf } from '../../../src/commands/manifestArgument';

describe('manifestPathOf', () => {
  it('takes the manifest of a crate or workspace node', () => {
    assert.equal(manifestPathOf({ kind: 'crate', manifestPath: '/w/a/Cargo.toml' }), '/w/a/Cargo.toml');
  });

  it('takes a path', () => {
    assert.equal(manifestPathOf('/w/a/Cargo.toml'), '/w/a/Cargo.toml');
  });

  it('takes a file Uri', () => {
    assert.equal(
      manifestPathOf({ scheme: 'file', fsPath: '/w/a/Cargo.toml', path: '/w/a/Cargo.toml' }),
      '/w/a/Cargo.toml',
    );
  });

  it('refuses anything else', () => {
    for (const argument of [
      undefined,
      null,
      '',
      42,
      {},
      { manifestPath: 3 },
      { scheme: 'untitled', fsPath: 'x' },
    ]) {
      assert.equal(manifestPathOf(argument), undefined, JSON.stringify(argument));
    }
  });
});
