import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as sources from '../../../../../src/core/flake/nix/sources.generated';
import { REPO_ROOT } from '../../../helpers/repo';

const NIX_DIR = path.join(REPO_ROOT, 'src', 'core', 'flake', 'nix');
/** As scripts/nix-sources.mjs names them: `wasm-bindgen-cli.nix` → `WASM_BINDGEN_CLI_NIX`. */
const constantName = (fileName: string) => fileName.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();

// What Nixify writes is the .nix (or .sh) file in the repository, byte for byte: the module that carries it
// into the bundles is generated (npm run nix-sources) and must not drift from it.
describe('the Nix sources bundled as text', () => {
  const files = fs.readdirSync(NIX_DIR).filter((name) => name.endsWith('.nix') || name.endsWith('.sh'));
  const exported = sources as Record<string, string>;

  it('has one constant per .nix or .sh file and no other', () => {
    assert.deepEqual(Object.keys(exported).sort(), files.map(constantName).sort());
  });

  for (const name of files) {
    it(`${name} is carried unchanged (Nix's own \${…} and backslashes included)`, () => {
      assert.equal(exported[constantName(name)], fs.readFileSync(path.join(NIX_DIR, name), 'utf8'));
    });
  }
});
