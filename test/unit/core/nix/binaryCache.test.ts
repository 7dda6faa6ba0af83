import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { queryCache, type CacheAnswer } from '../../../../src/core/nix/binaryCache';
import { parseNarinfo, storePathHash } from '../../../../src/core/nix/narinfo';
import { narinfoText } from './nixJson';

// Real caches made of the narinfos `nix copy` wrote: a folder for file://, a loopback server for HTTP.
describe('core/nix/binaryCache', () => {
  const app = parseNarinfo(narinfoText('app'));
  const toolchain = parseNarinfo(narinfoText('toolchain'));
  const missing = '/nix/store/00000000000000000000000000000000-missing-1.0';
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-binary-cache-'));
    fs.writeFileSync(path.join(dir, 'nix-cache-info'), 'StoreDir: /nix/store\n');
    for (const name of ['app', 'toolchain'] as const) {
      const text = narinfoText(name);
      fs.writeFileSync(path.join(dir, `${storePathHash(parseNarinfo(text).storePath)}.narinfo`), text);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const kinds = (answers: Map<string, CacheAnswer>) => [...answers].map(([p, a]) => [p, a.kind]);

  it('reads a file:// cache: found with what the signature covers, absent without a narinfo', async () => {
    const answers = await queryCache(`file://${dir}`, [app.storePath, missing, toolchain.storePath]);
    assert.deepEqual(kinds(answers), [
      [app.storePath, 'found'],
      [missing, 'absent'],
      [toolchain.storePath, 'found'],
    ]);
    const found = answers.get(app.storePath);
    assert.ok(found?.kind === 'found');
    assert.deepEqual(found.info, {
      storePath: app.storePath,
      narHash: app.narHash,
      narSize: app.narSize,
      references: app.references,
      sigs: app.sigs,
      fileSize: app.fileSize,
      ca: null,
    });
  });

  it('does not take a narinfo for another path with the same hash part', async () => {
    const impostor = `${app.storePath}-impostor`;
    const answers = await queryCache(`file://${dir}`, [impostor]);
    assert.deepEqual(kinds(answers), [[impostor, 'absent']]);
  });

  it('finds nothing, as Nix does, in a file:// cache folder that does not exist', async () => {
    const answers = await queryCache(`file://${dir}/nowhere`, [app.storePath]);
    assert.deepEqual(kinds(answers), [[app.storePath, 'absent']]);
  });

  describe('over HTTP', () => {
    let server: http.Server;
    let url: string;
    let connections = 0;
    let requests: string[] = [];
    /** What the server does for a path, when not serving the folder. */
    let override: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | null = null;

    before(async () => {
      server = http.createServer((req, res) => {
        requests.push(req.url ?? '');
        if (override?.(req, res)) return;
        fs.readFile(path.join(dir, req.url ?? '/'), (error, data) =>
          error ? res.writeHead(404).end() : res.writeHead(200).end(data),
        );
      });
      server.on('connection', () => connections++);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    beforeEach(() => {
      connections = 0;
      requests = [];
      override = null;
    });
    after(() => server.close());

    it('asks for nix-cache-info once, then one narinfo per path over a few kept-alive connections', async () => {
      const paths = [
        app.storePath,
        toolchain.storePath,
        missing,
        ...Array.from({ length: 20 }, (_, i) => `/nix/store/${String(i).padStart(32, 'a')}-x`),
      ];
      const answers = await queryCache(`${url}/`, paths, { concurrency: 3 });
      assert.equal(answers.get(app.storePath)?.kind, 'found');
      assert.equal(answers.get(toolchain.storePath)?.kind, 'found');
      assert.equal([...answers.values()].filter((a) => a.kind === 'absent').length, 21);
      assert.equal(requests[0], '/nix-cache-info');
      assert.equal(requests.length, 1 + paths.length);
      assert.ok(connections <= 3, `${connections} connections`);
    });

    it('drops ?priority= and other settings from the address', async () => {
      await queryCache(`${url}?priority=10`, [app.storePath]);
      assert.deepEqual(requests, ['/nix-cache-info', `/${storePathHash(app.storePath)}.narinfo`]);
    });

    it('counts 403 as absent (S3) and a server error as unreachable', async () => {
      override = (req, res) => {
        if (req.url?.includes(storePathHash(app.storePath))) return !!res.writeHead(403).end();
        if (req.url?.includes(storePathHash(toolchain.storePath))) return !!res.writeHead(502).end();
        return false;
      };
      const answers = await queryCache(url, [app.storePath, toolchain.storePath]);
      assert.equal(answers.get(app.storePath)?.kind, 'absent');
      const failed = answers.get(toolchain.storePath);
      assert.ok(failed?.kind === 'unreachable');
      assert.match(failed.reason, /HTTP 502/);
    });

    it('gives up after the time limit and says the cache is unreachable for every path', async () => {
      override = (req) => req.url === '/nix-cache-info'; // never answers
      const started = Date.now();
      const answers = await queryCache(url, [app.storePath, toolchain.storePath], { timeoutMs: 200 });
      assert.ok(Date.now() - started < 2000);
      for (const answer of answers.values()) {
        assert.ok(answer.kind === 'unreachable');
        assert.match(answer.reason, /no answer within 200 ms/);
      }
    });

    it('says unreachable when nothing listens, after one attempt', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const answers = await queryCache(`http://127.0.0.1:${port}`, [app.storePath, missing]);
      for (const answer of answers.values()) {
        assert.ok(answer.kind === 'unreachable');
        assert.match(answer.reason, /ECONNREFUSED/);
      }
    });

    it('stops when cancelled', async () => {
      override = (req) => req.url !== '/nix-cache-info';
      const controller = new AbortController();
      const pending = queryCache(url, [app.storePath], { signal: controller.signal, timeoutMs: 10_000 });
      setTimeout(() => controller.abort(), 50);
      const answer = (await pending).get(app.storePath);
      assert.ok(answer?.kind === 'unreachable');
      assert.match(answer.reason, /cancelled|abort/i);
    });
  });
});
