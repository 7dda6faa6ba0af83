import * as assert from 'node:assert/strict';
import {
  describeCause,
  explainRebuild,
  tidyCauses,
  type RebuildCause,
} from '../../../../src/core/derivations/whyRebuild';
import { parseDerivationsJson, type Derivation } from '../../../../src/core/nix/derivationShow';
import { rebuildPair } from '../nix/nixJson';

/** The recorded closures of packages.app before and after one edit (test/fixtures/nix-json/rebuild). */
function recordedPair(name: string) {
  const pair = rebuildPair(name);
  const before = parseDerivationsJson(JSON.stringify(pair.before));
  const after = parseDerivationsJson(JSON.stringify(pair.after));
  const root = (drvs: Map<string, Derivation>) =>
    [...drvs.values()].find((d) => d.env['pname'] === 'app')?.path ?? '';
  return { before, after, from: root(before), to: root(after) };
}

function explain(name: string) {
  const { before, after, from, to } = recordedPair(name);
  return explainRebuild(before, after, from, to, { crates: ['app', 'core-lib', 'web-ui'] });
}

const strip = (causes: RebuildCause[]) =>
  causes.map((c) => (c.kind === 'crate-source' ? { ...c, from: '', to: '' } : c));

const S = '/nix/store';
/** A hand-made derivation; `hash` is one nix32 letter repeated, so equal names can differ by hash. */
function derivation(name: string, hash: string, fields: Partial<Derivation> = {}): Derivation {
  const path = `${S}/${hash.repeat(32)}-${name}.drv`;
  return {
    path,
    name,
    outputs: { out: `${S}/o-${name}` },
    inputDrvs: {},
    inputSrcs: [],
    env: {},
    builder: '/bin/sh',
    args: [],
    system: 'x86_64-linux',
    ...fields,
  };
}
const map = (...drvs: Derivation[]) => new Map(drvs.map((d) => [d.path, d]));

describe('core/derivations/whyRebuild', () => {
  it("names the source of the crate whose derivation's src changed", () => {
    for (const edit of ['core-lib-source', 'app-source']) {
      const result = explain(edit);
      assert.equal(result.unchanged, false);
      assert.deepEqual(strip(result.causes), [
        {
          kind: 'crate-source',
          crate: 'app',
          from: '',
          to: '',
          changedCrates: null,
          files: null,
          via: ['app-0.1.0'],
        },
      ]);
      const cause = result.causes[0];
      assert.ok(cause?.kind === 'crate-source');
      assert.match(cause.from, /-source$/);
      assert.notEqual(cause.from, cause.to);
    }
  });

  it('says Cargo.lock when the vendored dependencies changed (the dummy source is then no news)', () => {
    const causes = explain('cargo-lock').causes;
    assert.deepEqual(causes.map((c) => c.kind).sort(), ['cargo-lock', 'crate-source']);
    assert.deepEqual(causes.map(describeCause).sort(), [
      'Cargo.lock changed (through vendor-cargo-deps)',
      'the source of crate app changed',
    ]);
  });

  it('says the toolchain, from which version to which, without walking into it', () => {
    const causes = explain('toolchain').causes;
    assert.deepEqual(causes, [
      { kind: 'toolchain', from: 'rust-default-1.80.0', to: 'rust-default-1.81.0', via: ['app-0.1.0'] },
    ]);
    assert.equal(
      describeCause(causes[0] as RebuildCause),
      'the toolchain changed: rust-default-1.80.0 → rust-default-1.81.0',
    );
  });

  it('names an environment variable that was added', () => {
    assert.deepEqual(explain('env').causes.map(describeCause), ['environment variable RUSTFLAGS added']);
  });

  it('says nothing changed for the same derivation', () => {
    const { before, from } = recordedPair('env');
    assert.deepEqual(explainRebuild(before, before, from, from), { unchanged: true, causes: [] });
  });

  it('names a flake input by its source path, and does not take a crate named rust-… for a toolchain', () => {
    const oldInput = `${S}/11111111111111111111111111111111-source`;
    const newInput = `${S}/22222222222222222222222222222222-source`;
    const stdenvOld = derivation('stdenv-linux', 'a', { inputSrcs: [oldInput] });
    const stdenvNew = derivation('stdenv-linux', 'b', { inputSrcs: [newInput], env: { x: '1' } });
    // A crate whose name looks like a toolchain's: walked into, not reported as "the toolchain".
    const toolsOld = derivation('rust-tools-0.1.0', 'c', { env: { v: '1' } });
    const toolsNew = derivation('rust-tools-0.1.0', 'd', { env: { v: '2' } });
    const inputs = (...ds: Derivation[]) => Object.fromEntries(ds.map((d) => [d.path, ['out']]));
    const rootOld = derivation('app-0.1.0', 'f', { inputDrvs: inputs(stdenvOld, toolsOld) });
    const rootNew = derivation('app-0.1.0', 'g', { inputDrvs: inputs(stdenvNew, toolsNew) });
    const result = explainRebuild(
      map(rootOld, stdenvOld, toolsOld),
      map(rootNew, stdenvNew, toolsNew),
      rootOld.path,
      rootNew.path,
      { crates: ['rust-tools'], flakeInputs: { [oldInput]: 'nixpkgs', [newInput]: 'nixpkgs' } },
    );
    assert.deepEqual(result.causes.map(describeCause).sort(), [
      'environment variable v changed (through rust-tools-0.1.0)',
      'environment variable x added (through stdenv-linux)',
      'the flake input nixpkgs changed',
    ]);
  });

  it('reports added and removed dependencies, build script changes, and missing derivations', () => {
    const dep = derivation('openssl-3.0', 'h');
    const before = derivation('app-0.1.0', 'i', { args: ['-c', 'make'] });
    const after = derivation('app-0.1.1', 'j', {
      args: ['-c', 'make install'],
      inputDrvs: { [dep.path]: ['out'] },
    });
    const result = explainRebuild(map(before), map(after), before.path, after.path);
    assert.deepEqual(result.causes.map(describeCause).sort(), [
      'dependency openssl-3.0 added',
      'the build script changed',
    ]);
    const gone = explainRebuild(new Map(), new Map(), before.path, after.path);
    assert.deepEqual(gone.causes.map(describeCause), ['dependency app-0.1.1 changed']);
  });

  it('tidies causes: one per subject, the shortest way, no dummy source beside Cargo.lock', () => {
    const causes: RebuildCause[] = [
      { kind: 'env', name: 'X', change: 'changed', via: ['a', 'b', 'c'] },
      { kind: 'env', name: 'X', change: 'changed', via: ['a'] },
      { kind: 'cargo-manifests', via: ['a'] },
      { kind: 'cargo-lock', via: ['a', 'v'] },
    ];
    assert.deepEqual(tidyCauses(causes), [
      { kind: 'env', name: 'X', change: 'changed', via: ['a'] },
      { kind: 'cargo-lock', via: ['a', 'v'] },
    ]);
  });
});
