import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  deltaFromBuildEnvironment,
  outputNamesOf,
  parseBuildEnvironment,
  type BuildEnvironment,
} from '../../../../src/core/devenv/buildEnvironment';

// Compiled to out/test/unit/core/devenv/, five levels below the repository root.
const RECORDED = path.resolve(__dirname, '../../../../../test/fixtures/devenv/recorded');
const FOLDER = '/work/project';
const STORE_PATH = /^\/nix\/store\/[0-9a-z]{32}-devenv-fixture-tool\/(bin|share)$/;

function recorded(name: string): BuildEnvironment {
  return parseBuildEnvironment(fs.readFileSync(path.join(RECORDED, name), 'utf8'));
}

/** What every fixture shell passes on besides its own variables (nix develop gives them too). */
const NIX_PASSED_ON = [
  'IN_NIX_SHELL',
  'NIX_BUILD_CORES',
  'NIX_STORE',
  'dontAddDisableDepTrack',
  'name',
  'outputs',
  'system',
];
const SANDBOX_LEFTOVERS = [
  'HOME',
  'TMP',
  'TMPDIR',
  'TEMP',
  'TEMPDIR',
  'NIX_BUILD_TOP',
  'NIX_LOG_FD',
  'TERM',
  'out',
  'builder',
  'SHELL',
  'OLDPWD',
  'shellHook',
];

describe('core/devenv/buildEnvironment', () => {
  for (const version of ['2.8', '2.26']) {
    describe(`recorded from Nix ${version}`, () => {
      it('parses the default shell: typed variables and the function BASH_ENV defined', () => {
        const env = recorded(`rust-project.default.nix-${version}.json`);
        assert.deepEqual(env.variables['GREETING'], { type: 'exported', value: 'hello from the dev shell' });
        assert.equal(env.variables['BASH']?.type, 'var');
        assert.deepEqual(Object.keys(env.bashFunctions), ['greet']);
        assert.match(env.bashFunctions['greet'] ?? '', /echo "hello, \$1"/);
        assert.deepEqual([...outputNamesOf(env)], ['out']);
      });

      it('turns the default shell into set + prepend without sandbox leftovers or bash variables', () => {
        const delta = deltaFromBuildEnvironment(recorded(`rust-project.default.nix-${version}.json`), FOLDER);
        assert.deepEqual(
          Object.keys(delta.set).sort(),
          ['DROPPED_BY_HOOK', 'GREETING', 'HOOK_OVERRIDES', 'TRICKY_VALUE', ...NIX_PASSED_ON].sort(),
        );
        assert.equal(delta.set['TRICKY_VALUE'], 'line one\nit\'s "quoted" $NOT_EXPANDED `not run`');
        assert.equal(delta.set['HOOK_OVERRIDES'], 'set by the derivation', 'the hook has not run yet');
        assert.deepEqual(Object.keys(delta.prepend), ['PATH', 'XDG_DATA_DIRS']);
        assert.match(delta.prepend['PATH'] ?? '', STORE_PATH);
        assert.match(delta.prepend['XDG_DATA_DIRS'] ?? '', STORE_PATH);
        assert.deepEqual(delta.unset, []);
        for (const name of [...SANDBOX_LEFTOVERS, 'BASH', 'IFS', 'LINENO', 'PS4', 'HOSTTYPE']) {
          assert.ok(!(name in delta.set) && !(name in delta.prepend), `${name} must be dropped`);
        }
      });

      it('parses shell.nix output the same way', () => {
        const delta = deltaFromBuildEnvironment(recorded(`shell-nix.nix-${version}.json`), FOLDER);
        assert.equal(delta.set['FROM_SHELL_NIX'], 'set by shell.nix');
        assert.equal(
          delta.set['name'],
          version === '2.8' ? 'devenv-fixture-shell-nix' : 'devenv-fixture-shell-nix-env',
        );
        assert.deepEqual(delta.prepend, {}, 'a shell without PATH adds no PATH entries');
      });
    });
  }

  it('parses arrays and associative arrays (Nix 2.26, __structuredAttrs) and leaves them out of the delta', () => {
    const env = recorded('structured.default.nix-2.26.json');
    assert.deepEqual(env.variables['A_LIST'], { type: 'array', value: ['one item', 'two'] });
    assert.deepEqual(env.variables['A_SET'], {
      type: 'associative',
      value: { key: 'value', 'spaced key': 'spaced value' },
    });
    assert.deepEqual([...outputNamesOf(env)], ['out'], 'outputs is an associative array here');
    const delta = deltaFromBuildEnvironment(env, FOLDER);
    assert.ok(!('A_LIST' in delta.set) && !('A_SET' in delta.set));
    assert.ok(!('NIX_ATTRS_JSON_FILE' in delta.set) && !('NIX_ATTRS_SH_FILE' in delta.set));
  });

  it('rewrites output paths to <folder>/outputs/<name>, as nix develop does, and drops the output variables', () => {
    const env = parseBuildEnvironment(
      JSON.stringify({
        bashFunctions: {},
        variables: {
          outputs: { type: 'exported', value: 'out dev' },
          out: { type: 'exported', value: '/nix/store/aaaa-x-env' },
          dev: { type: 'exported', value: '/nix/store/bbbb-x-env-dev' },
          LIB_DIR: { type: 'exported', value: '/nix/store/aaaa-x-env/lib' },
        },
      }),
    );
    const delta = deltaFromBuildEnvironment(env, FOLDER);
    assert.deepEqual(delta.set, { LIB_DIR: '/work/project/outputs/out/lib', outputs: 'out dev' });
  });

  it('leaves out variables of unknown types and refuses output that is not print-dev-env JSON', () => {
    const env = parseBuildEnvironment(
      '{"variables":{"A":{"type":"exported","value":"a"},"B":{"type":"future","value":1},"C":{"type":"array","value":[1]}}}',
    );
    assert.deepEqual(Object.keys(env.variables), ['A']);
    assert.deepEqual(env.bashFunctions, {});
    assert.throws(() => parseBuildEnvironment('building…'), /invalid JSON/);
    assert.throws(() => parseBuildEnvironment('[]'), /without a "variables" object/);
  });

  it('keeps an empty PATH out of prepend', () => {
    const env = parseBuildEnvironment('{"variables":{"PATH":{"type":"exported","value":""}}}');
    assert.deepEqual(deltaFromBuildEnvironment(env, FOLDER), { set: {}, prepend: {}, unset: [] });
  });
});
