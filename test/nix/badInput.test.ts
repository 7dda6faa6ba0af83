// Bad input that only the real Nix (2.8 and 2.26) can judge, through `nixify status`, `env` and
// `health` (docs/bad-input.md): a flake.nix that does not parse, and a Nix configuration with a
// broken line, an `include` of a missing file or a setting Nix does not know.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/run';
import { forEachNix, nixEnv } from './helpers/nix';
import { removeTempDirs, tempDir } from './helpers/paths';

const BROKEN_FLAKE = '{\n  outputs = _: { };\noops {\n';

forEachNix('bad input through status, env and health', (nix) => {
  let work: string;
  before(() => {
    work = tempDir('bad-input');
    fs.mkdirSync(path.join(work, 'broken'));
    fs.writeFileSync(path.join(work, 'broken', 'flake.nix'), BROKEN_FLAKE);
    fs.mkdirSync(path.join(work, 'plain'));
    fs.writeFileSync(path.join(work, 'plain', 'flake.nix'), '{ outputs = _: { }; }\n');
  });
  after(removeTempDirs);

  /**
   * One `nixify` run with this Nix first on PATH, `extra` appended to the offline NIX_CONFIG and
   * `more` added to its environment.
   */
  async function nixify(argv: string[], extra: string[] = [], more: NodeJS.ProcessEnv = {}) {
    let out = '';
    const base = nixEnv();
    const status = await runCli(
      [...argv, ...(argv[0] === 'env' ? ['--storage', path.join(work, 'storage')] : [])],
      {
        cwd: work,
        stdout: (text) => (out += text),
        stderr: (text) => (out += text),
        env: {
          ...base,
          NIX_CONFIG: [base['NIX_CONFIG'] ?? '', ...extra].join('\n'),
          PATH: `${nix.binDir}:${process.env['PATH'] ?? ''}`,
          ...more,
        },
      },
    );
    return { status, out };
  }

  it('flake.nix that does not parse: env and status name DIR/flake.nix:L:C, exit 1', async () => {
    const env = await nixify(['env', 'broken']);
    assert.equal(env.status, 1);
    assert.match(env.out, /^broken\/flake\.nix:3:6: error: syntax error, unexpected '\{'/m);
    const status = await nixify(['status', 'broken']);
    assert.equal(status.status, 1);
    assert.match(status.out, /evaluating the flake failed/);
    assert.match(status.out, /^broken\/flake\.nix:3:6: error: syntax error, unexpected '\{'/m);
    // Nixify's own 30-line expression is not part of the message.
    assert.doesNotMatch(status.out, /getFlake/);
  });

  it('flake.nix that does not parse: health names it at flake.nix:L:C as an error, exit 1', async () => {
    const health = await nixify(['health', 'broken']);
    assert.match(health.out, /^✓ flake\.nix \[broken\]: Present\./m);
    assert.match(
      health.out,
      /^✗ flake\.nix \[broken\]: flake\.nix:3:6: error: syntax error, unexpected '\{'.* — Nix cannot evaluate this flake/m,
    );
    assert.equal(health.status, 1);
  });

  for (const [what, line, said] of [
    [
      'a broken line',
      'substituters',
      /(illegal|syntax error in) configuration line 'substituters' in 'NIX_CONFIG'/,
    ],
    [
      'an include of a missing file',
      'include /nonexistent/nix.conf',
      /'\/nonexistent\/nix\.conf' included from 'NIX_CONFIG' not found/,
    ],
  ] as const) {
    it(`NIX_CONFIG with ${what}: Nix's own error from env, status and health (✗ Nix), exit 1`, async () => {
      for (const command of ['env', 'status', 'health']) {
        const run = await nixify([command, 'plain'], [line]);
        assert.equal(run.status, 1, `${command}: ${run.out}`);
        assert.match(run.out, said, command);
      }
      const health = (await nixify(['health', 'plain'], [line])).out;
      assert.match(health, /^✗ Nix: /m);
      assert.match(health, /refuses its configuration: fix or remove the line it names/);
      assert.doesNotMatch(health, /Install Nix/);
    });
  }

  it('NIX_CONFIG with a setting Nix does not know: Nix warns, env passes the warning on, status and health go on', async () => {
    const env = await nixify(['env', 'plain'], ['bogus-setting = 1']);
    assert.match(env.out, /warning: unknown setting 'bogus-setting'/);
    const status = await nixify(['status', 'plain'], ['bogus-setting = 1']);
    assert.equal(status.status, 0, status.out);
    const health = await nixify(['health', 'plain'], ['bogus-setting = 1']);
    assert.match(health.out, /^✓ Nix: /m);
  });

  it('nix.conf with an include of a missing file: Nix names both files; env and health exit 1', async () => {
    const conf = path.join(work, 'user-nix.conf');
    fs.writeFileSync(conf, 'include /nonexistent/extra.conf\n');
    const said = new RegExp(`'/nonexistent/extra\\.conf' included from '${conf}' not found`);
    for (const command of ['env', 'health']) {
      const run = await nixify([command, 'plain'], [], { NIX_USER_CONF_FILES: conf });
      assert.equal(run.status, 1, `${command}: ${run.out}`);
      assert.match(run.out, said, command);
    }
  });
});
