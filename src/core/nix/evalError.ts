// Nix's evaluation errors as located problems. Nix prints them for people, in two shapes:
//
// Nix 2.8: the message first, then where, a code excerpt, and (only with --show-trace) the trace,
// innermost frame first:
//   error: undefined variable 'x'
//
//          at /nix/store/<hash>-source/flake.nix:6:10:
//
//               5|   …
//               6|   PATH = x;
//                |          ^
//   (use '--show-trace' to show detailed location information)
//
// Nix 2.18+ (2.26 here): an empty `error:`, the trace outermost frame first (`… while …`, each with
// `at <file>:<line>:<column>:` or `at «string»:…`/`«none»:0:`, or `whose name attribute is located
// at …`), then the innermost error, indented, with its own location when it has one:
//   error:
//          … while calling the 'import' builtin
//            at /nix/store/<hash>-source/flake.nix:5:15:
//          …
//          error: undefined variable 'x'
//          at /nix/store/<hash>-source/shell.nix:6:10:
//
// Nix evaluates a copy of the flake in the store; locations are mapped back to the folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findGitRoot } from '../git';

export interface NixSourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface NixTraceFrame {
  /** e.g. `while evaluating attribute 'FOO' of derivation 's'`. */
  message: string;
  /** Mapped into the folder; null when the frame has none or it lies outside the folder. */
  location: NixSourceLocation | null;
}

export interface NixEvalDiagnostic extends NixSourceLocation {
  /** 1-based, exclusive; set when the excerpt shows a word starting at the location. */
  endLine?: number;
  endColumn?: number;
  /** Nix's own message, without `error:`; more than one line for some errors. */
  message: string;
  severity: 'error' | 'warning';
  /** False when Nix named no place inside the folder, and the diagnostic sits at flake.nix:1:1. */
  located: boolean;
  /** The evaluation trace Nix printed, innermost frame first (empty without one). */
  trace: NixTraceFrame[];
}

export interface ParseNixErrorOptions {
  /**
   * The git work tree holding the flake (Nix copies the whole repository, so a flake in `sub/` is at
   * `<hash>-source/sub/`); default: the nearest ancestor of the folder with a `.git`.
   */
  gitRoot?: string | null;
  /**
   * Whether `localFile` is what Nix read as `storeFile`. Default: the local file exists and the
   * store file is gone or has the same content (an input's `<hash>-source` can hold a same-named file).
   */
  isCopyOf?: (storeFile: string, localFile: string) => boolean;
  /** Where an error Nix gives no place in the folder goes (line 1); default: `<flakeDir>/flake.nix`. */
  fallbackFile?: string;
}

const STORE_SOURCE = /^\/nix\/store\/[0-9a-z]{32}-source(?:\/(.*))?$/;
const LOCATION = /^(.+?):(\d+):(\d+):?$/;
// CSI sequences (colours, `\x1b[K`) and the few two-character escapes Nix's progress bar writes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Za-z0-9]|\u001b[=>78]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

interface Element {
  kind: 'error' | 'frame';
  lines: string[];
  /** As Nix printed it, e.g. `/nix/store/…-source/flake.nix:3:5` or `«string»:3:5`. */
  at: string | null;
  /** Line number → text, from the code excerpt after `at`. */
  excerpt: Map<number, string>;
}

/**
 * Every error Nix reported in `stderr`, located in `flakeDir`: Nix's own location when it is inside
 * the folder, else the innermost trace frame inside it, else line 1 of flake.nix (`fallbackFile`).
 * Handles both formats above, with or without colours; text before the first `error:` (progress,
 * warnings) is ignored.
 */
export function parseNixEvalErrors(
  stderr: string,
  flakeDir: string,
  options: ParseNixErrorOptions = {},
): NixEvalDiagnostic[] {
  const dir = path.resolve(flakeDir);
  const mapper = locationMapper(dir, options);
  const fallback = options.fallbackFile ?? path.join(dir, 'flake.nix');
  return errorBlocks(stderr).map((block) => diagnosticOf(block, fallback, mapper));
}

