// The history as read back from the workspace state, which an older Nixify or a hand edit may have
// left in any shape: what fits is kept, the rest is named and left out, nothing throws.
import * as assert from 'node:assert/strict';
import { readDerivationHistory, type SeenDerivation } from '../../../../src/core/derivations';

const DRV = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-app-0.1.0.drv';
const OLD = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-app-0.1.0.drv';
const good: SeenDerivation = {
  current: DRV,
  previous: OLD,
  inputs: { '/nix/store/cccccccccccccccccccccccccccccccc-source': 'nixpkgs' },
};

describe('core/derivations/history: reading the stored history', () => {
  it('keeps a history of the right shape as it is, and nothing stored is an empty history', () => {
    const stored = { '/ws#packages.x86_64-linux.app': good, '/ws#b': { ...good, previous: null } };
    assert.deepEqual(readDerivationHistory(stored), { history: stored, dropped: [] });
    assert.deepEqual(readDerivationHistory(undefined), { history: {}, dropped: [] });
  });

  it('drops a whole value that is no object: null, a string, a number, an array', () => {
    for (const [value, reason] of [
      [null, 'null'],
      ['/ws#app', '"/ws#app"'],
      [42, 'a number'],
      [[good, good], 'an array of 2'],
    ] as const) {
      const { history, dropped } = readDerivationHistory(value);
      assert.deepEqual(history, {});
      assert.deepEqual(dropped, [`the whole history: ${reason}, not an object`]);
    }
  });

  it('drops each entry that does not fit and keeps the others', () => {
    const { history, dropped } = readDerivationHistory({
      '/ws#kept': good,
      // What a version that stored only the derivation path would have left.
      '/ws#older': DRV,
      '/ws#null': null,
      '/ws#array': [{ current: DRV }],
      '/ws#no-inputs': { current: DRV, previous: null },
      '/ws#not-a-drv': { ...good, current: 'app' },
      '/ws#bad-previous': { ...good, previous: 7 },
      '/ws#bad-inputs': { ...good, inputs: { '/nix/store/x-source': 1 } },
    });
    assert.deepEqual(history, { '/ws#kept': good });
    assert.deepEqual(dropped, [
      `/ws#older: "${DRV.slice(0, 40)}…", not an object`,
      '/ws#null: null, not an object',
      '/ws#array: an array of 1, not an object',
      '/ws#no-inputs: inputs is missing, not a map of store paths to input names',
      '/ws#not-a-drv: current is "app", not a .drv path',
      '/ws#bad-previous: previous is a number, not a .drv path or null',
      '/ws#bad-inputs: inputs is an object, not a map of store paths to input names',
    ]);
  });

  it('reads a huge history (there is no cap) in well under a second', () => {
    const stored: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) stored[`/ws#attr${i}`] = i % 2 === 0 ? good : 'garbage';
    const started = Date.now();
    const { history, dropped } = readDerivationHistory(stored);
    assert.equal(Object.keys(history).length, 50_000);
    assert.equal(dropped.length, 50_000);
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
    const array = readDerivationHistory(new Array(100_000).fill(good));
    assert.deepEqual(array.dropped, ['the whole history: an array of 100000, not an object']);
  });
});
