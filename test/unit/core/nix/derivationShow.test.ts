import * as assert from 'node:assert/strict';
import {
  DerivationJsonError,
  derivationName,
  parseDerivationsJson,
} from '../../../../src/core/nix/derivationShow';
import { DIALECTS, recorded } from './nixJson';

describe('core/nix/derivationShow', () => {
  for (const dialect of DIALECTS) {
    it(`reads a derivation closure (Nix ${dialect}: ${dialect === '2.8' ? 'show-derivation' : 'derivation show'} --recursive)`, () => {
      const drvs = parseDerivationsJson(recorded(dialect, 'derivation-recursive.json'));
      const app = [...drvs.values()].find((d) => d.name === 'app-0.1.0');
      assert.ok(app);
      assert.deepEqual(Object.keys(app.outputs), ['out']);
      assert.equal(app.env['pname'], 'app');
      assert.equal(app.builder, '/bin/sh');
      assert.equal(app.system, 'x86_64-linux');
      assert.deepEqual(Object.keys(app.inputDrvs).map(derivationName).sort(), [
        'app-deps-0.1.0',
        'rust-default-1.80.0',
        'vendor-cargo-deps',
      ]);
      for (const used of Object.values(app.inputDrvs)) assert.deepEqual(used, ['out']);
      assert.deepEqual(app.inputSrcs.map(derivationName), ['source']);
      // --recursive: every input derivation is there too.
      for (const input of Object.keys(app.inputDrvs)) assert.ok(drvs.has(input), input);
    });

    it(`reads every output of a two-output derivation (Nix ${dialect})`, () => {
      const [doc] = parseDerivationsJson(recorded(dialect, 'derivation-two-outputs.json')).values();
      assert.deepEqual(Object.keys(doc?.outputs ?? {}).sort(), ['html', 'out']);
      assert.equal(doc?.env['html'], doc?.outputs['html']);
    });
  }

  it('gives the same derivations for both dialects', () => {
    for (const file of ['derivation-recursive.json', 'derivation-two-outputs.json']) {
      assert.deepEqual(
        parseDerivationsJson(recorded('2.26', file)),
        parseDerivationsJson(recorded('2.8', file)),
        file,
      );
    }
  });

  it('places store-relative keys (newer Nix) in the store directory', () => {
    const drvs = parseDerivationsJson(
      JSON.stringify({
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x.drv': {
          outputs: { out: { path: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-x' } },
          inputSrcs: ['cccccccccccccccccccccccccccccccc-source'],
          inputDrvs: { 'dddddddddddddddddddddddddddddddd-y.drv': { outputs: ['out'], dynamicOutputs: {} } },
          env: {},
        },
      }),
    );
    const x = drvs.get('/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x.drv');
    assert.equal(x?.outputs['out'], '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-x');
    assert.deepEqual(x?.inputSrcs, ['/nix/store/cccccccccccccccccccccccccccccccc-source']);
    assert.deepEqual(x?.inputDrvs, { '/nix/store/dddddddddddddddddddddddddddddddd-y.drv': ['out'] });
  });

  it('refuses output that is not derivation JSON', () => {
    assert.throws(() => parseDerivationsJson('nope'), DerivationJsonError);
    assert.throws(() => parseDerivationsJson('{"/nix/store/x.drv": 3}'), /is not an object/);
  });
});
