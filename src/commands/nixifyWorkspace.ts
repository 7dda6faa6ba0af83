// "Nixify: Nixify Workspace": plan one flake for a folder's Cargo projects (or the one workspace a
// path names), show every file before it is written, write what the user confirmed, then offer
// `git add` and `nix flake lock`.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { isInsideGitWorkTree, gitTrackedStatus } from '../core/git';
import {
  applyPlan,
  defaultDecision,
  defaultOptions,
  HAS_ERRORS,
  parseOptionsHeader,
  planRepository,
  readIfExists,
  type InitOptions,
  type InitPlan,
  type PlannedFile,
  type WriteDecision,
  type WrittenFile,
} from '../core/flake';
import { countOf, problemLocation, workspaceName, zeroBasedStart } from '../describe';
import { errorMessage, showErrorWithLog } from '../log';
import type { Workspace } from '../core/cargo';
import { relativeDir } from '../core/flake/projects';
import { chooseOptions, pickProjects, pickTarget } from './nixify/pickers';
import { addUntracked, describeOutcome, lockFlake, type ActionOutcome } from './nixify/postWrite';
import { askConflicts, closePreviews, confirmWrite, openPreviews, ProposedContent } from './nixify/preview';
import { optionsSummary } from '../core/flake';
import { parseNixifyArgument, type NixifyArgument, type NixifyRequest } from './nixify/request';
import { blockingProblems, candidates, targetAt, type Target } from './nixify/targets';

export type { NixifyRequest } from './nixify/request';
export type { ActionOutcome } from './nixify/postWrite';

/**
 * What the command resolves to (undefined when no workspace was chosen or the options were
 * dismissed, or when it failed: failures are shown and logged by the command table).
 */
export interface NixifyResult {
  /** `nothing-to-write`: every file is up to date, or every conflict was skipped. */
  outcome: 'written' | 'cancelled' | 'nothing-to-write';
  /** The Cargo workspace root, where flake.nix goes. */
  root: string;
  options: InitOptions;
  /** The plan as it was previewed. */
  files: { path: string; status: PlannedFile['status'] }[];
  /** Planned paths that existed with other content. */
  conflicts: string[];
  /** What `applyPlan` did with each planned file, skips included; empty unless written. */
  written: WrittenFile[];
  /** Absolute paths of the backups made before replacing. */
  backups: string[];
  followUps: string[];
  gitAdd: ActionOutcome;
  lock: ActionOutcome;
}

const NOT_REQUESTED: ActionOutcome = { status: 'not-requested' };
const UNTRUSTED =
  'the workspace is not trusted (git and nix run code the workspace configures: git hooks, the flake itself)';

