import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCliArgs, UsageError } from '../../../src/cli/args';
import { defaultStorageDir, envJson, formatEnv } from '../../../src/cli/env';
import { EXIT_OK, EXIT_USAGE, runCli } from '../../../src/cli/run';
import { computeCacheKey, shellSourceFor, type LoadedDevShell } from '../../../src/core/devenv';
import { profilePath, writeCachedDevShell } from '../../../src/core/devenv/cacheStore';
import { onProcessStart } from '../../../src/core/process';

const loaded = (fromCache: boolean): LoadedDevShell => ({
  fromCache,
  stale: false,
  env: {
    source: { kind: 'flake', folder: '/work/proj', attr: 'default', system: 'x86_64-linux' },
    delta: {
      set: { GREETING: 'hello', MULTI: 'a\nb' },
      prepend: { PATH: '/nix/store/abc-tool/bin' },
      unset: ['GONE'],
    },
    key: 'k',
    profile: '/cache/proj-1/profile',
    evaluatedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1234,
    nixVersion: 'nix (Nix) 2.8.0',
  },
});

async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(argv, {
    cwd,
    env,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { status, stdout, stderr };
}

describe('nixify env', () => {
  describe('arguments', () => {
    it('parses DIR and its options', () => {
      assert.deepEqual(parseCliArgs(['env']), {
        command: 'env',
        dir: undefined,
        json: false,
        attr: undefined,
        refresh: false,
        storage: undefined,
      });
      assert.deepEqual(
        parseCliArgs(['env', 'proj', '--json', '--attr', 'ci', '--refresh', '--storage', 's']),
        {
          command: 'env',
          dir: 'proj',
          json: true,
          attr: 'ci',
          refresh: true,
          storage: 's',
        },
      );
    });

    it('refuses its options on other commands and other commands’ options on it', () => {
      assert.throws(() => parseCliArgs(['detect', '--attr', 'x']), /--attr is an option of env, not detect/);
      assert.throws(() => parseCliArgs(['init', '--refresh']), /--refresh is an option of env, not init/);
      assert.throws(() => parseCliArgs(['env', '--max-depth', '3']), /--max-depth is not an option of env/);
      assert.throws(() => parseCliArgs(['env', '--attr', '']), UsageError);
      assert.throws(() => parseCliArgs(['env', 'a', 'b']), /one directory/);
    });
  });

  it('keeps its cache under $XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(defaultStorageDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/u'), '/x/cache/nixify/devenv');
    assert.equal(
      defaultStorageDir({ XDG_CACHE_HOME: 'relative' }, '/home/u'),
      '/home/u/.cache/nixify/devenv',
    );
    assert.equal(defaultStorageDir({}, '/home/u'), '/home/u/.cache/nixify/devenv');
  });

  it('reports where the environment came from, then what it prepends, sets and unsets', () => {
    const text = formatEnv(loaded(true), '/work');
    assert.equal(
      text,
      [
        'Dev shell: devShells.x86_64-linux.default of the flake in proj',
        'From the cache: evaluated 2025-01-01T00:00:00.000Z in 1234 ms (nix (Nix) 2.8.0); no nix process ran',
        'GC root: /cache/proj-1/profile',
        '',
        'Prepended (1):',
        '  PATH=/nix/store/abc-tool/bin:$PATH',
        '',
        'Set (2):',
        '  GREETING=hello',
        '  MULTI="a\\nb"',
        '',
        'Unset (1):',
        '  GONE',
        '',
      ].join('\n'),
    );
    assert.match(formatEnv(loaded(false), '/work'), /^Evaluated now in 1234 ms \(nix \(Nix\) 2\.8\.0\)$/m);
    assert.deepEqual(Object.keys(envJson(loaded(true))), [
      'source',
      'fromCache',
      'stale',
      'evaluatedAt',
      'durationMs',
      'nixVersion',
      'profile',
      'key',
      'delta',
    ]);
  });

  describe('runCli env', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nixify-cli-env-')));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('says so when the folder has no flake.nix, shell.nix or default.nix', async () => {
      const { status, stderr } = await run(['env'], dir, process.env);
      assert.equal(status, EXIT_USAGE);
      assert.match(stderr, /no flake\.nix, shell\.nix or default\.nix in /);
    });

    it('refuses --attr for shell.nix', async () => {
      fs.writeFileSync(path.join(dir, 'shell.nix'), '{ }');
      const { status, stderr } = await run(['env', '--attr', 'x'], dir, process.env);
      assert.equal(status, EXIT_USAGE);
      assert.match(stderr, /--attr picks a flake's dev shell/);
    });

    it('prints a cached, up-to-date environment as JSON without starting any process', async () => {
      const project = path.join(dir, 'proj');
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, 'flake.nix'), '{ outputs = _: { }; }');
      const storage = path.join(dir, 'storage');
      const env = { PATH: '/nonexistent' };
      const source = shellSourceFor(project);
      assert.ok(source);
      const profile = profilePath(source, storage);
      fs.mkdirSync(path.dirname(profile), { recursive: true });
      fs.symlinkSync(path.join(project, 'flake.nix'), profile); // stands in for the store path
      const cached = { ...loaded(true).env, source, profile, key: await computeCacheKey(source, { env }) };
      writeCachedDevShell(cached, storage);

      const started: string[] = [];
      const subscription = onProcessStart((event) => started.push(event.file));
      try {
        const { status, stdout, stderr } = await run(
          ['env', 'proj', '--json', '--storage', storage],
          dir,
          env,
        );
        assert.equal(stderr, '');
        assert.equal(status, EXIT_OK);
        const printed = JSON.parse(stdout) as ReturnType<typeof envJson>;
        assert.deepEqual([printed.fromCache, printed.stale], [true, false]);
        assert.deepEqual(printed.delta, cached.delta);
      } finally {
        subscription.dispose();
      }
      assert.deepEqual(started, []);
    });

    it('names a flake.nix that does not parse at DIR/flake.nix:L:C, not at the store copy Nix names', async () => {
      const project = path.join(dir, 'proj');
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, 'flake.nix'), '{\n  outputs = _: { };\noops {\n');
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      // What Nix 2.8 says about this file (recorded), from a stand-in that needs no Nix.
      fs.writeFileSync(
        path.join(bin, 'nix'),
        [
          '#!/bin/sh',
          'case "$*" in *--version*) echo "nix (Nix) 2.8.0"; exit 0;; esac',
          "printf 'error: syntax error, unexpected end of file\\n\\n       at /nix/store/00000000000000000000000000000000-source/flake.nix:3:7:\\n' >&2",
          'exit 1',
          '',
        ].join('\n'),
        { mode: 0o755 },
      );
      const { status, stderr } = await run(['env', 'proj', '--storage', path.join(dir, 'storage')], dir, {
        PATH: `${bin}:/usr/bin:/bin`,
      });
      assert.equal(status, 1);
      assert.match(
        stderr,
        /^nixify: the dev shell did not evaluate:\nproj\/flake\.nix:3:7: error: syntax error, unexpected end of file\n/,
      );
    });

    it('refuses, with exit 1 and no stack, a cache directory that is a file', async () => {
      fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = _: { }; }');
      const storage = path.join(dir, 'storage');
      fs.writeFileSync(storage, 'not a directory');
      const { status, stderr } = await run(['env', '--storage', storage], dir, {
        PATH: path.join(dir, 'no-bin'),
      });
      assert.equal(status, 1);
      const lines = stderr.trimEnd().split('\n');
      assert.match(
        lines[0] ?? '',
        /^nixify: dev-shell cache entry .* ignored: it cannot be read \(ENOTDIR\)/,
      );
      assert.match(
        lines[2] ?? '',
        /^the dev-shell cache cannot be kept in .*storage\/.* \(ENOTDIR\): a part of that path is a file$/,
      );
      assert.equal(lines.length, 3, stderr);
    });

    it('ignores a truncated cache entry with one line on stderr and evaluates again', async () => {
      const project = path.join(dir, 'proj');
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, 'flake.nix'), '{ outputs = _: { }; }');
      const storage = path.join(dir, 'storage');
      const source = shellSourceFor(project);
      assert.ok(source);
      writeCachedDevShell({ ...loaded(true).env, source, profile: profilePath(source, storage) }, storage);
      const file = path.join(path.dirname(profilePath(source, storage)), 'env.json');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 50));

      const { status, stderr } = await run(['env', 'proj', '--storage', storage], dir, {
        PATH: path.join(dir, 'no-bin'),
      });
      assert.equal(status, 1);
      const lines = stderr.trimEnd().split('\n');
      assert.deepEqual(lines.length, 2, stderr);
      assert.match(
        lines[0] ?? '',
        /^nixify: dev-shell cache entry .*env\.json ignored: it is not valid JSON/,
      );
      assert.match(lines[1] ?? '', /nixify env needs Nix/);
    });
  });
});
