// Nix's own parser on unsaved text (`nix-instantiate --parse -`), Nix 2.8 and 2.26: a syntax error
// comes back located in the file being edited, valid text (generated flakes included) gives nothing,
// and nothing is evaluated.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNixEvalErrors } from '../../src/core/nix/evalError';
import { checkNixSyntax } from '../../src/core/nix/syntaxCheck';
import { CommandNotFoundError } from '../../src/core/process';
import { forEachNix, nixEnv } from './helpers/nix';
import { REPO_ROOT, removeTempDirs, tempDir } from './helpers/paths';

forEachNix('syntax check of an editor buffer', (nix) => {
  after(removeTempDirs);
  const options = () => ({
    nix: path.join(nix.binDir, 'nix'),
    env: nixEnv(),
  });

  it('locates a syntax error in the file being edited, at the line and column Nix names', async () => {
    const dir = tempDir('syntax');
    const file = path.join(dir, 'flake.nix');
    const text = '{\n  description = "x"; = broken\n  outputs = { self }: { };\n}\n';
    const stderr = await checkNixSyntax(text, file, options());
    assert.ok(stderr !== null, 'the text does not parse');
    assert.ok(!stderr.includes('«stdin»'), stderr);
    const [error, ...more] = parseNixEvalErrors(stderr, file, { fallbackFile: file });
    assert.deepEqual(more, []);
    assert.ok(error);
    assert.deepEqual([error.file, error.line, error.column, error.located], [file, 2, 22, true]);
    assert.match(error.message, /^syntax error, unexpected '='/);
  });

  it('an unterminated string: the error is at the end of the text', async () => {
    const file = path.join(tempDir('syntax'), 'default.nix');
    const stderr = await checkNixSyntax('{\n  a = "open;\n}\n', file, options());
    assert.ok(stderr !== null);
    const [error] = parseNixEvalErrors(stderr, file, { fallbackFile: file });
    assert.equal(error?.file, file);
    assert.match(error?.message ?? '', /syntax error/);
    assert.ok((error?.line ?? 0) >= 2, `line ${error?.line}`);
  });

  it('valid text gives nothing, and nothing in it is evaluated (an abort, an import of a missing file)', async () => {
    const file = path.join(tempDir('syntax'), 'flake.nix');
    const text = '{ outputs = { self }: builtins.abort "evaluated" // import ./missing.nix; }\n';
    assert.equal(await checkNixSyntax(text, file, options()), null);
  });

  it("parses the fixtures' flake and grammar sample without an error", async () => {
    const files = ['test/fixtures/derivations/workspace/flake.nix', 'test/fixtures/nix-grammar/strings.nix'];
    for (const rel of files) {
      const file = path.join(REPO_ROOT, rel);
      assert.equal(await checkNixSyntax(fs.readFileSync(file, 'utf8'), file, options()), null, rel);
    }
  });
});

describe('syntax check without Nix', () => {
  it('says the binary is missing instead of reporting a syntax error', async () => {
    await assert.rejects(
      checkNixSyntax('{', '/tmp/x.nix', { nix: '/nonexistent/bin/nix' }),
      (error) => error instanceof CommandNotFoundError,
    );
  });
});
