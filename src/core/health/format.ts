// The report as text: for the terminal (`nixify health`), the log, and the Markdown document the
// editor opens. Pure, so the words are tested once for all three.
import * as path from 'node:path';
import { worstStatus, type HealthFix, type HealthItem, type HealthReport, type HealthStatus } from './types';

export const STATUS_SYMBOL: Readonly<Record<HealthStatus, string>> = {
  ok: '✓',
  warning: '⚠',
  error: '✗',
  skipped: '–',
};

const SEVERITY: Readonly<Record<HealthStatus, number>> = { error: 0, warning: 1, ok: 2, skipped: 3 };

/** Errors first, then warnings, ok and skipped; the checks' own order within each. */
export function bySeverity(items: readonly HealthItem[]): HealthItem[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => SEVERITY[a.item.status] - SEVERITY[b.item.status] || a.index - b.index)
    .map(({ item }) => item);
}

/** The fix as something to copy: the nix.conf lines, the command, or the setting's name. */
export function fixClipboardText(fix: HealthFix): string {
  switch (fix.kind) {
    case 'nixConf':
      return `${fix.lines.join('\n')}\n`;
    case 'command':
      return fix.command;
    case 'setting':
      return fix.setting;
  }
}

/** One or more lines saying how to fix it, for reading. */
export function describeFix(fix: HealthFix): string[] {
  switch (fix.kind) {
    case 'nixConf':
      return [
        `Add to ${fix.file}:`,
        ...fix.lines.map((line) => `    ${line}`),
        ...(fix.then === null ? [] : [fix.then]),
      ];
    case 'command':
      return [`Run: ${fix.command}`];
    case 'setting':
      return [`Change the setting ${fix.setting}: ${fix.hint}`];
  }
}

/** "2 errors, 1 warning, 9 ok". */
export function summarize(items: readonly HealthItem[]): string {
  const count = (status: HealthStatus) => items.filter((item) => item.status === status).length;
  const parts: string[] = [];
  const errors = count('error');
  const warnings = count('warning');
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  parts.push(`${count('ok')} ok`);
  const skipped = count('skipped');
  if (skipped > 0) parts.push(`${skipped} skipped`);
  return parts.join(', ');
}

function folderLabel(item: HealthItem, cwd: string | undefined): string {
  if (item.folder === undefined) return '';
  const shown = cwd === undefined ? path.basename(item.folder) : path.relative(cwd, item.folder) || '.';
  return ` [${shown}]`;
}

/** The plain-text report: one block per item, fixes indented under it, the summary last. */
export function formatHealthReport(report: HealthReport, cwd?: string): string {
  const lines: string[] = [];
  for (const item of report.items) {
    lines.push(`${STATUS_SYMBOL[item.status]} ${item.title}${folderLabel(item, cwd)}: ${item.detail}`);
    if (item.fix !== undefined && item.status !== 'ok') {
      lines.push(...describeFix(item.fix).map((line) => `    ${line}`));
    }
  }
  lines.push('', `${summarize(report.items)} (${report.durationMs} ms)`);
  return `${lines.join('\n')}\n`;
}

/** The report as a Markdown document, fixes in code blocks so they copy cleanly. */
export function healthReportMarkdown(report: HealthReport): string {
  const worst = worstStatus(report.items);
  const heading = worst === 'error' ? 'problems found' : worst === 'warning' ? 'warnings' : 'all good';
  const out = [
    `# Nixify health: ${heading}`,
    '',
    `${summarize(report.items)}. Nix: ${report.nixVersion === null ? 'not found' : `${report.nixVersion} at \`${report.nix ?? 'nix'}\``}.`,
    '',
  ];
  for (const item of report.items) {
    const where = item.folder === undefined ? '' : ` — \`${item.folder}\``;
    out.push(`## ${STATUS_SYMBOL[item.status]} ${item.title}${where}`, '', item.detail, '');
    if (item.fix === undefined || item.status === 'ok') continue;
    const fix = item.fix;
    switch (fix.kind) {
      case 'nixConf':
        out.push(`Add to \`${fix.file}\`:`, '', '```ini', ...fix.lines, '```', '');
        if (fix.then !== null) out.push(fix.then, '');
        break;
      case 'command':
        out.push('Run:', '', '```sh', fix.command, '```', '');
        break;
      case 'setting':
        out.push(`Setting \`${fix.setting}\`: ${fix.hint}`, '');
        break;
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