/** The error's first line (Nix's innermost message), or the text's first meaningful line. */
export function firstErrorLine(text: string, flakeDir = '/'): string {
  const [first] = parseNixEvalErrors(text, flakeDir, { isCopyOf: () => false, gitRoot: null });
  const message = first?.message.split('\n')[0];
  if (message !== undefined && message !== '') return message;
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('`'));
  return (line ?? text).replace(/^error:\s*/, '');
}

/**
 * The first error, when Nix located it in a file of `flakeDir` (not at the fallback's line 1), with
 * the first line of its message: what to put before Nix's own text, since Nix names its store copy.
 */
export function firstLocatedError(
  stderr: string,
  flakeDir: string,
  options: ParseNixErrorOptions = {},
): (NixSourceLocation & { message: string }) | null {
  const [first] = parseNixEvalErrors(stderr, flakeDir, options);
  if (first === undefined || !first.located) return null;
  return {
    file: first.file,
    line: first.line,
    column: first.column,
    message: first.message.split('\n')[0] ?? '',
  };
}

/** Where the first error points (see `parseNixEvalErrors`); flake.nix line 1 when nowhere. */
export function errorLocation(
  text: string,
  flakeDir: string,
  options: ParseNixErrorOptions = {},
): NixSourceLocation {
  const [first] = parseNixEvalErrors(text, flakeDir, options);
  return first
    ? { file: first.file, line: first.line, column: first.column }
    : { file: options.fallbackFile ?? path.join(path.resolve(flakeDir), 'flake.nix'), line: 1, column: 1 };
}

/** Lines of each error: from an `error:` in the first column to the next one. */
function errorBlocks(stderr: string): string[][] {
  const lines = stripAnsi(stderr).replace(/\r/g, '').split('\n');
  const starts = lines.flatMap((line, i) => (/^error:/.test(line) ? [i] : []));
  if (starts.length === 0) {
    // A tail of stderr (say a message's last lines) can begin inside the trace.
    const nested = lines.findIndex((line) => /^\s*error:/.test(line));
    return nested < 0 ? [] : [lines.slice(nested)];
  }
  return starts.map((start, i) => lines.slice(start, starts[i + 1]));
}

function parseElements(block: readonly string[]): Element[] {
  const elements: Element[] = [];
  let current: Element | undefined;
  // 'message': lines extend the message; 'gap': a blank line ended it; 'excerpt': after `at`.
  let mode: 'message' | 'gap' | 'excerpt' = 'message';
  for (const raw of block) {
    const text = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^error:\s?(.*)$/.exec(text))) {
      current = { kind: 'error', lines: [m[1] ?? ''], at: null, excerpt: new Map() };
      elements.push(current);
      mode = 'message';
    } else if ((m = /^…\s?(.*)$/.exec(text))) {
      current = { kind: 'frame', lines: [m[1] ?? ''], at: null, excerpt: new Map() };
      elements.push(current);
      mode = 'message';
    } else if (current === undefined) {
      continue;
    } else if ((m = /^at (.+)$/.exec(text)) && (LOCATION.test(m[1] ?? '') || /^[«<]/.test(m[1] ?? ''))) {
      current.at ??= m[1] ?? null;
      mode = 'excerpt';
    } else if ((m = /^(\d+)\|(?: (.*))?$/.exec(text))) {
      // The excerpt's text after `| `: `raw` keeps the line's own indentation.
      const bar = raw.indexOf('|');
      current.excerpt.set(Number(m[1]), raw.slice(bar + 2));
      mode = 'excerpt';
    } else if (/^\|/.test(text) || /^\((use '--show-trace'|stack trace truncated)/.test(text)) {
      continue;
    } else if (text === '') {
      if (mode === 'message') mode = 'gap';
    } else if (current.kind === 'frame' && (m = /\blocated at (.+)$/.exec(text))) {
      current.lines.push(text);
      current.at ??= m[1] ?? null;
    } else if (mode === 'message') {
      current.lines.push(text);
    } else if (current.kind === 'error' && (mode === 'excerpt' || current.at === null)) {
      // A later paragraph of the message, such as "Did you mean greeting?" after the excerpt.
      current.lines.push(text);
      mode = 'message';
    }
  }
  return elements;
}

