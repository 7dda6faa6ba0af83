// Cache status against the real Nix and real signed binary caches (file:// and HTTP on loopback):
// every item of the fixture flake gets exactly the status Nix then acts on, the untrusted signature
// counts as "build", an unreachable cache makes "unknown", and a real `nix build` afterwards builds
// exactly the "build" items and downloads exactly the "cached" outputs.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../../src/cli/run';
import { projectsOf } from '../../src/cli/status';
import { detectWorkspaces } from '../../src/core/cargo';
import {
  allItems,
  CacheStatusService,
  evalFlakeDerivations,
  groupProjectDerivations,
  workspaceStatus,
  type WorkspaceStatus,
} from '../../src/core/derivations';
import { readNixConfig } from '../../src/core/nix/nixConfig';
import { planSubstituters } from '../../src/core/nix/substituters';
import { onProcessStart } from '../../src/core/process';
import { queryCache, queryCacheWithNix, type CacheAnswer } from '../../src/core/nix/binaryCache';
import { closedPort } from './helpers/binaryCache';
import { buildArgs, setUpScenario, SYSTEM, type Scenario } from './helpers/cacheScenario';
import { forEachNix, type Nix } from './helpers/nix';
import { removeTempDirs } from './helpers/paths';

type Row = [group: string, label: string, status: string];

/** Every item as [group, label, status], in the order the tree shows them. */
function rows(status: WorkspaceStatus): Row[] {
  const of = (group: string, items: WorkspaceStatus['groups']['workspace']): Row[] =>
    items.map((i) => [group, i.label, status.statuses.get(i.drvPath)?.status ?? 'missing']);
  return [
    ...status.groups.crates.flatMap((g) => of(g.crate, g.items)),
    ...of('Workspace', status.groups.workspace),
    ...of('Other', status.groups.other),
  ];
}

const EXPECTED: Row[] = [
  ['app', 'package', 'cached'],
  ['app', 'dependencies', 'local'],
  ['app', 'image', 'build'],
  ['core-lib', 'package', 'cached'],
  ['core-lib', 'dependencies', 'local'],
  ['web-ui', 'wasm build', 'build'],
  ['web-ui', 'dependencies', 'local'],
  ['Workspace', 'dependencies', 'local'],
  ['Workspace', 'clippy', 'build'],
  ['Workspace', 'doc', 'build'],
  ['Workspace', 'fmt', 'build'],
  ['Workspace', 'test', 'build'],
  ['Workspace', 'dev shell', 'build'],
  ['Other', 'packages.wasm-bindgen-cli', 'build'],
];

