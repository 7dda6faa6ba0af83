import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBuildEnvironment } from '../../../../src/core/devenv/buildEnvironment';
import { renderRcScript, shellQuote } from '../../../../src/core/devenv/rcScript';

const RECORDED = path.resolve(__dirname, '../../../../../test/fixtures/devenv/recorded');

/** Runs `script` in bash without rc files and returns what it prints. */
function bash(script: string, env: Record<string, string> = {}): string {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe('core/devenv/rcScript', () => {
  it('quotes so that bash reads every byte back', () => {
    const tricky = `it's "quoted" $HOME \`id\` \\ \n\t!*?[a] ;|&`;
    assert.equal(bash(`printf %s ${shellQuote(tricky)}`), tricky);
  });

  it('renders variables, arrays, associative arrays and functions in the layout of Nix 2.26', () => {
    const env = parseBuildEnvironment(
      JSON.stringify({
        bashFunctions: { greet: '\n    echo "hi $1"\n' },
        variables: {
          EXPORTED: { type: 'exported', value: "a 'b'" },
          PATH: { type: 'exported', value: '/nix/store/tool/bin:/path-not-set' },
          PLAIN: { type: 'var', value: 'p' },
          LIST: { type: 'array', value: ['x y', 'z'] },
          MAP: { type: 'associative', value: { 'k k': 'v' } },
          HOME: { type: 'exported', value: '/homeless-shelter' },
          'not-a-name': { type: 'exported', value: 'skipped' },
          outputs: { type: 'exported', value: 'out' },
          out: { type: 'exported', value: '/nix/store/aaaa-env' },
          shellHook: { type: 'exported', value: 'echo "$EXPORTED ${LIST[0]} ${MAP[k k]} $out" ; greet you' },
        },
      }),
    );
    const script = renderRcScript(env, { folder: '/proj', buildTop: '/tmp/build top' });
    assert.ok(script.startsWith('unset shellHook\nPATH=${PATH:-}\nnix_saved_PATH="$PATH"\n'));
    assert.ok(script.includes(`EXPORTED='a '\\''b'\\'''\nexport EXPORTED\n`));
    assert.ok(script.includes(`PLAIN='p'\n`) && !script.includes('export PLAIN'));
    assert.ok(script.includes(`declare -a LIST=('x y' 'z' )\n`));
    assert.ok(script.includes(`declare -A MAP=(['k k']='v' )\n`));
    assert.ok(!script.includes('homeless-shelter'), 'variables nix ignores are not rendered');
    assert.ok(!script.includes('not-a-name'));
    assert.ok(script.includes(`out='/proj/outputs/out'`), 'output paths point into the folder');
    assert.ok(script.endsWith(`export TEMPDIR="$NIX_BUILD_TOP"\neval "\${shellHook:-}"\n`));
    const printed = bash(`source /dev/stdin <<'__RC__'\n${script}__RC__\necho "TMP=$TMPDIR PATH=$PATH"`, {
      PATH: '/usr/bin:/bin',
    });
    assert.equal(
      printed,
      "a 'b' x y v /proj/outputs/out\nhi you\nTMP=/tmp/build top PATH=/nix/store/tool/bin:/usr/bin:/bin\n",
    );
  });

  for (const version of ['2.8', '2.26']) {
    it(`renders the recorded Nix ${version} shell into a script bash runs, hook included`, () => {
      const env = parseBuildEnvironment(
        fs.readFileSync(path.join(RECORDED, `rust-project.default.nix-${version}.json`), 'utf8'),
      );
      const script = renderRcScript(env, { folder: '/proj', buildTop: '/tmp' });
      // The hook calls the fixture tool, which exists only once built: give it a stand-in.
      const stub = 'devenv-fixture-tool() { echo stub; }\n';
      const printed = bash(
        `${stub}source /dev/stdin <<'__RC__'\n${script}__RC__\necho "$GREETED|$HOOK_VAR|\${UNSET_ME-unset}"`,
        {
          UNSET_ME: 'x',
        },
      );
      assert.ok(printed.endsWith('hello, shellHook|set by the shellHook|unset\n'), printed);
    });
  }
});
