import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { brokenManifestsAbove, detectWorkspaces } from '../core/cargo';
import type { Workspace } from '../core/cargo/types';
import { isInside } from '../core/cargo/workspace';
import { defaultProjectChoice } from '../core/flake/projects';
import {
  applyPlan,
  defaultOptions,
  optionsSummary,
  readOptionsHeader,
  HAS_ERRORS,
  PlanError,
  planRepository,
  readIfExists,
  StaleFileError,
  WriteLockedError,
  type RepositoryInput,
  type InitOptions,
  type PlannedFile,
  type WriteDecision,
} from '../core/flake';
import type { CliCommand } from './args';
import { InputError, UsageError } from './args';
import { formatProblemBlock } from './format';
import type { CliIo } from './run';
import { packageVersion } from './version';

export const EXIT_NOT_WRITTEN = 1;

type InitCommand = Extract<CliCommand, { command: 'init' }>;

/** `nixify init`: plan, print, and write unless a file that differs would be overwritten unasked. */
export function runInit(command: InitCommand, io: CliIo): number {
  const dir = path.resolve(io.cwd, command.dir ?? '.');
  const repo = pickRepository(dir, io);
  const existingFlake = readIfExists(path.join(repo.root, 'flake.nix'));
  const recorded = existingFlake === null ? null : readOptionsHeader(existingFlake);
  const options: InitOptions = {
    ...defaultOptions(repo.workspaces),
    ...recorded?.options,
    ...command.options,
  };
  if (recorded && recorded.unread.length > 0) {
    const flake = path.relative(io.cwd, path.join(repo.root, 'flake.nix'));
    io.stderr(
      `nixify: ${flake}: the options header has entries this Nixify cannot read (${recorded.unread.join(', ')}); their defaults apply\n`,
    );
  }
  let plan;
  try {
    plan = planRepository(repo, options, packageVersion());
  } catch (error) {
    if (error instanceof PlanError) throw new UsageError(error.message);
    throw error;
  }
  const rel = (file: string) => path.relative(io.cwd, file) || '.';
  io.stdout(`Nixify ${rel(repo.root)}: ${optionsSummary(options)}\n`);
  if (plan.projects.length > 1 || plan.leftOut.length > 0) {
    for (const p of plan.projects) io.stdout(`  project   ${p.dir || '.'}  (${p.key})\n`);
    for (const l of plan.leftOut) io.stdout(`  left out  ${l.dir || '.'}  (${l.reason})\n`);
  }
  for (const file of plan.files) io.stdout(`  ${file.status.padEnd(9)} ${file.path}  (${file.purpose})\n`);
  if (command.dryRun) {
    for (const file of plan.files) io.stdout(showFile(file));
    printFollowUps(plan.followUps, io);
    return 0;
  }
  const conflicts = plan.files.filter((f) => f.status === 'conflict');
  if (conflicts.length > 0 && command.onConflict === 'refuse') {
    io.stderr(
      `nixify: nothing written: ${conflicts.map((f) => f.path).join(', ')} already exist${conflicts.length === 1 ? 's' : ''} and differ${conflicts.length === 1 ? 's' : ''}.\n` +
        'See the diff with --dry-run; replace keeping a backup with --force, or write beside with --beside.\n',
    );
    return EXIT_NOT_WRITTEN;
  }
  const decide = (file: PlannedFile): WriteDecision =>
    file.status === 'conflict' ? (command.onConflict === 'beside' ? 'beside' : 'replace') : 'write';
  let writtenFiles;
  try {
    writtenFiles = applyPlan(repo.root, plan.files, decide, (note) => io.stderr(`nixify: ${note}\n`));
  } catch (error) {
    if (error instanceof StaleFileError || error instanceof WriteLockedError)
      throw new InputError(error.message);
    throw error;
  }
  for (const written of writtenFiles) {
    if (written.writtenTo === null) continue;
    io.stdout(
      `wrote ${rel(written.writtenTo)}${written.backup ? ` (previous version kept in ${rel(written.backup)})` : ''}\n`,
    );
  }
  printFollowUps(plan.followUps, io);
  return 0;
}

/**
 * The flake's root and the projects it builds: every Cargo project under DIR, or the one workspace
 * DIR is inside of (its flake goes at that workspace's root, as before). A project whose manifests
 * have errors is left out with the errors printed; when none is left, nothing is written.
 */