/** The command's factory: registers the provider of the proposed files once, for the extension's lifetime. */
export function nixifyWorkspace(ctx: Ctx) {
  const { provider, disposable } = ProposedContent.register();
  ctx.own(disposable);
  return async (argument?: unknown): Promise<NixifyResult | undefined> => {
    const parsed = parseNixifyArgument(argument);
    const request = parsed.kind === 'request' ? parsed.request : undefined;
    await ctx.ready();
    const target = await resolveTarget(ctx, parsed);
    if (!target) return undefined;
    if (target.projects.length === 0) {
      const [first] = target.broken;
      const errors = target.broken.flatMap((ws) => ws.problems.filter((p) => p.severity === 'error'));
      throw new Error(
        `${first ? workspaceName(first) : target.root} has ${countOf(errors.length, 'error')} in its manifests (see the Problems panel); fix them first`,
      );
    }
    const chosen = request ? projectsRequested(target, request) : await pickProjects(target);
    if (!chosen) return undefined;
    const title = chosen.length === 1 && chosen[0] ? workspaceName(chosen[0]) : target.folder.name;

    const existingFlake = readIfExists(path.join(target.root, 'flake.nix'));
    const recorded = existingFlake === null ? {} : parseOptionsHeader(existingFlake);
    const start: InitOptions = { ...defaultOptions(chosen), ...recorded, ...request?.options };
    const options = request
      ? start
      : await chooseOptions(title, chosen, start, Object.keys(recorded).length > 0);
    if (!options) return undefined;
    const leftOut = [
      ...target.projects.filter((ws) => !chosen.includes(ws)),
      ...target.broken.map((ws) => ({ root: ws.root, reason: HAS_ERRORS })),
    ];
    const plan = planRepository(
      { root: target.root, workspaces: chosen, leftOut },
      options,
      extensionVersion(ctx),
    );
    logPlan(ctx, plan);
    for (const ws of target.broken) {
      ctx.log.warn(`  left out ${ws.root}: its manifests have errors (see the Problems panel)`);
    }

    const base: NixifyResult = {
      outcome: 'nothing-to-write',
      root: plan.root,
      options,
      files: plan.files.map((file) => ({ path: file.path, status: file.status })),
      conflicts: plan.files.filter((file) => file.status === 'conflict').map((file) => file.path),
      written: [],
      backups: [],
      followUps: plan.followUps,
      gitAdd: NOT_REQUESTED,
      lock: NOT_REQUESTED,
    };
    if (plan.files.every((file) => file.status === 'unchanged')) {
      void vscode.window.showInformationMessage(
        `Nixify: ${title} is up to date, every file already has the content Nixify would write.`,
      );
      return base;
    }

    await openPreviews(plan, provider.startRun(plan));
    const decisions = request
      ? new Map(base.conflicts.map((file) => [file, request.decisions[file] ?? 'skip'] as const))
      : await askConflicts(
          plan.root,
          plan.files.filter((file) => file.status === 'conflict'),
        );
    if (!decisions) return cancel(ctx, base);
    const decide = (file: PlannedFile): WriteDecision =>
      file.status === 'conflict' ? (decisions.get(file.path) ?? 'skip') : defaultDecision(file);
    const toWrite = plan.files.filter((file) => file.status !== 'unchanged' && decide(file) !== 'skip');
    if (toWrite.length === 0) {
      ctx.log.info(`nixify ${plan.root}: nothing to write, every conflict was skipped`);
      void vscode.window.showInformationMessage('Nixify: nothing written, every existing file was kept.');
      return base;
    }
    const confirmed = request
      ? request.confirm
      : await confirmWrite(
          title,
          toWrite.map((file) => file.path),
        );
    if (!confirmed) return cancel(ctx, base);

    refuseStaleFiles(plan, toWrite, decide);
    const written = applyPlan(plan.root, plan.files, decide, (note) => ctx.log.warn(note));
    const result: NixifyResult = {
      ...base,
      outcome: 'written',
      written,
      backups: written.flatMap((file) => (file.backup === null ? [] : [file.backup])),
    };
    logWritten(ctx, plan.root, written);
    await showWritten(plan.root, written);
    return afterWrite(ctx, title, result, request);
  };
}

async function resolveTarget(ctx: Ctx, argument: NixifyArgument): Promise<Target | undefined> {
  const all = candidates(ctx.folders());
  if (argument.kind === 'none') {
    const [blocking, ...more] = all.length === 0 ? blockingProblems(ctx.folders()) : [];
    if (blocking) {
      // A broken manifest is the likely reason: say where, as cargo would, and offer to go there.
      const open = 'Open';
      const also = more.length > 0 ? ` (and ${countOf(more.length, 'more error')})` : '';
      const choice = await vscode.window.showErrorMessage(
        `Nixify: no Cargo workspace can be loaded: ${problemLocation(blocking)}: ${blocking.message}${also}`,
        open,
      );
      if (choice === open) {
        const { line, character } = zeroBasedStart(blocking);
        const at = new vscode.Position(line, character);
        await vscode.window.showTextDocument(vscode.Uri.file(blocking.file), {
          selection: new vscode.Range(at, at),
        });
      }
      return undefined;
    }
    if (all.length === 0) {
      const choice = await vscode.window.showInformationMessage(
        'Nixify: no Cargo workspace was found in the open folders.',
        'Refresh',
      );
      if (choice === 'Refresh') await vscode.commands.executeCommand('nixify.refreshWorkspaces');
      return undefined;
    }
    return pickTarget(all);
  }
  const where = argument.kind === 'request' ? argument.request.folder : argument.path;
  const target = targetAt(all, where);
  if (!target) throw new Error(`no Cargo workspace at ${where} in the open folders`);
  return target;
}

/** The projects a programmatic request names (directories relative to the root), or the preselection. */
function projectsRequested(target: Target, request: NixifyRequest): Workspace[] {
  if (request.projects === undefined) return target.preselected;
  const byDir = new Map(target.projects.map((ws) => [relativeDir(target.root, ws.root), ws]));
  return request.projects.map((dir) => {
    const ws = byDir.get(dir === '.' ? '' : dir);
    if (ws === undefined) {
      throw new Error(
        `no Cargo project without errors in ${path.join(target.root, dir)}; the projects: ${[...byDir.keys()].map((d) => d || '.').join(', ')}`,
      );
    }
    return ws;
  });
}

