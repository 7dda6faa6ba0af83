import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  errorLocation,
  firstErrorLine,
  parseNixEvalErrors,
  stripAnsi,
  type NixEvalDiagnostic,
} from '../../../../src/core/nix/evalError';
import {
  caseDir,
  expectedFor,
  NIX_ERROR_CASES,
  NIX_ERROR_COMMANDS,
  NIX_ERROR_VERSIONS,
  readRecording,
  type ExpectedNixError,
} from '../../../shared/nixErrorCases';

const HASH = 'q3nrmcfjx3ghdfiaj5fa9m0vbgyrgkj6';
const OTHER = 'a'.repeat(32);
const WS = '/ws';
/** For the synthetic outputs: /ws holds flake.nix and nix/crate.nix, nothing else. */
const wsFiles = new Set(['/ws/flake.nix', '/ws/nix/crate.nix']);
const inWs = { gitRoot: null, isCopyOf: (_store: string, local: string) => wsFiles.has(local) };

function recorded(version: (typeof NIX_ERROR_VERSIONS)[number], name: string, command: string) {
  const c = NIX_ERROR_CASES.find((x) => x.name === name);
  assert.ok(c);
  const root = caseDir(c);
  const cmd = NIX_ERROR_COMMANDS.find((x) => x === command);
  assert.ok(cmd);
  const text = readRecording(version, c, cmd, root);
  const [d] = parseNixEvalErrors(text, path.join(root, c.flakeSubdir), { gitRoot: root });
  assert.ok(d);
  return { d, root, text };
}

function summary(d: NixEvalDiagnostic, root: string): ExpectedNixError {
  return {
    file: path.relative(root, d.file),
    line: d.line,
    column: d.column,
    ...(d.endColumn !== undefined && { endColumn: d.endColumn }),
    message: d.message,
    located: d.located,
  };
}

