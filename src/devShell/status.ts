// How the status bar shows what one folder's dev shell is doing (src/core/devenv/status.ts). Pure
// functions (no `vscode`): the view only copies these fields onto its item.
import type { DevShellPhase, DevShellStatus } from '../core/devenv/status';
import { countOf } from '../describe';
import { formatDuration, shellLabel, summarizeDelta } from './summary';

/** True while an environment is applied to terminals and rust-analyzer. */
export function isActive(status: DevShellStatus): boolean {
  return status.applied !== undefined;
}

/** What a click on the status item does. */
export type StatusAction = 'toggle' | 'cancel' | 'showLog';

export interface StatusPresentation {
  text: string;
  /** Markdown; names and counts only, never values. */
  tooltip: string;
  action: StatusAction;
  severity: 'none' | 'warning' | 'error';
}

const ICONS: Record<DevShellPhase, string> = {
  off: '$(circle-large-outline)',
  loading: '$(sync~spin)',
  on: '$(check)',
  stale: '$(history)',
  error: '$(error)',
};

/**
 * The status bar item for `status`. `multiRoot` adds the folder's name, since the one item follows
 * the active editor from folder to folder.
 */
export function presentStatus(status: DevShellStatus, multiRoot: boolean): StatusPresentation {
  const attr =
    status.source?.kind === 'flake' && status.source.attr !== 'default' ? `: ${status.source.attr}` : '';
  const where = multiRoot ? ` (${status.folderName})` : '';
  const text = `${ICONS[status.phase]} Dev shell${attr}${where}`;
  const lines: string[] = [
    `**Nix dev shell: ${phaseWord(status)}**${multiRoot ? ` — ${escape(status.folderName)}` : ''}`,
  ];
  if (status.source) {
    lines.push(`Shell: \`${shellLabel(status.source)}\``);
  } else {
    lines.push('No flake.nix, shell.nix or default.nix in this folder.');
  }
  if (status.error !== undefined) {
    lines.push(`Failed: ${escape(firstLine(status.error))}`);
  }
  const applied = status.applied;
  if (applied) {
    const summary = summarizeDelta(applied.env.delta);
    lines.push(
      `${countOf(summary.variables, 'variable')} added, ${countOf(summary.pathEntries, 'PATH entry', 'PATH entries')}`,
    );
    const took = formatDuration(applied.env.durationMs);
    lines.push(
      applied.fromCache
        ? `From the cache (evaluated ${applied.env.evaluatedAt} in ${took})`
        : `Freshly evaluated in ${took}`,
    );
    if (status.phase === 'stale') lines.push('The shell’s files changed since: reload to re-evaluate.');
    if (status.phase === 'loading' || status.phase === 'error') {
      lines.push('The last good environment stays in effect meanwhile.');
    }
  }
  lines.push(clickHint(status));
  return {
    text,
    tooltip: lines.filter((line) => line !== '').join('\n\n'),
    action: status.phase === 'loading' ? 'cancel' : status.phase === 'error' ? 'showLog' : 'toggle',
    severity: status.phase === 'error' ? 'error' : status.phase === 'stale' ? 'warning' : 'none',
  };
}

function phaseWord(status: DevShellStatus): string {
  switch (status.phase) {
    case 'off':
      return 'off';
    case 'loading':
      return status.applied ? 'on, re-evaluating' : 'loading';
    case 'on':
      return 'on';
    case 'stale':
      return 'on, stale';
    case 'error':
      return status.applied ? 'on, last evaluation failed' : 'failed';
  }
}

function clickHint(status: DevShellStatus): string {
  switch (status.phase) {
    case 'loading':
      return 'Click to cancel.';
    case 'error':
      return 'Click to open the log.';
    case 'off':
      return status.source ? 'Click to turn it on.' : '';
    default:
      return 'Click to turn it off.';
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
