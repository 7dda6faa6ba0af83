// The history "why does this rebuild?" compares with, over the recorded evaluation of the fixture
// flake (Nix 2.26) and edits of it.
import * as assert from 'node:assert/strict';
import {
  allItems,
  groupDerivations,
  historyKeys,
  parseFlakeDerivationsJson,
  rememberDerivations,
  seenDerivation,
  type DerivationHistory,
  type DerivationItem,
} from '../../../../src/core/derivations';
import { recorded } from '../nix/nixJson';

const FOLDER = '/work/ws';
const INPUTS = { nixpkgs: '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source' };
const groups = groupDerivations(parseFlakeDerivationsJson(recorded('2.26', 'flake-eval.json')), [
  { name: 'app' },
  { name: 'core-lib' },
  { name: 'web-ui', wasm: true },
]);
const items = allItems(groups);
const find = (crate: string, label: string): DerivationItem => {
  const item = groups.crates.find((g) => g.crate === crate)?.items.find((i) => i.label === label);
  assert.ok(item, `${crate} ${label}`);
  return item;
};
const edited = (item: DerivationItem, drvPath: string): DerivationItem[] =>
  items.map((i) => (i === item ? { ...i, drvPath } : i));

describe('core/derivations/history', () => {
  it("remembers an item's derivations under its attributes, dependency artifacts under their consumers' cargoArtifacts", () => {
    const app = find('app', 'package');
    assert.deepEqual(historyKeys(app), app.attributes);
    assert.ok(app.attributes.includes('packages.x86_64-linux.app'));
    const deps = find('app', 'dependencies');
    assert.deepEqual(deps.attributes, []);
    // Never the consumer's own attribute: that key holds the package's derivation.
    assert.deepEqual(
      historyKeys(deps),
      deps.artifactsOf.map((a) => `${a}.cargoArtifacts`),
    );
    assert.ok(historyKeys(deps).length > 0);
  });

  it('records every derivation seen first with no previous one, and the inputs by store path', () => {
    const history = rememberDerivations({}, FOLDER, items, INPUTS);
    const app = find('app', 'package');
    assert.deepEqual(seenDerivation(history, FOLDER, 'packages.x86_64-linux.app'), {
      current: app.drvPath,
      previous: null,
      inputs: { [INPUTS.nixpkgs]: 'nixpkgs' },
    });
    assert.equal(Object.keys(history).length, items.flatMap(historyKeys).length);
    assert.equal(seenDerivation(history, '/work/other', 'packages.x86_64-linux.app'), undefined);
  });

  it('returns the same record when nothing changed, so that nothing is written', () => {
    const history = rememberDerivations({}, FOLDER, items, INPUTS);
    assert.equal(rememberDerivations(history, FOLDER, items, INPUTS), history);
  });

  it('keeps the derivation before a change, merges the inputs seen, and leaves the old record and other keys alone', () => {
    const first = rememberDerivations({}, FOLDER, items, INPUTS);
    const frozen = structuredClone(first);
    const app = find('app', 'package');
    const changed = `${app.drvPath.slice(0, -4)}-edited.drv`;
    const inputs = { nixpkgs: '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-source' };
    const second = rememberDerivations(first, FOLDER, edited(app, changed), inputs);
    assert.deepEqual(first, frozen, 'the record given was changed');
    assert.deepEqual(seenDerivation(second, FOLDER, 'packages.x86_64-linux.app'), {
      current: changed,
      previous: app.drvPath,
      inputs: { [INPUTS.nixpkgs]: 'nixpkgs', [inputs.nixpkgs]: 'nixpkgs' },
    });
    const lib = find('core-lib', 'package');
    const libKey = historyKeys(lib)[0] ?? '';
    assert.equal(seenDerivation(second, FOLDER, libKey), seenDerivation(first, FOLDER, libKey));
  });

  it('keeps each folder apart', () => {
    const history: DerivationHistory = rememberDerivations({}, '/work/a', items, INPUTS);
    const both = rememberDerivations(history, '/work/b', items, {});
    const key = historyKeys(find('app', 'package'))[0] ?? '';
    assert.deepEqual(seenDerivation(both, '/work/a', key), seenDerivation(history, '/work/a', key));
    assert.deepEqual(seenDerivation(both, '/work/b', key)?.inputs, {});
  });
});
