import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageVersion } from '../../../src/cli/version';
import { readPackageJson } from '../helpers/packageJson';

describe('packageVersion', () => {
  it("finds Nixify's package.json above the compiled file", () => {
    assert.equal(packageVersion(), readPackageJson().version);
  });

  it('skips package.json files of other packages on the way up', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-version-'));
    try {
      const nested = path.join(dir, 'node_modules', 'other');
      fs.mkdirSync(nested, { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'nixify', version: '9.8.7' }));
      fs.writeFileSync(
        path.join(nested, 'package.json'),
        JSON.stringify({ name: 'other', version: '1.0.0' }),
      );
      assert.equal(packageVersion(nested), '9.8.7');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