/** What Nix 2.8 writes to a terminal (seen under `script`): colours, `\x1b[K`, CR LF. */
function asOnTerminal(text: string): string {
  return `\r\x1b[0m\x1b[K\r\x1b[K${text}`
    .replace(/^error:/gm, '\x1b[31;1merror:\x1b[0m')
    .replace(/'([^'\n]+)'/g, "'\x1b[35;1m$1\x1b[0m'")
    .replace(/^(\s+)at (\S+?:\d+:\d+):$/gm, '$1\x1b[34;1mat \x1b[35;1m$2\x1b[0m:')
    .replace(/\n/g, '\r\n');
}

describe('core/nix/evalError', () => {
  describe('recorded outputs of Nix 2.8 and 2.26', () => {
    for (const version of NIX_ERROR_VERSIONS) {
      for (const c of NIX_ERROR_CASES) {
        for (const command of NIX_ERROR_COMMANDS) {
          it(`${version}: ${c.name} through ${command}`, () => {
            const root = caseDir(c);
            const text = readRecording(version, c, command, root);
            const diagnostics = parseNixEvalErrors(text, path.join(root, c.flakeSubdir), { gitRoot: root });
            assert.equal(diagnostics.length, 1);
            const [d] = diagnostics;
            assert.ok(d);
            assert.deepEqual(summary(d, root), expectedFor(c, version, command));
            assert.equal(d.severity, 'error');
            if (d.endColumn !== undefined) assert.equal(d.endLine, d.line);
          });
        }
      }
    }
  });

  it('orders the 2.26 trace innermost first and maps the frames that are in the folder', () => {
    const { d, root } = recorded('2.26', 'type-error', 'print-dev-env');
    assert.deepEqual(
      d.trace.map((f) => [f.message, f.location && path.relative(root, f.location.file), f.location?.line]),
      [
        ["while evaluating attribute 'JOBS' of derivation 'nix-errors-shell'", 'flake.nix', 10],
        [
          "while evaluating derivation 'nix-errors-shell'\nwhose name attribute is located at " +
            `/nix/store/jsp5zfzw9ylkqyz42j6dgj0l8jyhgd0m-source/shell.nix:3:3`,
          'shell.nix',
          3,
        ],
        ["while calling the 'derivationStrict' builtin", null, undefined],
      ],
    );
    // Nixify's own expression (`«string»`) is never a place in the folder.
    const evaluated = recorded('2.26', 'undefined-variable', 'eval').d;
    assert.equal(evaluated.trace.length, 3);
    assert.ok(evaluated.trace.every((f) => f.location === null));
    // 2.8 prints no trace without --show-trace.
    assert.deepEqual(recorded('2.8', 'undefined-variable', 'eval').d.trace, []);
  });

  it('reads the 2.8 trace of --show-trace, printed after the error, innermost first', () => {
    const text = [
      "error: undefined variable 'oops'",
      '',
      `       at /nix/store/${HASH}-source/nix/crate.nix:4:9:`,
      '',
      '            3| {',
      '            4|   src = oops;',
      '             |         ^',
      '',
      "       … while evaluating the attribute 'src'",
      '',
      `       at /nix/store/${HASH}-source/flake.nix:12:5:`,
      '',
      "       … while evaluating the attribute 'packages'",
      '',
      '       at «string»:3:1:',
    ].join('\n');
    const [d] = parseNixEvalErrors(text, WS, inWs);
    assert.deepEqual([d?.file, d?.line, d?.column, d?.endColumn], ['/ws/nix/crate.nix', 4, 9, 13]);
    assert.deepEqual(
      d?.trace.map((f) => [f.message, f.location?.file, f.location?.line]),
      [
        ["while evaluating the attribute 'src'", '/ws/flake.nix', 12],
        ["while evaluating the attribute 'packages'", undefined, undefined],
      ],
    );
  });

  it('drops locations outside the folder for the innermost one inside it, else flake.nix line 1', () => {
    const nixpkgs = [
      'error:',
      "       … while evaluating attribute 'buildInputs'",
      `         at /nix/store/${HASH}-source/flake.nix:20:7:`,
      '',
      '       … from call site',
      `         at /nix/store/${HASH}-source/nix/crate.nix:8:3:`,
      '',
      "       error: attribute 'opensll' missing",
      `       at /nix/store/${OTHER}-source/pkgs/top-level/all-packages.nix:100:5:`,
    ].join('\n');
    const [d] = parseNixEvalErrors(nixpkgs, WS, inWs);
    assert.deepEqual([d?.file, d?.line, d?.column, d?.located], ['/ws/nix/crate.nix', 8, 3, true]);
    assert.equal(d?.message, "attribute 'opensll' missing");

    const nowhere = 'error:\n       … while evaluating\n         at «none»:0:\n\n       error: boom';
    assert.deepEqual(parseNixEvalErrors(nowhere, WS, inWs), [
      {
        file: '/ws/flake.nix',
        line: 1,
        column: 1,
        message: 'boom',
        severity: 'error',
        located: false,
        trace: [{ message: 'while evaluating', location: null }],
      },
    ]);
    // A shell.nix dev shell has no flake.nix to fall back on.
    const [fallback] = parseNixEvalErrors(nowhere, WS, { ...inWs, fallbackFile: '/ws/shell.nix' });
    assert.deepEqual([fallback?.file, fallback?.line, fallback?.located], ['/ws/shell.nix', 1, false]);
    // An absolute path outside the folder is dropped, one inside it kept as it is.
    assert.equal(errorLocation('error: x\n       at /elsewhere/a.nix:3:7:', WS, inWs).line, 1);
    assert.deepEqual(errorLocation('error: x\n       at /ws/flake.nix:3:7', WS, inWs), {
      file: '/ws/flake.nix',
      line: 3,
      column: 7,
    });
  });

  it("maps a store copy only to the folder's file it is a copy of", () => {
    const text = `error: x\n       at /nix/store/${OTHER}-source/default.nix:2:1:`;
    // An input's default.nix: the folder has one too, but with other content.
    assert.equal(errorLocation(text, WS, { gitRoot: null, isCopyOf: () => false }).file, '/ws/flake.nix');
    assert.equal(errorLocation(text, WS, { gitRoot: null, isCopyOf: () => true }).file, '/ws/default.nix');
  });

  it("strips the flake's path in its git repository from the repository's store copy", () => {
    const text = `error: x\n       at /nix/store/${HASH}-source/crates/app/nix/crate.nix:9:1:`;
    const isCopyOf = (_: string, local: string) => local === '/repo/crates/app/nix/crate.nix';
    assert.deepEqual(errorLocation(text, '/repo/crates/app', { gitRoot: '/repo', isCopyOf }), {
      file: '/repo/crates/app/nix/crate.nix',
      line: 9,
      column: 1,
    });
    // A file of the repository outside the flake's folder is not in the folder.
    const outside = `error: x\n       at /nix/store/${HASH}-source/other/x.nix:9:1:`;
    assert.equal(
      errorLocation(outside, '/repo/crates/app', { gitRoot: '/repo', isCopyOf: () => true }).line,
      1,
    );
  });

  it('reads coloured output (Nix on a terminal) as the plain one', () => {
    for (const version of NIX_ERROR_VERSIONS) {
      const { text, root, d } = recorded(version, 'missing-attribute', 'print-dev-env');
      const coloured = asOnTerminal(text);
      assert.notEqual(coloured, text);
      assert.equal(stripAnsi(coloured).replace(/\r/g, ''), `\n${text}`.replace(/^\n/, ''));
      const [again] = parseNixEvalErrors(coloured, root, { gitRoot: root });
      assert.deepEqual(again, d);
    }
  });

  it('reads a tail of stderr, as in the message of a failed `nix eval`, and finds the real message', () => {
    const { text, root } = recorded('2.26', 'type-error', 'eval');
    const tail = text.trimEnd().split('\n').slice(-8).join('\n');
    const message = `\`nix eval --json --impure --expr …\` exited with code 1:\n${tail}`;
    assert.equal(firstErrorLine(message), 'cannot add a string to an integer');
    assert.deepEqual(errorLocation(message, root, { gitRoot: root }), {
      file: path.join(root, 'flake.nix'),
      line: 10,
      column: 29,
    });
    // The 2.26 head `error:` is empty: the label must not be.
    assert.equal(firstErrorLine(text), 'cannot add a string to an integer');
    assert.equal(firstErrorLine('`nix eval …` exited with code 1:\nerror: boom\n  at x'), 'boom');
    assert.equal(firstErrorLine('something else went wrong'), 'something else went wrong');
  });

  it('gives one diagnostic per error, none without one; ignores progress and warnings before it', () => {
    const text = [
      "warning: Git tree '/ws' is dirty",
      "building '/nix/store/x.drv'...",
      'error: first',
      '',
      `       at /nix/store/${HASH}-source/flake.nix:2:3:`,
      'error: second',
      '       Did you mean third?',
    ].join('\n');
    const diagnostics = parseNixEvalErrors(text, WS, inWs);
    assert.deepEqual(
      diagnostics.map((d) => [d.message, d.line, d.located]),
      [
        ['first', 2, true],
        ['second\nDid you mean third?', 1, false],
      ],
    );
    assert.deepEqual(parseNixEvalErrors("warning: Git tree '/ws' is dirty\n", WS, inWs), []);
    assert.deepEqual(parseNixEvalErrors('', WS, inWs), []);
  });
});
