import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changedFiles, cratesOwning, refineCrateSources } from '../../../../src/core/derivations/sourceDiff';

describe('core/derivations/sourceDiff', () => {
  let root: string;
  const tree = (name: string, files: Record<string, string>) => {
    const dir = path.join(root, name);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-source-diff-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const base = {
    'Cargo.toml': '[workspace]',
    'Cargo.lock': 'v1',
    'crates/app/src/main.rs': 'fn main() {}',
    'crates/lib/src/lib.rs': 'x',
  };

  it('lists files that differ in content, were added or removed; null when a tree is gone', async () => {
    const a = tree('a', base);
    const b = tree('b', { ...base, 'crates/lib/src/lib.rs': 'y', 'crates/lib/src/new.rs': '' });
    fs.rmSync(path.join(b, 'Cargo.lock'));
    assert.deepEqual(await changedFiles(a, b), [
      'Cargo.lock',
      'crates/lib/src/lib.rs',
      'crates/lib/src/new.rs',
    ]);
    assert.deepEqual(await changedFiles(a, a), []);
    assert.equal(await changedFiles(a, path.join(root, 'gone')), null);
  });

  it('finds the crate owning each file, the deepest one first; a root crate owns no lock file', () => {
    const dirs = { app: 'crates/app', inner: 'crates/app/inner', root: '' };
    assert.deepEqual(cratesOwning(['crates/app/src/main.rs'], dirs), ['app']);
    assert.deepEqual(cratesOwning(['crates/app/inner/src/lib.rs', 'build.rs'], dirs), ['inner', 'root']);
    assert.deepEqual(cratesOwning(['Cargo.lock'], dirs), []);
    assert.deepEqual(cratesOwning(['Cargo.toml'], dirs), ['root']);
  });

  it('turns a crate-source cause into the edited crates, or into Cargo.lock when only it differs', async () => {
    const a = tree('a', base);
    const b = tree('b', { ...base, 'crates/lib/src/lib.rs': 'y' });
    const c = tree('c', { ...base, 'Cargo.lock': 'v2' });
    const crateDirs = { app: 'crates/app', lib: 'crates/lib' };
    const cause = (to: string) => ({
      kind: 'crate-source' as const,
      crate: 'app',
      from: a,
      to,
      changedCrates: null,
      files: null,
      via: ['app-0.1.0'],
    });
    const edited = await refineCrateSources({ unchanged: false, causes: [cause(b)] }, crateDirs);
    assert.deepEqual(edited.causes, [
      { ...cause(b), changedCrates: ['lib'], files: ['crates/lib/src/lib.rs'] },
    ]);
    const locked = await refineCrateSources(
      { unchanged: false, causes: [cause(c), { kind: 'cargo-lock', via: ['app-0.1.0', 'vendor'] }] },
      crateDirs,
    );
    assert.deepEqual(locked.causes, [{ kind: 'cargo-lock', via: ['app-0.1.0'] }]);
    const gone = await refineCrateSources(
      { unchanged: false, causes: [cause(path.join(root, 'gone'))] },
      crateDirs,
    );
    assert.deepEqual(gone.causes, [cause(path.join(root, 'gone'))]);
  });
});