function pickRepository(dir: string, io: CliIo): RepositoryInput {
  const cwd = io.cwd;
  const result = detectWorkspaces(dir, {});
  const { workspaces } = result;
  const atRoot = workspaces.find((ws) => ws.root === dir);
  // DIR's own manifest, or one above it that cargo loads first, does not parse: picking a workspace
  // below it would write a flake for part of the repository, so say what to fix instead.
  const broken = brokenManifestsAbove(result, dir);
  if (atRoot === undefined && broken.length > 0) {
    // Once it parses, the outermost broken manifest is where the workspace (and so the flake) is.
    const next = path.dirname(broken.map((p) => p.file).sort((a, b) => a.length - b.length)[0] ?? dir);
    throw new InputError(
      `nothing written: ${broken.length === 1 ? 'this manifest does' : 'these manifests do'} not parse:\n${formatProblemBlock(broken, cwd)}\n` +
        `Fix ${broken.length === 1 ? 'it' : 'them'}, then run \`nixify init ${next}\`; \`nixify detect ${dir}\` lists what it can read meanwhile.`,
    );
  }
  if (workspaces.length === 0) {
    if (result.problems.length > 0) {
      throw new InputError(
        `nothing written: no Cargo workspace in ${dir} can be loaded:\n${formatProblemBlock(result.problems, cwd)}`,
      );
    }
    throw new UsageError(`no Cargo workspace in ${dir}`);
  }
  // DIR inside a workspace (a member's directory): the flake belongs at that workspace's root.
  const enclosing = atRoot === undefined && workspaces.length === 1 ? workspaces[0] : undefined;
  const root = enclosing !== undefined && !isInside(enclosing.root, dir) ? enclosing.root : dir;
  const under = workspaces.filter((ws) => isInside(ws.root, root));
  const errorsOf = (ws: Workspace) => ws.problems.filter((p) => p.severity === 'error');
  const loaded = under.filter((ws) => errorsOf(ws).length === 0);
  // Test data, and unlocked projects beside locked ones, stay out unless DIR names them.
  const { chosen: healthy, leftOut: unwanted } = defaultProjectChoice(root, loaded, dir);
  const withErrors = under.filter((ws) => errorsOf(ws).length > 0);
  if (loaded.length === 0) {
    const first = withErrors[0] ?? workspaces[0];
    throw new InputError(
      `nothing written: the workspace at ${first?.root ?? dir} has errors; fix them, then run \`nixify init ${root}\` again:\n${formatProblemBlock(withErrors.flatMap(errorsOf), cwd)}`,
    );
  }
  // Manifests that do not parse at all are no workspace: left out too, said where.
  const unloaded = result.problems.filter(
    (p) =>
      p.severity === 'error' &&
      path.basename(p.file) === 'Cargo.toml' &&
      isInside(path.dirname(p.file), root),
  );
  for (const problem of unloaded) {
    io.stderr(
      `nixify: the project at ${path.relative(cwd, path.dirname(problem.file)) || '.'} is left out: it has errors (fix them and run \`nixify init\` again to add it):\n${formatProblemBlock([problem], cwd)}\n`,
    );
  }
  for (const ws of withErrors) {
    io.stderr(
      `nixify: the project at ${path.relative(cwd, ws.root) || '.'} is left out: it has errors (fix them and run \`nixify init\` again to add it):\n${formatProblemBlock(errorsOf(ws), cwd)}\n`,
    );
  }
  for (const { workspace, reason } of unwanted) {
    io.stderr(`nixify: the project at ${path.relative(cwd, workspace.root) || '.'} is left out: ${reason}\n`);
  }
  return {
    root,
    workspaces: healthy,
    leftOut: [
      ...withErrors.map((ws) => ({ root: ws.root, reason: HAS_ERRORS })),
      ...unwanted.map((u) => ({ root: u.workspace.root, reason: u.reason })),
      ...unloaded.map((p) => ({ root: path.dirname(p.file), reason: HAS_ERRORS })),
    ],
  };
}

function showFile(file: PlannedFile): string {
  switch (file.status) {
    case 'unchanged':
      return '';
    case 'create':
      return `\n=== ${file.path} (new)\n${file.content}`;
    case 'conflict':
    case 'update':
      return `\n${createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, file.existing ?? '', file.content, 'on disk', 'Nixify')}`;
  }
}

function printFollowUps(notes: string[], io: CliIo): void {
  if (notes.length === 0) return;
  io.stdout(`\nNext:\n${notes.map((n) => `  - ${n}`).join('\n')}\n`);
}
