import * as fs from 'node:fs';
import * as path from 'node:path';

// Two Nixify runs on one folder at once (the editor's command and the CLI, or two terminals) must
// leave one complete set of files, never flake.nix from one plan beside nix/workspace.nix from the
// other. A run holds `.nixify-write.lock` in the flake's root while it checks and writes; the lock
// names its process, so one left by a killed run is recognised and removed.

export const WRITE_LOCK = '.nixify-write.lock';

/** Another live process is writing in the folder: nothing was checked or written. */
export class WriteLockedError extends Error {}

/** Whether a process with this pid exists (signal 0 only checks; EPERM means it exists). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(lock: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lock, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Runs `write` holding the folder's write lock. A lock whose process is gone (a killed run), or
 * that holds no pid (a truncated file), is removed first and `onRepair` told so; a live one throws
 * WriteLockedError naming its process.
 */
export function withWriteLock<T>(
  root: string,
  write: () => T,
  onRepair: (note: string) => void = () => {},
): T {
  const lock = path.join(root, WRITE_LOCK);
  fs.mkdirSync(root, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n${new Date().toISOString()}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(lock, error);
      const pid = ownerOf(lock);
      if (pid !== null && pid !== process.pid && alive(pid)) {
        throw new WriteLockedError(
          `another Nixify (process ${pid}) is writing in ${root}; nothing written: run again once it is done`,
        );
      }
      fs.rmSync(lock, { force: true });
      onRepair(
        `removed ${lock}, left by ${pid === null ? 'a run whose lock file is unreadable' : `process ${pid}, which is gone`}`,
      );
    }
  }
  try {
    removeStaleTemps(root, onRepair);
    return write();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function lockError(lock: string, error: unknown): Error {
  if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
    return new WriteLockedError(`${lock} appeared again while it was being replaced; run again`);
  }
  return error as Error;
}

/** Temp files of atomic writes (`.<name>.nixify-<pid>.tmp`) whose process is gone: a killed write. */
const TEMP = /^\..+\.nixify-(\d+)\.tmp$/;

function removeStaleTemps(root: string, onRepair: (note: string) => void): void {
  for (const dir of [
    root,
    path.join(root, 'nix'),
    path.join(root, '.github'),
    path.join(root, '.github', 'workflows'),
  ]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = Number(TEMP.exec(name)?.[1]);
      if (!Number.isInteger(pid) || pid === 0 || alive(pid)) continue;
      fs.rmSync(path.join(dir, name), { force: true });
      onRepair(`removed ${path.join(dir, name)}, half written by process ${pid}, which is gone`);
    }
  }
}