function extensionVersion(ctx: Ctx): string {
  const manifest = ctx.extensionContext.extension.packageJSON as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

async function cancel(ctx: Ctx, result: NixifyResult): Promise<NixifyResult> {
  ctx.log.info(`nixify ${result.root}: cancelled, nothing written`);
  await closePreviews();
  return { ...result, outcome: 'cancelled' };
}

/**
 * Checks every file before writing any: `applyPlan` checks each one as it goes, which would leave
 * the files before a changed one written. Unsaved edits count as a change too.
 */
function refuseStaleFiles(
  plan: InitPlan,
  toWrite: readonly PlannedFile[],
  decide: (file: PlannedFile) => WriteDecision,
): void {
  const stale = toWrite.filter((file) => {
    if (decide(file) === 'beside') return false;
    const absolute = path.join(plan.root, file.path);
    const dirty = vscode.workspace.textDocuments.some(
      (document) => document.isDirty && document.uri.scheme === 'file' && document.uri.fsPath === absolute,
    );
    return dirty || readIfExists(absolute) !== file.existing;
  });
  if (stale.length > 0) {
    throw new Error(
      `nothing written: ${stale.map((file) => file.path).join(', ')} changed since the preview (or has unsaved edits); run Nixify Workspace again to see the new diff`,
    );
  }
}

function logPlan(ctx: Ctx, plan: InitPlan): void {
  ctx.log.info(`nixify ${plan.root}: ${optionsSummary(plan.options)}`);
  for (const file of plan.files) {
    ctx.log.info(`  ${file.status.padEnd(9)} ${file.path} (${file.purpose})`);
  }
}

function logWritten(ctx: Ctx, root: string, written: readonly WrittenFile[]): void {
  for (const file of written) {
    if (file.writtenTo === null) {
      ctx.log.info(`  kept    ${file.path}`);
    } else {
      const backup =
        file.backup === null ? '' : ` (previous version kept in ${path.relative(root, file.backup)})`;
      ctx.log.info(`  wrote   ${path.relative(root, file.writtenTo)}${backup}`);
    }
  }
}

/**
 * The proposals of files now on disk are stale: close them and show the real flake.nix. Those of
 * skipped or beside files stay open, to merge by hand from the diff.
 */
async function showWritten(root: string, written: readonly WrittenFile[]): Promise<void> {
  const inPlace = written.filter((file) => file.writtenTo !== null && file.decision !== 'beside');
  await closePreviews(new Set(inPlace.map((file) => path.join(root, file.path))));
  const flake = inPlace.find((file) => file.path === 'flake.nix');
  if (flake?.writtenTo) {
    await vscode.window.showTextDocument(vscode.Uri.file(flake.writtenTo), { preview: false });
  }
}

/** The summary notification and the next steps: run as requested, or offered as buttons. */
async function afterWrite(
  ctx: Ctx,
  title: string,
  result: NixifyResult,
  request: NixifyRequest | undefined,
): Promise<NixifyResult> {
  const root = result.root;
  const inPlace = result.written
    .filter((file) => file.writtenTo !== null && file.decision !== 'beside')
    .map((file) => file.path);
  const beside = result.written.filter((file) => file.decision === 'beside' && file.writtenTo !== null);
  const parts = [
    `Nixify wrote ${countOf(inPlace.length + beside.length, 'file')} in ${title}.`,
    ...(result.backups.length > 0
      ? [`Backups: ${result.backups.map((b) => path.relative(root, b)).join(', ')}.`]
      : []),
    ...(beside.length > 0
      ? [`Written beside: ${beside.map((file) => path.relative(root, file.writtenTo ?? '')).join(', ')}.`]
      : []),
  ];
  for (const note of result.followUps) ctx.log.info(`next: ${note}`);

  const trusted = ctx.isTrusted;
  const inGit = trusted && (await insideGit(ctx, root));
  const untracked = inGit ? await untrackedOf(ctx, root, inPlace) : [];

  if (request) {
    const gitAdd: ActionOutcome = !request.postActions.gitAdd
      ? NOT_REQUESTED
      : !trusted
        ? { status: 'unavailable', detail: UNTRUSTED }
        : !inGit
          ? { status: 'unavailable', detail: `${root} is not inside a git work tree` }
          : await addUntracked(root, inPlace, ctx.log);
    const lock = !request.postActions.lock ? NOT_REQUESTED : await runLock(ctx, root, inGit, gitAdd);
    const outcomes = [describeOutcome('git add', gitAdd), describeOutcome('nix flake lock', lock)];
    void vscode.window.showInformationMessage(
      [...parts, ...outcomes.filter((o) => o !== undefined), ...result.followUps].join(' '),
    );
    return { ...result, gitAdd, lock };
  }

  const GIT_ADD_AND_LOCK = 'Git Add and Lock';
  const GIT_ADD = 'Git Add';
  const LOCK = 'Run nix flake lock';
  const TRUST = 'Manage Workspace Trust';
  const SHOW_LOG = 'Show Log';
  // In a git work tree nix ignores untracked files, so locking before adding them would fail.
  const buttons = !trusted
    ? [TRUST, SHOW_LOG]
    : untracked.length > 0
      ? [GIT_ADD_AND_LOCK, GIT_ADD, SHOW_LOG]
      : [LOCK, SHOW_LOG];
  const why = trusted ? [] : ['git add and nix flake lock are not offered: the workspace is not trusted.'];
  const choice = await vscode.window.showInformationMessage(
    [...parts, ...result.followUps, ...why].join(' '),
    ...buttons,
  );
  let gitAdd: ActionOutcome = NOT_REQUESTED;
  let lock: ActionOutcome = NOT_REQUESTED;
  if (choice === SHOW_LOG) ctx.log.show();
  if (choice === TRUST) await vscode.commands.executeCommand('workbench.trust.manage');
  if (choice === GIT_ADD || choice === GIT_ADD_AND_LOCK) gitAdd = await addUntracked(root, inPlace, ctx.log);
  if (choice === LOCK || choice === GIT_ADD_AND_LOCK) lock = await runLock(ctx, root, inGit, gitAdd);
  await reportOutcomes(ctx, gitAdd, lock);
  return { ...result, gitAdd, lock };
}

async function runLock(
  ctx: Ctx,
  root: string,
  inGit: boolean,
  gitAdd: ActionOutcome,
): Promise<ActionOutcome> {
  if (!ctx.isTrusted) return { status: 'unavailable', detail: UNTRUSTED };
  const lock = await lockFlake(root, ctx.log, ctx.nixDiagnostics.producer('flakeLock'));
  // flake.lock belongs with the files it pins; add it when the user had Nixify add the others.
  if (lock.status === 'done' && inGit && gitAdd.status === 'done') {
    await addUntracked(root, ['flake.lock'], ctx.log);
  }
  return lock;
}

async function reportOutcomes(ctx: Ctx, gitAdd: ActionOutcome, lock: ActionOutcome): Promise<void> {
  for (const [what, outcome] of [
    ['git add', gitAdd],
    ['nix flake lock', lock],
  ] as const) {
    if (outcome.status === 'failed') {
      if ('nixMissing' in outcome && outcome.nixMissing) {
        const choice = await vscode.window.showErrorMessage(`Nixify: ${outcome.detail}.`, 'Install Nix');
        if (choice === 'Install Nix')
          await vscode.env.openExternal(vscode.Uri.parse('https://nixos.org/download/'));
      } else {
        void showErrorWithLog(ctx.log, `Nixify: ${describeOutcome(what, outcome) ?? what}`);
      }
    } else if (outcome.status === 'done') {
      void vscode.window.showInformationMessage(`Nixify: ${describeOutcome(what, outcome) ?? what}`);
    }
  }
}

async function insideGit(ctx: Ctx, root: string): Promise<boolean> {
  try {
    return await isInsideGitWorkTree(root);
  } catch (error) {
    ctx.log.warn(`cannot tell whether ${root} is in a git work tree: ${errorMessage(error)}`);
    return false;
  }
}

async function untrackedOf(ctx: Ctx, root: string, relPaths: readonly string[]): Promise<string[]> {
  try {
    return (await gitTrackedStatus(root, relPaths)).untracked;
  } catch (error) {
    ctx.log.warn(`git ls-files in ${root} failed: ${errorMessage(error)}`);
    return [];
  }
}