function diagnosticOf(
  block: readonly string[],
  fallbackFile: string,
  mapper: (at: string | null) => NixSourceLocation | null,
): NixEvalDiagnostic {
  const elements = parseElements(block);
  const messageOf = (e: Element) => e.lines.join('\n').trim();
  // Nix 2.18+ opens with an empty `error:` and ends with the real (innermost) one.
  const errors = elements.filter((e) => e.kind === 'error');
  const error = errors.filter((e) => messageOf(e) !== '').at(-1) ?? errors[0];
  const errorIndex = error ? elements.indexOf(error) : 0;
  // Innermost first: 2.8 prints frames after the error, 2.18+ before it, both outward from it.
  const frames = elements
    .map((element, index) => ({ element, distance: Math.abs(index - errorIndex) }))
    .filter(({ element }) => element.kind === 'frame')
    .sort((a, b) => a.distance - b.distance)
    .map(({ element }) => element);
  const trace = frames.map((frame) => ({ message: messageOf(frame), location: mapper(frame.at) }));

  const candidates = [...(error ? [error] : []), ...frames];
  for (const candidate of candidates) {
    const location = mapper(candidate.at);
    if (location === null) continue;
    return {
      ...location,
      ...wordEnd(candidate, location),
      message: error ? messageOf(error) || 'Nix evaluation failed' : 'Nix evaluation failed',
      severity: 'error',
      located: true,
      trace,
    };
  }
  return {
    file: fallbackFile,
    line: 1,
    column: 1,
    message: (error && messageOf(error)) || 'Nix evaluation failed',
    severity: 'error',
    located: false,
    trace,
  };
}

/** The end of the word the location points at, read from the element's code excerpt. */
function wordEnd(element: Element, location: NixSourceLocation): { endLine?: number; endColumn?: number } {
  const text = element.excerpt.get(location.line);
  if (text === undefined) return {};
  const word = /^[A-Za-z_][A-Za-z0-9_'-]*/.exec(text.slice(location.column - 1))?.[0];
  return word ? { endLine: location.line, endColumn: location.column + word.length } : {};
}

/** `at` as Nix printed it → a location inside `flakeDir`, or null (outside, `«string»`, `<nix/…>`). */
function locationMapper(
  flakeDir: string,
  options: ParseNixErrorOptions,
): (at: string | null) => NixSourceLocation | null {
  const isCopyOf = options.isCopyOf ?? sameFile;
  const gitRoot = options.gitRoot === undefined ? findGitRoot(flakeDir) : options.gitRoot;
  const sub = gitRoot === null ? '' : path.relative(gitRoot, flakeDir).split(path.sep).join('/');
  const inside = (file: string) => file === flakeDir || file.startsWith(`${flakeDir}${path.sep}`);
  const cache = new Map<string, string | null>();

  const mapFile = (file: string): string | null => {
    const store = STORE_SOURCE.exec(file);
    if (!store) return path.isAbsolute(file) && inside(path.normalize(file)) ? path.normalize(file) : null;
    const rel = store[1] ?? '';
    if (rel === '') return null;
    // A flake in a subdirectory of a git repository is evaluated from the repository's copy: only
    // files below that subdirectory are in the folder. Otherwise the copy is the folder's own.
    const inRepository = sub !== '' && !sub.startsWith('..');
    const candidates = inRepository ? (rel.startsWith(`${sub}/`) ? [rel.slice(sub.length + 1)] : []) : [rel];
    for (const candidate of candidates) {
      const local = path.join(flakeDir, ...candidate.split('/'));
      if (inside(local) && isCopyOf(file, local)) return local;
    }
    return null;
  };

  return (at) => {
    const m = at === null ? null : LOCATION.exec(at);
    if (!m) return null;
    const [, file = '', line = '0', column = '0'] = m;
    if (!cache.has(file)) cache.set(file, mapFile(file));
    const mapped = cache.get(file) ?? null;
    if (mapped === null || Number(line) < 1) return null;
    return { file: mapped, line: Number(line), column: Math.max(1, Number(column)) };
  };
}

function sameFile(storeFile: string, localFile: string): boolean {
  let local: Buffer;
  try {
    local = fs.readFileSync(localFile);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(storeFile).equals(local);
  } catch {
    // Collected, or recorded on another machine: the name is all there is to go by.
    return true;
  }
}
