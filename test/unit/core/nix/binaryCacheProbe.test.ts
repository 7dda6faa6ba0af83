import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCacheInfo, probeCache } from '../../../../src/core/nix/binaryCache';
import { parseNarinfo, storePathHash } from '../../../../src/core/nix/narinfo';
import { narinfoText } from './nixJson';

// probeCache for the health check: one nix-cache-info per cache, and for file:// the signers of a
// narinfo `nix copy` wrote (recorded: signed by the trusted test key).
describe('core/nix/binaryCache probeCache', () => {
  let dir: string;
  let server: http.Server;
  let url: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-cache-probe-'));
    fs.writeFileSync(
      path.join(dir, 'nix-cache-info'),
      'StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 40\n',
    );
    const text = narinfoText('app');
    fs.writeFileSync(path.join(dir, `${storePathHash(parseNarinfo(text).storePath)}.narinfo`), text);
    server = http.createServer((request, response) => {
      if (request.url === '/cache/nix-cache-info') response.end('StoreDir: /nix/store\n');
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parses nix-cache-info', () => {
    assert.deepEqual(parseCacheInfo('StoreDir: /nix/store\nPriority: 40\n\nbad line\n'), {
      StoreDir: '/nix/store',
      Priority: '40',
    });
  });

  it('reads a file:// cache and the key names that signed one of its paths', async () => {
    const probe = await probeCache(`file://${dir}`);
    assert.deepEqual(probe, {
      kind: 'reachable',
      info: { StoreDir: '/nix/store', WantMassQuery: '1', Priority: '40' },
      sampleSigners: ['nixify-test-1'],
    });
  });

  it('has no signers to show for an empty file:// cache, and is unreachable without nix-cache-info', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-cache-probe-empty-'));
    try {
      fs.writeFileSync(path.join(empty, 'nix-cache-info'), 'StoreDir: /nix/store\n');
      const probe = await probeCache(`file://${empty}`);
      assert.equal(probe.kind === 'reachable' && probe.sampleSigners, null);
      fs.rmSync(path.join(empty, 'nix-cache-info'));
      const missing = await probeCache(`file://${empty}?priority=10`);
      assert.equal(missing.kind, 'unreachable');
      assert.match(missing.kind === 'unreachable' ? missing.reason : '', /nix-cache-info: ENOENT/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('asks an http cache for nix-cache-info, below its path and without its query', async () => {
    assert.deepEqual(await probeCache(`${url}/cache/?priority=30`), {
      kind: 'reachable',
      info: { StoreDir: '/nix/store' },
      sampleSigners: null,
    });
    const notACache = await probeCache(`${url}/elsewhere`);
    assert.equal(notACache.kind, 'unreachable');
    assert.match(notACache.kind === 'unreachable' ? notACache.reason : '', /HTTP 404/);
  });

  it('says why a refused connection is unreachable, within the time limit', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const probe = await probeCache(`http://127.0.0.1:${port}`, { timeoutMs: 2000 });
    assert.equal(probe.kind, 'unreachable');
    assert.match(probe.kind === 'unreachable' ? probe.reason : '', /ECONNREFUSED/);
  });
});
