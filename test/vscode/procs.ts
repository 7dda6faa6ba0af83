// Reading processes from /proc, for the dev shell suite: which servers and nix runs the extension
// host has below it, whether a pid still runs, and what environment a process was started with.
import * as fs from 'node:fs';

export interface Proc {
  pid: number;
  /** argv, as the process sees it (rust-analyzer's wrapper keeps argv[0] = "rust-analyzer"). */
  argv: string[];
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function stateOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

export function argvOf(pid: number): string[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((arg) => arg !== '');
  } catch {
    return [];
  }
}

/** Alive and not a zombie (a killed child nobody reaped yet does not run anything). */
export function isRunning(pid: number): boolean {
  const state = stateOf(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Every running process below `root` (default: this extension host). */
export function descendants(root: number = process.pid): Proc[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: Proc[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      queue.push(child);
      if (isRunning(child)) out.push({ pid: child, argv: argvOf(child) });
    }
  }
  return out;
}

const base = (arg: string | undefined) => (arg ?? '').split('/').pop() ?? '';

/** nix runs, rust-analyzer servers and the cargo they run, below this extension host. */
export function shellProcesses(): Proc[] {
  return descendants().filter((proc) => {
    const name = base(proc.argv[0]);
    return (
      name.startsWith('nix') ||
      name === 'cargo' ||
      proc.argv.some((arg) => base(arg).startsWith('rust-analyzer'))
    );
  });
}

/** rust-analyzer servers below this extension host (the trixie wrapper runs it through ld.so). */
export function rustAnalyzers(): Proc[] {
  return descendants().filter((proc) => proc.argv.some((arg) => base(arg) === 'rust-analyzer'));
}

/** The environment `pid` was started with. */
export function environOf(pid: number): Record<string, string> {
  const text = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  const env: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

/** Every running process on the machine whose argv satisfies `match` (orphans included). */
export function processesWhere(match: (argv: string[]) => boolean): Proc[] {
  const out: Proc[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const argv = argvOf(pid);
    if (argv.length > 0 && isRunning(pid) && match(argv)) out.push({ pid, argv });
  }
  return out;
}
