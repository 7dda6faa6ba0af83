import * as assert from 'node:assert/strict';
import { combineOutputs, pathStatus, type OutputStatus } from '../../../../src/core/derivations/classify';
import { countStatuses, formatSummary } from '../../../../src/core/derivations/summary';
import type { CacheAnswer } from '../../../../src/core/nix/binaryCache';
import { parseNarinfo } from '../../../../src/core/nix/narinfo';
import { parsePublicKeys } from '../../../../src/core/nix/signatures';
import { narinfoText, publicKey } from '../nix/nixJson';

// Decisions over real narinfos and keys (recorded from nix store sign / nix copy).
describe('core/derivations/classify', () => {
  const keys = parsePublicKeys([publicKey('trusted')]).keys;
  const trust = { keys, requireSigs: true };
  const found = (name: 'app' | 'web-ui'): CacheAnswer => {
    const n = parseNarinfo(narinfoText(name));
    return { kind: 'found', info: { ...n, fileSize: n.fileSize } };
  };
  const app = parseNarinfo(narinfoText('app')).storePath;
  const webUi = parseNarinfo(narinfoText('web-ui')).storePath;
  const down: CacheAnswer = { kind: 'unreachable', reason: 'connect ECONNREFUSED 127.0.0.1:1' };
  const absent: CacheAnswer = { kind: 'absent' };

  describe('pathStatus', () => {
    it('is local when the store has it, whatever the caches say', () => {
      assert.equal(pathStatus(app, true, [{ url: 'http://c', answer: down }], trust).status, 'local');
    });

    it('is cached from the first cache with a trusted signature, with sizes and signer', () => {
      const s = pathStatus(
        app,
        false,
        [
          { url: 'file:///a', answer: absent },
          { url: 'http://b', answer: found('app') },
        ],
        trust,
      );
      assert.equal(s.status, 'cached');
      assert.deepEqual(s.hit, {
        url: 'http://b',
        signedBy: 'nixify-test-1',
        narSize: 512,
        fileSize: s.hit?.fileSize ?? -1,
      });
      assert.equal(typeof s.hit?.fileSize, 'number');
    });

    it('is build when the only copy is signed by a key that is not trusted, and says so', () => {
      const s = pathStatus(webUi, false, [{ url: 'file:///a', answer: found('web-ui') }], trust);
      assert.equal(s.status, 'build');
      assert.equal(
        s.detail,
        'file:///a has it, signed by untrusted-1, which trusted-public-keys does not list',
      );
    });

    it('is unknown, never build, when a cache could not answer and no other has it', () => {
      const s = pathStatus(
        webUi,
        false,
        [
          { url: 'file:///a', answer: found('web-ui') },
          { url: 'http://down', answer: down },
        ],
        trust,
      );
      assert.equal(s.status, 'unknown');
      assert.equal(s.detail, 'http://down could not be asked: connect ECONNREFUSED 127.0.0.1:1');
    });

    it('is cached when another cache has a trusted copy, even if one is unreachable', () => {
      const s = pathStatus(
        app,
        false,
        [
          { url: 'http://down', answer: down },
          { url: 'http://b', answer: found('app') },
        ],
        trust,
      );
      assert.equal(s.status, 'cached');
    });

    it('takes any copy when require-sigs is off', () => {
      const s = pathStatus(webUi, false, [{ url: 'file:///a', answer: found('web-ui') }], {
        keys,
        requireSigs: false,
      });
      assert.equal(s.status, 'cached');
      assert.equal(s.hit?.signedBy, null);
    });

    it('is build when no substituter has it', () => {
      assert.deepEqual(pathStatus(app, false, [{ url: 'file:///a', answer: absent }], trust), {
        path: app,
        status: 'build',
        hit: null,
        detail: null,
      });
      assert.equal(pathStatus(app, false, [], trust).status, 'build');
    });
  });

  describe('combineOutputs', () => {
    const out = (
      output: string,
      status: OutputStatus['status'],
      fileSize: number | null = 10,
    ): OutputStatus => ({
      output,
      path: `/nix/store/x-${output}`,
      status,
      hit: status === 'cached' ? { url: 'u', signedBy: 'k', narSize: 100, fileSize } : null,
      detail: status === 'unknown' ? 'cache down' : null,
    });

    it('is local only when every output is', () => {
      assert.equal(combineOutputs('d', [out('out', 'local'), out('doc', 'local')]).status, 'local');
      assert.equal(combineOutputs('d', [out('out', 'local'), out('doc', 'build')]).status, 'build');
    });

    it('is cached when what is missing is cached, and sums the sizes', () => {
      const s = combineOutputs('d', [out('out', 'local'), out('doc', 'cached'), out('dev', 'cached')]);
      assert.equal(s.status, 'cached');
      assert.equal(s.narSize, 200);
      assert.equal(s.downloadSize, 20);
      assert.equal(combineOutputs('d', [out('out', 'cached', null)]).downloadSize, null);
    });

    it('is build when any output must be built, unknown when none must but one cannot be asked', () => {
      assert.equal(combineOutputs('d', [out('out', 'unknown'), out('doc', 'build')]).status, 'build');
      const s = combineOutputs('d', [out('out', 'unknown'), out('doc', 'cached')]);
      assert.equal(s.status, 'unknown');
      assert.equal(s.detail, 'cache down');
    });
  });

  describe('summary', () => {
    it('counts and sums up as the tree and the CLI print it', () => {
      const counts = countStatuses(['local', 'local', 'cached', 'build']);
      assert.deepEqual(counts, { local: 2, cached: 1, build: 1, unknown: 0 });
      assert.equal(formatSummary(counts), '2 local · 1 cached · 1 to build');
      assert.equal(
        formatSummary({ local: 12, cached: 30, build: 4, unknown: 2 }),
        '12 local · 30 cached · 4 to build · 2 unknown',
      );
    });
  });
});
