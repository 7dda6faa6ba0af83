// Changing an environment record (the extension host's `process.env`) so that every change can be
// undone exactly. Pure: it works on whatever record it is given, which the tests exploit.
import { applyEnvDelta } from '../core/devenv';
import type { EnvDelta } from '../core/devenv/types';

export type EnvRecord = Record<string, string | undefined>;

interface Change {
  /** The value before the first change; undefined when the name was absent. */
  original: string | undefined;
  /** What was last written, to recognise a later change made by someone else. */
  written: string | undefined;
}

/** What `patchEnv` changed, to undo it with `restoreEnv` or to see around it with `pristineEnv`. */
export class EnvBackup {
  readonly changes = new Map<string, Change>();

  get size(): number {
    return this.changes.size;
  }
}

/**
 * The values `delta` gives over `base`, only for the names it changes: PATH-like variables in full
 * (the shell's entries in front of the base's), `undefined` for names the shell unsets.
 */
export function changedValues(base: Readonly<EnvRecord>, delta: EnvDelta): EnvRecord {
  const applied = applyEnvDelta(base, delta);
  const out: EnvRecord = {};
  for (const name of [...Object.keys(delta.set), ...Object.keys(delta.prepend)]) {
    out[name] = applied[name];
  }
  for (const name of delta.unset) {
    out[name] = undefined;
  }
  return out;
}

/**
 * Writes `values` into `target`, recording the originals in `backup`. Names a previous patch changed
 * that `values` no longer mentions go back to their originals, so patching twice (a reloaded shell)
 * leaves no leftovers of the first.
 */
export function patchEnv(target: EnvRecord, values: Readonly<EnvRecord>, backup: EnvBackup): void {
  for (const name of [...backup.changes.keys()]) {
    if (!(name in values)) restoreOne(target, name, backup);
  }
  for (const [name, value] of Object.entries(values)) {
    const change = backup.changes.get(name);
    if (change === undefined) {
      backup.changes.set(name, { original: target[name], written: value });
    } else {
      change.written = value;
    }
    write(target, name, value);
  }
}

/**
 * Puts back every original recorded in `backup` and empties it. A variable someone else changed
 * after us keeps their value: restoring ours would undo their change, not ours.
 */
export function restoreEnv(target: EnvRecord, backup: EnvBackup): void {
  for (const name of [...backup.changes.keys()]) {
    restoreOne(target, name, backup);
  }
}

/** `target` as it would be without the changes recorded in `backup` (a copy). */
export function pristineEnv(target: Readonly<EnvRecord>, backup: EnvBackup): EnvRecord {
  const copy: EnvRecord = { ...target };
  for (const [name, change] of backup.changes) {
    if (copy[name] === change.written) write(copy, name, change.original);
  }
  return copy;
}

function restoreOne(target: EnvRecord, name: string, backup: EnvBackup): void {
  const change = backup.changes.get(name);
  backup.changes.delete(name);
  if (change !== undefined && target[name] === change.written) write(target, name, change.original);
}

// `process.env` turns an assigned `undefined` into the string "undefined": delete instead.
function write(target: EnvRecord, name: string, value: string | undefined): void {
  if (value === undefined) {
    Reflect.deleteProperty(target, name);
  } else {
    target[name] = value;
  }
}