forEachNix('cache status with real signed binary caches', (nix: Nix) => {
  let s: Scenario;
  const nixBin = path.join(nix.binDir, 'nix');
  const projects = () => projectsOf(detectWorkspaces(s.dir).workspaces, s.dir, null);
  const status = (extraConfig?: string[], options: { concurrency?: number } = {}) =>
    workspaceStatus(s.dir, projects(), { nix: nixBin, env: s.env(extraConfig), timeoutMs: 3000, ...options });

  before(async function () {
    this.timeout(300_000);
    s = await setUpScenario(nix);
  });
  after(() => {
    s?.stop();
    removeTempDirs();
  });

  it('gives every item exactly its status; the untrusted signature and the unsigned path are "build"', async () => {
    const result = await status();
    assert.deepEqual(rows(result), EXPECTED);
    assert.equal(result.summary, '4 local · 2 cached · 8 to build');
    const item = (group: string, label: string) => {
      const items =
        group === 'Other'
          ? result.groups.other
          : group === 'Workspace'
            ? result.groups.workspace
            : result.groups.crates.find((g) => g.crate === group)?.items;
      const found = items?.find((i) => i.label === label);
      assert.ok(found, `${group} ${label}`);
      const st = result.statuses.get(found.drvPath);
      assert.ok(st);
      return { item: found, status: st };
    };
    const app = item('app', 'package');
    assert.deepEqual(app.item.attributes, [
      `packages.${SYSTEM}.app`,
      `packages.${SYSTEM}.default`,
      `checks.${SYSTEM}.app`,
    ]);
    assert.equal(app.status.outputs[0]?.hit?.url, s.http.url);
    assert.equal(app.status.outputs[0]?.hit?.signedBy, s.trusted.name);
    assert.equal(item('core-lib', 'package').status.outputs[0]?.hit?.url, `file://${s.fileCache}`);
    assert.match(
      item('web-ui', 'wasm build').status.detail ?? '',
      /signed by nixify-untrusted-1, which trusted-public-keys does not list/,
    );
    assert.match(item('Other', 'packages.wasm-bindgen-cli').status.detail ?? '', /unsigned/);
    const doc = item('Workspace', 'doc').status.outputs.map((o) => [o.output, o.status]);
    assert.deepEqual(doc.sort(), [
      ['html', 'build'],
      ['out', 'local'],
    ]);
    assert.deepEqual(item('Workspace', 'dependencies').item.artifactsOf.sort(), [
      `checks.${SYSTEM}.workspace-clippy`,
      `checks.${SYSTEM}.workspace-doc`,
      `checks.${SYSTEM}.workspace-test`,
    ]);
    assert.deepEqual(result.plan.substituters, [`file://${s.fileCache}`, s.http.url]);
    assert.equal(result.plan.notes.length, 1);
    assert.match(
      result.plan.notes[0] ?? '',
      /^https:\/\/fixture-cache\.invalid \(declared by the flake\) is not used.*extra-substituters = https:\/\/fixture-cache\.invalid/,
    );
  });

  it('asks the HTTP cache over kept-alive connections, in one request per missing path', async () => {
    const before = await s.http.stats();
    await status(undefined, { concurrency: 2 });
    const after = await s.http.stats();
    // nix-cache-info, then the 7 missing outputs (app, core-lib, web-ui, wasm-bindgen-cli, html, image, …).
    const requests = after.requests - before.requests;
    assert.ok(requests >= 8, `${requests} requests`);
    // Two connections at most for the narinfos (concurrency 2), plus the one `stats()` opened.
    assert.ok(
      after.connections - before.connections <= 3,
      `${after.connections - before.connections} connections`,
    );
  });

  it('an unreachable cache turns every "build" into "unknown" and leaves local and cached alone', async () => {
    const port = await closedPort();
    const config = s
      .cacheConfig()
      .map((line) => (line.startsWith('substituters =') ? `${line} http://127.0.0.1:${port}` : line));
    const result = await status(config);
    assert.deepEqual(
      rows(result),
      EXPECTED.map(([g, l, st]): Row => [g, l, st === 'build' ? 'unknown' : st]),
    );
    assert.equal(result.summary, '4 local · 2 cached · 0 to build · 8 unknown');
    const detail = result.statuses.get(result.groups.workspace[1]?.drvPath ?? '')?.detail ?? '';
    assert.match(detail, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
  });

  it("uses the flake's declared cache only once the user trusts it, and says its key is not trusted", async () => {
    const result = await status([...s.cacheConfig(), 'trusted-substituters = https://fixture-cache.invalid']);
    assert.deepEqual(result.plan.substituters, [
      `file://${s.fileCache}`,
      s.http.url,
      'https://fixture-cache.invalid',
    ]);
    assert.deepEqual(result.plan.flakeSubstituters, [
      { url: 'https://fixture-cache.invalid', trusted: true },
    ]);
    assert.equal(result.plan.notes.length, 1);
    assert.match(result.plan.notes[0] ?? '', /fixture-cache\.invalid-1:.* is not in trusted-public-keys/);
    // The machine is offline: the declared cache cannot answer, so nothing missing is "build".
    assert.equal(result.counts.build, 0);
  });

  it('nix path-info --store reads the file:// cache the same as Nixify reads its files', async () => {
    const paths = Object.values(s.outputs).flatMap((o) => Object.values(o));
    const url = `file://${s.fileCache}`;
    const options = { nix: nixBin, env: s.env() };
    const [direct, viaNix] = await Promise.all([
      queryCache(url, paths, options),
      queryCacheWithNix(url, paths, options),
    ]);
    const summary = (answers: Map<string, CacheAnswer>) =>
      [...answers].map(([p, a]) => [
        p,
        a.kind,
        a.kind === 'found' ? a.info.sigs : [],
        a.kind === 'found' ? a.info.narSize : 0,
      ]);
    assert.deepEqual(summary(viaNix), summary(direct));
    assert.equal([...direct.values()].filter((a) => a.kind === 'found').length, 3);
  });

  it('nixify status prints the same table and JSON, exit 0', async () => {
    const env = { ...s.env(), PATH: `${nix.binDir}:${process.env['PATH'] ?? ''}` };
    const run = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        cwd: s.dir,
        env,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
      });
      return { code, stdout, stderr };
    };
    const json = await run(['status', '--json', '--system', SYSTEM]);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as {
      summary: string;
      groups: { name: string; items: { label: string; status: string }[] }[];
    };
    assert.equal(parsed.summary, '4 local · 2 cached · 8 to build');
    const flat = parsed.groups.flatMap((g) =>
      g.items.map((i) => [g.name === 'Other outputs' ? 'Other' : g.name, i.label, i.status]),
    );
    assert.deepEqual(flat, EXPECTED);
    // The list a CI planning step reads: one entry per derivation, with the installable and system.
    const list = (
      JSON.parse(json.stdout) as {
        derivations: { attribute: string | null; status: string; system: string; drvPath: string }[];
      }
    ).derivations;
    assert.equal(list.length, EXPECTED.length);
    assert.deepEqual(
      list.map((d) => d.status),
      flat.map(([, , state]) => state),
    );
    assert.ok(list.every((d) => d.system === SYSTEM && d.drvPath.endsWith('.drv')));
    const toBuild = list.filter((d) => d.status === 'build' && d.attribute !== null).map((d) => d.attribute);
    assert.ok(
      toBuild.length > 0 &&
        toBuild.every(
          (a) =>
            a?.startsWith(`checks.${SYSTEM}.`) ||
            a?.startsWith(`packages.${SYSTEM}.`) ||
            a?.startsWith(`devShells.${SYSTEM}.`),
        ),
      toBuild.join(' '),
    );
    const table = await run(['status', '.']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(
      table.stdout,
      /^app\n {2}package +cached +app-0\.1\.0 +from http:\/\/127\.0\.0\.1:\d+, signed by nixify-trusted-1/m,
    );
    assert.match(table.stdout, /\n4 local · 2 cached · 8 to build\n/);
    assert.match(
      table.stdout,
      /note: https:\/\/fixture-cache\.invalid \(declared by the flake\) is not used/,
    );
  });

  it('remembers answers by drv path: asking again starts no process, a forgotten derivation one batch', async () => {
    const options = { nix: nixBin, env: s.env() };
    const flake = await evalFlakeDerivations(s.dir, options);
    const items = allItems(groupProjectDerivations(flake, projects()));
    const plan = planSubstituters(await readNixConfig(options), flake.cache);
    const service = new CacheStatusService();
    const started: string[] = [];
    const listener = onProcessStart((event) => started.push(path.basename(event.file)));
    try {
      const first = await service.classify(items, plan, options);
      assert.deepEqual(started, ['nix-store']);
      started.length = 0;
      assert.deepEqual(await service.classify(items, plan, options), first);
      assert.deepEqual(started, []);
      service.invalidate([items[0]?.drvPath ?? '']);
      await service.classify(items, plan, options);
      assert.deepEqual(started, ['nix-store']);
      started.length = 0;
      await service.classify(items, plan, { ...options, fresh: true });
      assert.deepEqual(started, ['nix-store']);
    } finally {
      listener.dispose();
    }
  });

  it('a real nix build then builds exactly the "build" items and downloads exactly the "cached" outputs', async function () {
    this.timeout(300_000);
    const result = await status();
    const items = allItems(result.groups);
    const expectBuilt = items
      .filter((i) => result.statuses.get(i.drvPath)?.status === 'build')
      .map((i) => i.drvPath);
    const expectFetched = items.flatMap((i) =>
      (result.statuses.get(i.drvPath)?.outputs ?? []).filter((o) => o.status === 'cached').map((o) => o.path),
    );
    // Every output of every item ("local" means all of them): `attr^*` on modern Nix, one `attr.<output>`
    // each on 2.8, which knows no `^`. Dependency artifacts have no attribute of their own; they are
    // built through their consumers.
    const modern = nix.version[0] > 2 || nix.version[1] >= 18;
    const installables = items.flatMap((i) =>
      i.attributes
        .slice(0, 1)
        .flatMap((a) => (modern ? [`${a}^*`] : Object.keys(i.outputs).map((o) => `${a}.${o}`)))
        .map((a) => `git+file://${s.dir}#${a}`),
    );
    const run = spawnSync(
      nixBin,
      ['build', '--no-link', '--log-format', 'internal-json', ...buildArgs(nix), ...installables],
      { cwd: s.dir, env: s.env(), encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    assert.equal(run.status, 0, run.stderr.slice(-3000));
    const built = new Set<string>();
    const fetched = new Set<string>();
    for (const line of run.stderr.split('\n')) {
      if (!line.startsWith('@nix ')) continue;
      const event = JSON.parse(line.slice(5)) as { action: string; type?: number; fields?: string[] };
      if (event.action !== 'start') continue;
      if (event.type === 105 && event.fields?.[0]) built.add(event.fields[0]); // actBuild
      if (event.type === 108 && event.fields?.[0]) fetched.add(event.fields[0]); // actSubstitute
    }
    assert.deepEqual([...built].sort(), [...expectBuilt].sort());
    assert.deepEqual([...fetched].sort(), [...expectFetched].sort());

    const afterwards = await status();
    assert.equal(afterwards.summary, '14 local · 0 cached · 0 to build');
  });
});
