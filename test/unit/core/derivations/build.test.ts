// `nix build` of derivations, on the recorded internal-json stderr of Nix 2.8 and 2.26
// (test/fixtures/nix-json/build-progress-*.txt: two builds, lib then app, one path substituted).
import * as assert from 'node:assert/strict';
import { buildDerivations, lastBuildError } from '../../../../src/core/derivations';
import { DIALECTS } from '../nix/nixJson';
import { recordedNix } from './recordedNix';

const APP_DRV: Record<(typeof DIALECTS)[number], string> = {
  '2.8': '/nix/store/1yb0rpfiz5qd78g4a945zb8fcwnms1mc-app.drv',
  '2.26': '/nix/store/wmav0n23i6n0cbsy76dba5892sh4rfna-app.drv',
};

const failureLine = (text: string) => `@nix ${JSON.stringify({ action: 'msg', level: 0, msg: text })}`;

for (const version of DIALECTS) {
  describe(`buildDerivations (recorded Nix ${version})`, () => {
    const drv = APP_DRV[version];

    it('runs one `nix build --no-link -L --log-format internal-json` of every output, and says what it built', async () => {
      const nix = recordedNix(version);
      const abort = new AbortController();
      let signal: AbortSignal | undefined;
      const result = await buildDerivations([drv], {
        nix: nix.nix,
        cwd: '/work/fixture-flake',
        signal: abort.signal,
        run: (file, args, options) => {
          signal = options?.signal;
          return nix.run(file, args, options);
        },
      });
      const builds = nix.calls.filter((c) => c[1] === 'build');
      assert.deepEqual(builds, [
        [
          'nix',
          'build',
          '--no-link',
          '-L',
          '--log-format',
          'internal-json',
          version === '2.8' ? drv : `${drv}^*`,
        ],
      ]);
      assert.equal(signal, abort.signal, 'the abort signal does not reach the process');
      assert.deepEqual(
        { ok: result.ok, cancelled: result.cancelled, exitCode: result.exitCode },
        { ok: true, cancelled: false, exitCode: 0 },
      );
      assert.equal(result.message, 'Built 2/2 builds · 1/1 downloads · 0.0/0.0 MB downloaded');
      assert.equal(result.progress.buildsDone, 2);
    });

    it('reports each progress text once, and names builders by the names given, else by their store path', async () => {
      const nix = recordedNix(version);
      const progress: string[] = [];
      const log: string[] = [];
      await buildDerivations([drv], {
        nix: nix.nix,
        run: nix.run,
        names: new Map([[drv, 'app-0.1.0']]),
        onProgress: (text) => progress.push(text),
        onLog: (line) => log.push(line),
      });
      assert.ok(progress.length > 1, progress.join('\n'));
      assert.ok(
        progress.every((text, i) => text !== progress[i - 1]),
        `a text was reported twice in a row:\n${progress.join('\n')}`,
      );
      assert.equal(progress.at(-1), '2/2 builds · 1/1 downloads · 0.0/0.0 MB downloaded');
      assert.deepEqual(
        log.filter((line) => line.includes('> ')),
        ['lib.drv> building lib', 'app-0.1.0> building app'],
      );
      // Nix 2.8 prints no messages with `-L`; 2.26 says what it will build and fetch.
      const messages = log.filter((line) => !line.includes('> '));
      if (version === '2.8') assert.deepEqual(messages, []);
      else assert.equal(messages[0], 'these 2 derivations will be built:');
    });

    it('a cancelled build is neither ok nor failed', async () => {
      const nix = recordedNix(version, {
        build: () => ({ exitCode: null, signal: 'SIGTERM', cancelled: true }),
      });
      const result = await buildDerivations([drv], { nix: nix.nix, run: nix.run });
      assert.deepEqual(
        { ok: result.ok, cancelled: result.cancelled, message: result.message },
        { ok: false, cancelled: true, message: 'Build cancelled' },
      );
    });

    it("a failed build says Nix's last error, on one line", async () => {
      const nix = recordedNix(version, {
        build: () => ({
          exitCode: 1,
          stderr: [
            failureLine('error: builder for lib.drv failed with exit code 2'),
            failureLine(
              '\u001b[31;1merror:\u001b[0m 1 dependencies of derivation app.drv failed to build\nmore',
            ),
          ].join('\n'),
        }),
      });
      const result = await buildDerivations([drv], { nix: nix.nix, run: nix.run });
      assert.equal(result.ok, false);
      assert.equal(result.cancelled, false);
      assert.equal(result.message, 'Build failed: 1 dependencies of derivation app.drv failed to build');
    });
  });
}

describe('buildDerivations (no derivations)', () => {
  it('starts no process', async () => {
    const nix = recordedNix('2.8');
    const result = await buildDerivations([], { nix: nix.nix, run: nix.run });
    assert.deepEqual(nix.calls, []);
    assert.equal(result.ok, true);
    assert.equal(result.message, 'Nothing to build');
  });
});

describe('lastBuildError', () => {
  it('points to the log when Nix printed no error', () => {
    assert.equal(lastBuildError('warning: something\n'), 'see the log');
  });
});
