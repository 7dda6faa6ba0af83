import * as assert from 'node:assert/strict';
import { parseCliArgs, UsageError } from '../../../src/cli/args';

describe('parseCliArgs', () => {
  it('reads detect with no operands', () => {
    assert.deepEqual(parseCliArgs(['detect']), {
      command: 'detect',
      dir: undefined,
      json: false,
      ignoredDirectories: [],
      maxDepth: undefined,
    });
  });

  it('reads every detect option, in any order', () => {
    assert.deepEqual(
      parseCliArgs([
        'detect',
        '--ignore',
        'vendor',
        'some/dir',
        '--json',
        '--max-depth',
        '3',
        '--ignore=third_party',
      ]),
      {
        command: 'detect',
        dir: 'some/dir',
        json: true,
        ignoredDirectories: ['vendor', 'third_party'],
        maxDepth: 3,
      },
    );
  });

  it('answers --help and --version before anything else', () => {
    assert.deepEqual(parseCliArgs(['--help']), { command: 'help' });
    assert.deepEqual(parseCliArgs(['detect', '-h']), { command: 'help' });
    assert.deepEqual(parseCliArgs(['--version']), { command: 'version' });
    assert.deepEqual(parseCliArgs(['-V']), { command: 'version' });
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['no command', [], /missing command/],
    ['an unknown command', ['build'], /unknown command 'build'/],
    ['an unknown flag', ['detect', '--frobnicate'], /Unknown option '--frobnicate'/],
    ['a flag missing its value', ['detect', '--max-depth'], /--max-depth/],
    ['two directories', ['detect', 'a', 'b'], /one directory/],
    ['a depth of zero', ['detect', '--max-depth', '0'], /from 1 to 64, got '0'/],
    ['a depth too large', ['detect', '--max-depth', '65'], /got '65'/],
    ['a depth that is not a number', ['detect', '--max-depth', 'deep'], /got 'deep'/],
    ['a fractional depth', ['detect', '--max-depth', '2.5'], /got '2.5'/],
    ['an empty ignore name', ['detect', '--ignore', ''], /--ignore needs a directory name/],
  ];
  for (const [what, argv, message] of usageErrors) {
    it(`rejects ${what}`, () => {
      assert.throws(
        () => parseCliArgs(argv),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
      );
    });
  }
});

describe('parseCliArgs init', () => {
  it('keeps only the options given as flags', () => {
    assert.deepEqual(
      parseCliArgs(['init', 'ws', '--toolchain', 'fenix', '--no-ci', '--oci', '--cachix', 'c']),
      {
        command: 'init',
        dir: 'ws',
        options: { toolchain: 'fenix', ci: false, oci: true, cachix: 'c' },
        dryRun: false,
        onConflict: 'refuse',
      },
    );
  });

  it('maps --force and --beside to the conflict decision and --dry-run to a plan only', () => {
    const force = parseCliArgs(['init', '--force']);
    assert.ok(force.command === 'init' && force.onConflict === 'replace' && force.dir === undefined);
    const beside = parseCliArgs(['init', '--beside', '--dry-run']);
    assert.ok(beside.command === 'init' && beside.onConflict === 'beside' && beside.dryRun);
    const none = parseCliArgs(['init', '--no-cachix']);
    assert.ok(none.command === 'init' && none.options.cachix === null);
  });

  it('reads --deps workspace and --deps per-crate', () => {
    for (const layout of ['workspace', 'per-crate'] as const) {
      const parsed = parseCliArgs(['init', '--deps', layout]);
      assert.ok(parsed.command === 'init');
      assert.deepEqual(parsed.options, { deps: layout });
    }
  });

  it('reads --ci-mode and --ci-max-jobs', () => {
    const single = parseCliArgs(['init', '--ci-mode', 'single']);
    assert.ok(single.command === 'init');
    assert.deepEqual(single.options, { ciMode: 'single' });
    const planned = parseCliArgs(['init', '--ci-mode=planned', '--ci-max-jobs', '20']);
    assert.ok(planned.command === 'init');
    assert.deepEqual(planned.options, { ciMode: 'planned', ciMaxJobs: 20 });
  });

  it("accepts --deps shared, Nixify 0.1's name, as the workspace layout", () => {
    const parsed = parseCliArgs(['init', '--deps', 'shared']);
    assert.ok(parsed.command === 'init');
    assert.deepEqual(parsed.options, { deps: 'workspace' });
    const inline = parseCliArgs(['init', '--deps=shared']);
    assert.ok(inline.command === 'init' && inline.options.deps === 'workspace');
  });

  for (const [argv, message] of [
    [['init', '--toolchain', 'gcc'], /--toolchain must be one of rust-overlay, fenix, nixpkgs/],
    [['init', '--deps', 'all'], /--deps must be one of workspace, per-crate, got 'all'/],
    [['init', '--deps', 'bogus'], /--deps must be one of workspace, per-crate, got 'bogus'/],
    [['init', '--ci', '--no-ci'], /contradict/],
    [['init', '--ci-mode', 'matrix'], /--ci-mode must be one of planned, single, got 'matrix'/],
    [['init', '--ci-max-jobs', '0'], /--ci-max-jobs must be a whole number from 1 to 256, got '0'/],
    [['init', '--ci-max-jobs', 'many'], /--ci-max-jobs must be a whole number from 1 to 256/],
    [['status', '--ci-max-jobs', '3'], /--ci-max-jobs is an option of init, not status/],
    [['init', '--force', '--beside'], /contradict/],
    [['init', '--json'], /--json is an option of detect/],
    [['init', 'a', 'b'], /init takes one directory/],
  ] as const) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseCliArgs([...argv]),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
      );
    });
  }
});
