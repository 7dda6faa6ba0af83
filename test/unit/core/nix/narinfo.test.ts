import * as assert from 'node:assert/strict';
import { NarinfoError, parseNarinfo, storePathHash } from '../../../../src/core/nix/narinfo';
import { narinfoText } from './nixJson';

describe('core/nix/narinfo', () => {
  it('reads a narinfo written by nix copy --to file://', () => {
    const app = parseNarinfo(narinfoText('app'));
    const toolchain = parseNarinfo(narinfoText('toolchain'));
    assert.match(app.storePath, /^\/nix\/store\/[0-9a-z]{32}-app-0\.1\.0$/);
    assert.match(app.url, /^nar\/[0-9a-z]{52}\.nar\.xz$/);
    assert.equal(app.compression, 'xz');
    assert.equal(app.narSize, 512);
    assert.equal(typeof app.fileSize, 'number');
    assert.match(app.narHash, /^sha256:[0-9a-z]{52}$/);
    assert.deepEqual(app.references, [toolchain.storePath]);
    assert.match(app.deriver ?? '', /^\/nix\/store\/[0-9a-z]{32}-app-0\.1\.0\.drv$/);
    assert.equal(app.sigs.length, 1);
    assert.match(app.sigs[0] ?? '', /^nixify-test-1:[A-Za-z0-9+/]{86}==$/);
    assert.equal(app.ca, null);
    assert.deepEqual(toolchain.references, []);
  });

  it('keeps every Sig line and tolerates missing optional fields', () => {
    const text =
      'StorePath: /nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x\nURL: nar/x.nar\nNarHash: sha256:1\nNarSize: 7\nSig: a:1\nSig: b:2\n';
    const n = parseNarinfo(text);
    assert.deepEqual(n.sigs, ['a:1', 'b:2']);
    assert.equal(n.fileSize, null);
    assert.equal(n.deriver, null);
    assert.deepEqual(n.references, []);
  });

  it('refuses a narinfo without the fields a signature covers', () => {
    assert.throws(() => parseNarinfo('URL: nar/x\nNarHash: sha256:1\nNarSize: 1\n'), NarinfoError);
    assert.throws(
      () => parseNarinfo('StorePath: /nix/store/x\nURL: nar/x\nNarHash: sha256:1\nNarSize: big\n'),
      /NarSize big/,
    );
  });

  it('names the narinfo file after the hash part of the store path', () => {
    assert.equal(
      storePathHash('/nix/store/j7zcvhhjsrv83jxrrch97ijk8vz2gb49-app-0.1.0'),
      'j7zcvhhjsrv83jxrrch97ijk8vz2gb49',
    );
  });
});
