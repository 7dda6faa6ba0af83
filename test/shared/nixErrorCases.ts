// The broken flakes of test/fixtures/nix-errors/cases, what Nix 2.8 and 2.26 said about each (the
// recordings next to them) and where Nixify must put the diagnostic. The unit tier parses the
// recordings; the nix tier runs both Nix versions live and checks they still say the same.
import * as fs from 'node:fs';
import * as path from 'node:path';

// Compiled to out/test/shared/, three levels below the repository root.
const REPO_ROOT = path.resolve(__dirname, '../../..');
export const NIX_ERRORS_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'nix-errors');
export const NIX_ERROR_CASES_DIR = path.join(NIX_ERRORS_DIR, 'cases');

/** Stands for the case's copy (the git repository's root) in the recordings. */
export const CASE_PLACEHOLDER = '@CASE@';

/** Recordings are kept per `major.minor`. */
export const NIX_ERROR_VERSIONS = ['2.8', '2.26'] as const;
export type NixErrorVersion = (typeof NIX_ERROR_VERSIONS)[number];

/**
 * The Nix calls Nixify makes that evaluate a flake: the dev shell's `nix print-dev-env --json`
 * (src/core/devenv/evaluate.ts) and the Derivations view's `nix eval --json --impure --expr
 * builtins.getFlake …` (src/core/derivations/flakeOutputs.ts).
 */
export const NIX_ERROR_COMMANDS = ['print-dev-env', 'eval'] as const;
export type NixErrorCommand = (typeof NIX_ERROR_COMMANDS)[number];

export interface ExpectedNixError {
  /** Relative to the case's directory. */
  file: string;
  line: number;
  column: number;
  /** Set when the excerpt shows a word at the location. */
  endColumn?: number;
  message: string;
  /** False: Nix named no place in the flake, so the diagnostic sits at flake.nix:1:1. */
  located: boolean;
}

export interface NixErrorCase {
  name: string;
  /** The flake's directory inside the case (the case itself is the git repository's root). */
  flakeSubdir: string;
  /** Per Nix version: what both commands give, and where one of them differs. */
  expected: Record<
    NixErrorVersion,
    { all: ExpectedNixError } & Partial<Record<NixErrorCommand, ExpectedNixError>>
  >;
}

function both(expected: ExpectedNixError): NixErrorCase['expected'] {
  return { '2.8': { all: expected }, '2.26': { all: expected } };
}

function syntaxError(message: string): ExpectedNixError {
  return { file: 'flake.nix', line: 6, column: 5, endColumn: 7, message, located: true };
}

function unlocated(message: string): ExpectedNixError {
  return { file: 'flake.nix', line: 1, column: 1, message, located: false };
}

const THROWN = 'nix-errors: x86_64-linux is not supported';

export const NIX_ERROR_CASES: readonly NixErrorCase[] = [
  {
    name: 'syntax-error',
    flakeSubdir: '',
    expected: {
      '2.8': { all: syntaxError("syntax error, unexpected IN, expecting ';'") },
      '2.26': { all: syntaxError("syntax error, unexpected IN_KW, expecting ';'") },
    },
  },
  {
    name: 'undefined-variable',
    flakeSubdir: '',
    expected: both({
      file: 'nix/shell.nix',
      line: 7,
      column: 13,
      endColumn: 18,
      message: "undefined variable 'toolz'",
      located: true,
    }),
  },
  {
    name: 'missing-attribute',
    flakeSubdir: '',
    expected: both({
      file: 'flake.nix',
      line: 10,
      column: 26,
      endColumn: 34,
      message: "attribute 'greting' missing\nDid you mean greeting?",
      located: true,
    }),
  },
  {
    // Nix 2.8 gives a throw no location without --show-trace; 2.26 names the `throw` call, except
    // when the trace above it is all Nixify's own expression.
    name: 'throw',
    flakeSubdir: '',
    expected: {
      '2.8': { all: unlocated(THROWN) },
      '2.26': {
        all: unlocated(THROWN),
        'print-dev-env': {
          file: 'flake.nix',
          line: 11,
          column: 14,
          endColumn: 19,
          message: THROWN,
          located: true,
        },
      },
    },
  },
  {
    name: 'assertion',
    flakeSubdir: '',
    expected: both({
      file: 'flake.nix',
      line: 9,
      column: 9,
      endColumn: 15,
      message: `assertion '(! (__lessThan ((builtins).compareVersions version "1.0") 0))' failed`,
      located: true,
    }),
  },
  {
    name: 'type-error',
    flakeSubdir: '',
    expected: both({
      file: 'flake.nix',
      line: 10,
      column: 29,
      message: 'cannot add a string to an integer',
      located: true,
    }),
  },
  {
    name: 'infinite-recursion',
    flakeSubdir: '',
    expected: both({
      file: 'flake.nix',
      line: 6,
      column: 15,
      endColumn: 20,
      message: 'infinite recursion encountered',
      located: true,
    }),
  },
  {
    // The flake is in `sub/` of the repository: Nix names `<hash>-source/sub/flake.nix`.
    name: 'subdir',
    flakeSubdir: 'sub',
    expected: both({
      file: 'sub/flake.nix',
      line: 9,
      column: 22,
      endColumn: 33,
      message: "undefined variable 'projectName'",
      located: true,
    }),
  },
];

export function expectedFor(
  c: NixErrorCase,
  version: NixErrorVersion,
  command: NixErrorCommand,
): ExpectedNixError {
  const forVersion = c.expected[version];
  return forVersion[command] ?? forVersion.all;
}

export function caseDir(c: NixErrorCase): string {
  return path.join(NIX_ERROR_CASES_DIR, c.name);
}

export function recordingPath(version: NixErrorVersion, c: NixErrorCase, command: NixErrorCommand): string {
  return path.join(NIX_ERRORS_DIR, version, `${c.name}.${command}.txt`);
}

/** A recording with the placeholder put back: `root` is where the case's files are. */
export function readRecording(
  version: NixErrorVersion,
  c: NixErrorCase,
  command: NixErrorCommand,
  root: string,
): string {
  return fs.readFileSync(recordingPath(version, c, command), 'utf8').replaceAll(CASE_PLACEHOLDER, root);
}

/** Stable text to record: the copy's path (it changes every run) becomes the placeholder. */
export function normaliseRecording(stderr: string, root: string): string {
  return stderr.replaceAll(root, CASE_PLACEHOLDER);
}

/** The version a recording is kept under, e.g. `2.26` for Nix 2.26.3; null for others. */
export function recordingVersion(version: readonly [number, number]): NixErrorVersion | null {
  const key = `${version[0]}.${version[1]}`;
  return (NIX_ERROR_VERSIONS as readonly string[]).includes(key) ? (key as NixErrorVersion) : null;
}
