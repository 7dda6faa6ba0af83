import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installableArgs, shellSourceFor } from '../../../../src/core/devenv/source';
import { currentNixSystem } from '../../../../src/core/devenv/system';
import { DevShellEvaluationError, nixErrorMessage } from '../../../../src/core/devenv/errors';

describe('core/devenv/source', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-devenv-source-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prefers flake.nix over shell.nix over default.nix, and finds none in an empty folder', () => {
    assert.equal(shellSourceFor(dir), null);
    fs.writeFileSync(path.join(dir, 'default.nix'), '');
    assert.equal(shellSourceFor(dir)?.kind, 'default.nix');
    fs.writeFileSync(path.join(dir, 'shell.nix'), '');
    assert.deepEqual(shellSourceFor(dir, { attr: 'ignored', system: 'x86_64-linux' }), {
      kind: 'shell.nix',
      folder: dir,
      attr: '',
      system: 'x86_64-linux',
    });
    fs.writeFileSync(path.join(dir, 'flake.nix'), '');
    assert.deepEqual(shellSourceFor(`${dir}/./`, { system: 'aarch64-darwin' }), {
      kind: 'flake',
      folder: dir,
      attr: 'default',
      system: 'aarch64-darwin',
    });
    assert.equal(shellSourceFor(dir, { attr: 'ci' })?.attr, 'ci');
    assert.equal(shellSourceFor(dir)?.system, currentNixSystem());
  });

  it('names the flake installable by folder and quotes unusual attribute names', () => {
    const flake = { kind: 'flake', folder: '/p', attr: 'default', system: 'x86_64-linux' } as const;
    assert.deepEqual(installableArgs(flake), ['/p#devShells.x86_64-linux.default']);
    assert.deepEqual(installableArgs({ ...flake, attr: 'my.shell' }), [
      '/p#devShells.x86_64-linux."my.shell"',
    ]);
    assert.deepEqual(installableArgs({ ...flake, kind: 'shell.nix', attr: '' }), ['--file', '/p/shell.nix']);
  });
});

describe('core/devenv/system', () => {
  it('maps Node platform and arch to Nix system doubles', () => {
    assert.equal(currentNixSystem('linux', 'x64'), 'x86_64-linux');
    assert.equal(currentNixSystem('linux', 'arm64'), 'aarch64-linux');
    assert.equal(currentNixSystem('darwin', 'arm64'), 'aarch64-darwin');
    assert.equal(currentNixSystem('darwin', 'x64'), 'x86_64-darwin');
    assert.equal(currentNixSystem('linux', 'ia32'), 'i686-linux');
    assert.equal(currentNixSystem('freebsd', 'x64'), 'x86_64-freebsd');
  });
});

describe('core/devenv/errors', () => {
  it("keeps Nix's own error from its first error line, without build progress", () => {
    const stderr = [
      "building '/nix/store/abc-x.drv'...",
      'warning: Git tree is dirty',
      "error: syntax error, unexpected '}'",
      '',
      '       at /p/flake.nix:3:1:',
      '',
    ].join('\n');
    assert.equal(
      nixErrorMessage(stderr),
      "error: syntax error, unexpected '}'\n\n       at /p/flake.nix:3:1:",
    );
    assert.equal(nixErrorMessage('only chatter\n'), 'only chatter');
    assert.equal(nixErrorMessage(''), 'nix failed without saying why');
    const error = new DevShellEvaluationError('m', 'all of stderr');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'DevShellEvaluationError');
    assert.equal(error.cancelled, false);
  });
});
