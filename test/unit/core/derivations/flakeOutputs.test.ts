import * as assert from 'node:assert/strict';
import {
  flakeDerivationsExpression,
  FlakeEvalError,
  flakeRefOf,
  parseFlakeDerivationsJson,
} from '../../../../src/core/derivations/flakeOutputs';
import { DIALECTS, recorded } from '../nix/nixJson';

describe('core/derivations/flakeOutputs', () => {
  for (const dialect of DIALECTS) {
    it(`reads the evaluation of the fixture flake (Nix ${dialect})`, () => {
      const flake = parseFlakeDerivationsJson(recorded(dialect, 'flake-eval.json'));
      assert.equal(flake.system, 'x86_64-linux');
      assert.deepEqual(
        flake.attributes.map((a) => `${a.section}.${a.name}`),
        [
          'packages.app',
          'packages.app-image',
          'packages.default',
          'packages.wasm-bindgen-cli',
          'packages.web-ui',
          'checks.app',
          'checks.core-lib',
          'checks.web-ui',
          'checks.workspace-clippy',
          'checks.workspace-doc',
          'checks.workspace-fmt',
          'checks.workspace-test',
          'devShells.default',
        ],
      );
      const app = flake.attributes.find((a) => a.section === 'packages' && a.name === 'app');
      assert.match(app?.derivation?.drvPath ?? '', /-app-0\.1\.0\.drv$/);
      assert.deepEqual(Object.keys(app?.derivation?.outputs ?? {}), ['out']);
      assert.equal(app?.cargoArtifacts?.name, 'app-deps-0.1.0');
      const doc = flake.attributes.find((a) => a.name === 'workspace-doc');
      assert.deepEqual(Object.keys(doc?.derivation?.outputs ?? {}).sort(), ['html', 'out']);
      assert.equal(flake.attributes.find((a) => a.name === 'workspace-fmt')?.cargoArtifacts, null);
      assert.deepEqual(flake.cache, {
        substituters: ['https://fixture-cache.invalid'],
        trustedPublicKeys: ['fixture-cache.invalid-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='],
      });
      assert.deepEqual(flake.inputs, {});
    });
  }

  it('keeps an attribute that failed to evaluate, skips values that are not derivations', () => {
    const flake = parseFlakeDerivationsJson(
      JSON.stringify({
        system: 'aarch64-darwin',
        packages: { broken: { error: true }, lib: null },
        checks: {},
        devShells: {},
        nixConfig: { substituters: 'https://a https://b', 'extra-trusted-public-keys': ['k:1'] },
        inputs: { nixpkgs: '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source', weird: null },
      }),
    );
    assert.deepEqual(flake.attributes, [
      { section: 'packages', name: 'broken', derivation: null, cargoArtifacts: null },
    ]);
    assert.deepEqual(flake.cache, { substituters: ['https://a', 'https://b'], trustedPublicKeys: ['k:1'] });
    assert.deepEqual(flake.inputs, { nixpkgs: '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source' });
  });

  it('refuses an evaluation result of the wrong shape', () => {
    assert.throws(() => parseFlakeDerivationsJson('{}'), FlakeEvalError);
    assert.throws(
      () => parseFlakeDerivationsJson('{"system":"x","packages":{"a":{"name":"a"}}}'),
      /without drv/,
    );
  });

  it('refers to the flake as the nix command line does: through git inside a work tree, else as a path', () => {
    const repos = new Set(['/repo']);
    const isGitRoot = (dir: string) => repos.has(dir);
    assert.equal(flakeRefOf('/repo', isGitRoot), 'git+file:///repo');
    assert.equal(flakeRefOf('/repo/sub/ws', isGitRoot), 'git+file:///repo?dir=sub%2Fws');
    assert.equal(flakeRefOf('/elsewhere/a b', isGitRoot), 'path:/elsewhere/a%20b');
  });

  it('quotes the reference and system as Nix strings and defaults to the current system', () => {
    const expression = flakeDerivationsExpression('/nonexistent/a "b" ${c}', null);
    assert.ok(
      expression.includes('builtins.getFlake "path:/nonexistent/a%20%22b%22%20$%7Bc%7D"'),
      expression,
    );
    assert.ok(expression.includes('"/nonexistent/a \\"b\\" \\${c}/flake.nix"'), expression);
    assert.ok(expression.includes('system = builtins.currentSystem;'));
    assert.ok(flakeDerivationsExpression('/w', 'aarch64-linux').includes('system = "aarch64-linux";'));
    assert.ok(!/accept-flake-config/.test(expression));
  });
});
