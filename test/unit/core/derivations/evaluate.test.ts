// The pipeline's first steps on recorded Nix 2.8 and 2.26 outputs (test/fixtures/nix-json): the
// evaluation, Nix's configuration read once beside it, the grouping and the plan; then the
// classification of what the evaluation grouped, and `nixify status`'s whole pass over both.
import * as assert from 'node:assert/strict';
import {
  allItems,
  CacheStatusService,
  classifyFolder,
  evaluateFolder,
  workspaceStatus,
  type CrateRef,
} from '../../../../src/core/derivations';
import { DIALECTS } from '../nix/nixJson';
import { recordedNix } from './recordedNix';

const FLAKE_DIR = '/work/fixture-flake';
const CRATES: CrateRef[] = [{ name: 'app' }, { name: 'core-lib' }, { name: 'web-ui', wasm: true }];
/** The substituters of the recorded configuration; the flake's own cache is not trusted by it. */
const USER_CACHES = [
  'file:///var/cache/nix-a',
  'https://cache.example.org/',
  'http://127.0.0.1:5000?priority=30',
];

const count = (calls: string[][], program: string, subcommand: string) =>
  calls.filter((c) => c[0] === program && c[1] === subcommand).length;

for (const version of DIALECTS) {
  describe(`derivations pipeline (recorded Nix ${version})`, () => {
    describe('evaluateFolder', () => {
      it('runs one evaluation and reads the configuration once, then groups by crate and plans the caches', async () => {
        const nix = recordedNix(version);
        const evaluation = await evaluateFolder(FLAKE_DIR, CRATES, { nix: nix.nix, run: nix.run });
        assert.equal(count(nix.calls, 'nix', 'eval'), 1);
        assert.equal(
          count(nix.calls, 'nix', 'show-config') + count(nix.calls, 'nix', 'config'),
          1,
          nix.calls.join('\n'),
        );
        assert.deepEqual(
          evaluation.groups.crates.map((g) => [g.crate, g.items.map((i) => i.label)]),
          [
            ['app', ['package', 'dependencies', 'image']],
            ['core-lib', ['package', 'dependencies']],
            ['web-ui', ['wasm build', 'dependencies']],
          ],
        );
        assert.equal(evaluation.groups.system, 'x86_64-linux');
        assert.deepEqual(evaluation.flake.cache.substituters, ['https://fixture-cache.invalid']);
        assert.deepEqual(evaluation.plan.substituters, USER_CACHES);
        assert.deepEqual(evaluation.plan.flakeSubstituters, [
          { url: 'https://fixture-cache.invalid', trusted: false },
        ]);
        assert.equal(evaluation.plan.notes.length, 1);
        assert.match(
          evaluation.plan.notes[0] ?? '',
          /^https:\/\/fixture-cache\.invalid \(declared by the flake\) is not used/,
        );
      });

      it('evaluates for the system asked for, else for the one Nix builds for', async () => {
        const nix = recordedNix(version);
        await evaluateFolder(FLAKE_DIR, CRATES, { nix: nix.nix, run: nix.run, system: 'aarch64-darwin' });
        await evaluateFolder(FLAKE_DIR, CRATES, { nix: nix.nix, run: nix.run });
        const expressions = nix.calls.filter((c) => c[1] === 'eval').map((c) => c.at(-1) ?? '');
        assert.match(expressions[0] ?? '', /system = "aarch64-darwin";/);
        assert.match(expressions[1] ?? '', /system = builtins\.currentSystem;/);
      });
    });

    describe('classifyFolder', () => {
      it('classifies every grouped derivation in one validity query, and a kept service asks nothing again', async () => {
        const nix = recordedNix(version, {
          // Everything but the packages is in the local store.
          invalid: (paths) => paths.filter((p) => /-(app|core-lib|web-ui)-0\.1\.0$/.test(p)),
        });
        const options = { nix: nix.nix, run: nix.run };
        const evaluation = await evaluateFolder(FLAKE_DIR, CRATES, options);
        // No caches: nothing leaves the machine, and what is missing must be built.
        const offline = { ...evaluation, plan: { ...evaluation.plan, substituters: [] } };
        const service = new CacheStatusService();
        const statuses = await classifyFolder(offline, { ...options, service });
        assert.equal(count(nix.calls, 'nix-store', '--check-validity'), 1);
        const items = allItems(evaluation.groups);
        assert.equal(statuses.size, items.length);
        const byLabel = (crate: string, label: string) => {
          const item = evaluation.groups.crates
            .find((g) => g.crate === crate)
            ?.items.find((i) => i.label === label);
          return item && statuses.get(item.drvPath)?.status;
        };
        assert.equal(byLabel('app', 'package'), 'build');
        assert.equal(byLabel('web-ui', 'wasm build'), 'build');
        assert.equal(byLabel('app', 'dependencies'), 'local');

        const again = await classifyFolder(offline, { ...options, service });
        assert.equal(count(nix.calls, 'nix-store', '--check-validity'), 1, 'the kept service asked again');
        assert.deepEqual(again, statuses);
      });
    });

    describe('workspaceStatus (nixify status)', () => {
      it('is the same two steps: one evaluation, one configuration read, one validity query', async () => {
        const nix = recordedNix(version);
        const status = await workspaceStatus(FLAKE_DIR, CRATES, { nix: nix.nix, run: nix.run });
        // The version probe is remembered per binary, so it may or may not run here.
        const programs = nix.calls.map((c) => `${c[0]} ${c[1]}`).filter((p) => p !== 'nix --version');
        const config = version === '2.8' ? 'nix show-config' : 'nix config';
        assert.deepEqual(programs.sort(), [config, 'nix eval', 'nix-store --check-validity'].sort());
        const items = allItems(status.groups).length;
        assert.deepEqual(status.counts, { local: items, cached: 0, build: 0, unknown: 0 });
        assert.equal(status.summary, `${items} local · 0 cached · 0 to build`);
        assert.deepEqual(status.plan.substituters, USER_CACHES);
      });
    });
  });
}
