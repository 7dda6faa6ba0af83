import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlannedFile, WriteDecision, WrittenFile } from './types';
import { withWriteLock } from './writeLock';

// Writing a plan never loses a byte: new files appear atomically (temp file + rename), a replaced
// file is copied to a backup first, and a conflict nobody decided on is left alone.

/** The decision a file gets when nobody was asked: new and mergeable files are written, conflicts skipped. */
export function defaultDecision(file: PlannedFile): WriteDecision {
  switch (file.status) {
    case 'create':
    case 'update':
      return 'write';
    case 'unchanged':
    case 'conflict':
      return 'skip';
  }
}

/** A planned file changed on disk since the plan was made (another run, an editor): nothing written. */
export class StaleFileError extends Error {}

/**
 * Writes the plan holding the folder's write lock (src/core/flake/writeLock.ts), so that two runs
 * at once leave one run's complete set of files: the second finds the first's files where it
 * planned on others, and writes nothing. What was repaired on the way (a lock or a half-written
 * file left by a killed run) is told to `onRepair`.
 */
export function applyPlan(
  root: string,
  files: readonly PlannedFile[],
  decide: (file: PlannedFile) => WriteDecision = defaultDecision,
  onRepair?: (note: string) => void,
): WrittenFile[] {
  const decided = files.map((file) => ({ file, decision: decide(file) }));
  return withWriteLock(
    root,
    () => {
      // Check every file before writing any, so a refusal leaves the folder exactly as it was.
      for (const { file, decision } of decided) preflight(root, file, decision);
      return decided.map(({ file, decision }) => applyOne(root, file, decision));
    },
    onRepair,
  );
}

function preflight(root: string, file: PlannedFile, decision: WriteDecision): void {
  if (decision === 'skip' || decision === 'beside' || file.status === 'unchanged') return;
  // The file changed since the plan was made: never write over something nobody has seen.
  if (readOrNull(path.join(root, file.path)) !== file.existing) {
    throw new StaleFileError(
      `${file.path} changed on disk since the preview; nothing written: run Nixify again to see the new diff`,
    );
  }
  if (decision === 'write' && file.status === 'conflict') {
    throw new Error(`${file.path} exists: choose replace (keeps a backup), beside or skip`);
  }
}

function applyOne(root: string, file: PlannedFile, decision: WriteDecision): WrittenFile {
  const target = path.join(root, file.path);
  const result: WrittenFile = { path: file.path, writtenTo: null, backup: null, decision };
  if (decision === 'skip' || file.status === 'unchanged') return { ...result, decision: 'skip' };
  if (decision === 'beside') {
    const beside = besidePath(target);
    writeAtomically(beside, file.content);
    return { ...result, writtenTo: beside };
  }
  let backup: string | null = null;
  if (file.existing !== null && decision === 'replace') {
    backup = freePath(`${target}.nixify-backup`);
    fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL);
  }
  writeAtomically(target, file.content);
  return { ...result, writtenTo: target, backup };
}

/** `flake.nix` → `flake.nixify.nix`, `.envrc` → `.envrc.nixify`: not picked up as the real file. */
export function besidePath(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  const dot = base.lastIndexOf('.');
  const name = dot > 0 ? `${base.slice(0, dot)}.nixify${base.slice(dot)}` : `${base}.nixify`;
  return freePath(path.join(dir, name));
}

function freePath(candidate: string): string {
  if (!fs.existsSync(candidate)) return candidate;
  for (let i = 1; ; i++) {
    const numbered = `${candidate}.${i}`;
    if (!fs.existsSync(numbered)) return numbered;
  }
}

function writeAtomically(target: string, content: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.nixify-${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content, { flag: 'wx' });
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
