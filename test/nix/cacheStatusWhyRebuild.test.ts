// "Why does this rebuild?" on the real Nix: the fixture flake is evaluated, a file is edited, and
// the comparison of the real derivations before and after names what was edited.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectWorkspaces } from '../../src/core/cargo';
import { describeCause, whyRebuild, type RebuildCause } from '../../src/core/derivations';
import { fixtureCopy, SYSTEM } from './helpers/cacheScenario';
import { evalFlake, gitAdd } from './helpers/flake';
import { forEachNix, nixEnv, type Nix } from './helpers/nix';
import { removeTempDirs } from './helpers/paths';

const DRVS = 'set: builtins.mapAttrs (_: d: d.drvPath) set';

forEachNix('why a derivation rebuilds, from real derivations', (nix: Nix) => {
  let dir: string;
  let crateDirs: Record<string, string>;
  let drvs: Record<string, string>;
  const snapshot = () => evalFlake<Record<string, string>>(nix, dir, `checks.${SYSTEM}`, DRVS);
  const why = (attr: string, before: Record<string, string>) =>
    whyRebuild(before[attr] ?? '', drvs[attr] ?? '', {
      nix: path.join(nix.binDir, 'nix'),
      env: nixEnv(),
      crateDirs,
    });
  /** Edits `file` (relative), re-evaluates, and returns the drvs from before. */
  const edit = (file: string, text: string) => {
    const before = drvs;
    fs.appendFileSync(path.join(dir, file), text);
    gitAdd(dir);
    drvs = snapshot();
    return before;
  };
  const kinds = (causes: RebuildCause[]) => causes.map((c) => c.kind).sort();

  before(function () {
    dir = fixtureCopy('why-rebuild');
    const ws = detectWorkspaces(dir).workspaces[0];
    assert.ok(ws);
    crateDirs = Object.fromEntries(
      ws.packages.map((p) => [p.name, path.relative(dir, path.dirname(p.manifest_path))]),
    );
    drvs = snapshot();
  });
  after(removeTempDirs);

  it("names core-lib when core-lib's source was edited, for core-lib and for app, which depends on it", async () => {
    const before = edit('crates/core-lib/src/lib.rs', '// edited by the nix tests\n');
    const app = await why('app', before);
    assert.equal(app.unchanged, false);
    assert.equal(app.causes.length, 1, app.causes.map(describeCause).join('; '));
    const [cause] = app.causes;
    assert.ok(cause?.kind === 'crate-source');
    assert.equal(cause.crate, 'app');
    assert.deepEqual(cause.changedCrates, ['core-lib']);
    assert.deepEqual(cause.files, ['crates/core-lib/src/lib.rs']);
    assert.equal(describeCause(cause), 'the source of crate core-lib changed: crates/core-lib/src/lib.rs');

    const coreLib = await why('core-lib', before);
    assert.deepEqual(coreLib.causes.map(describeCause), [
      'the source of crate core-lib changed: crates/core-lib/src/lib.rs',
    ]);
    assert.deepEqual(await why('web-ui', before), { unchanged: true, causes: [] });
  });

  it('says Cargo.lock when Cargo.lock was edited', async () => {
    const before = edit('Cargo.lock', '# edited by the nix tests\n');
    const app = await why('app', before);
    assert.deepEqual(kinds(app.causes), ['cargo-lock']);
    assert.equal(describeCause(app.causes[0] as RebuildCause), 'Cargo.lock changed');
  });

  it("says which crate's Cargo.toml when one was edited", async () => {
    const before = edit('crates/web-ui/Cargo.toml', '# edited by the nix tests\n');
    const webUi = await why('web-ui', before);
    assert.deepEqual(
      webUi.causes.map(describeCause).sort(),
      [
        'a Cargo.toml or Cargo.lock changed (through web-ui-deps-0.1.0)',
        'the source of crate web-ui changed: crates/web-ui/Cargo.toml',
      ].sort(),
    );
  });
});
