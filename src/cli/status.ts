// `nixify status`: every crate's derivations with local / cached / build / unknown, so CI can report
// what a push will rebuild. The table and the JSON are pure functions of the core's result.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { brokenManifestsAbove, detectWorkspaces, type Workspace } from '../core/cargo';
import {
  FlakeEvalError,
  placeItem,
  projectRefs,
  type BuildPlacement,
  workspaceStatus,
  type ProjectRef,
  type DerivationItem,
  type ItemStatus,
  type WorkspaceStatus,
} from '../core/derivations';
import { projectsOfFlake, ROOT_PROJECT_KEY } from '../core/flake/projects';
import { CommandNotFoundError, describeFailure, ProcessError } from '../core/process';
import { UsageError, type CliCommand } from './args';
import { formatProblemBlock, locatedNixError } from './format';
import type { CliIo } from './run';

export type StatusCommand = Extract<CliCommand, { command: 'status' }>;

export const EXIT_STATUS_FAILED = 1;

export async function runStatus(command: StatusCommand, io: CliIo): Promise<number> {
  const dir = path.resolve(io.cwd, command.dir ?? '.');
  const detected = detectWorkspaces(dir);
  if (!fs.existsSync(path.join(dir, 'flake.nix'))) {
    const broken = brokenManifestsAbove(detected, dir);
    throw new UsageError(
      broken.length === 0
        ? `no flake.nix in ${dir} (nixify init writes one)`
        : `no flake.nix in ${dir}; nixify init writes one once Cargo.toml parses:\n${formatProblemBlock(broken, io.cwd)}`,
    );
  }
  const projects = projectsOf(detected.workspaces, dir, fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'));
  let status: WorkspaceStatus;
  try {
    status = await workspaceStatus(dir, projects, {
      system: command.system ?? null,
      ...(io.env !== undefined && { env: io.env, replaceEnv: true }),
    });
  } catch (error) {
    io.stderr(`nixify: ${failureMessage(error, dir, io.cwd)}\n`);
    return EXIT_STATUS_FAILED;
  }
  io.stdout(
    command.json
      ? `${JSON.stringify(statusJson(dir, status), null, 2)}\n`
      : formatStatus(status, path.relative(io.cwd, dir) || '.'),
  );
  return 0;
}

function failureMessage(error: unknown, dir: string, cwd: string): string {
  if (error instanceof CommandNotFoundError) return `${error.message}: nixify status needs Nix`;
  if (error instanceof ProcessError) return describeFailure(error.result);
  if (error instanceof FlakeEvalError) {
    const where = locatedNixError(error.stderr, dir, path.join(dir, 'flake.nix'), cwd);
    return `evaluating the flake failed:\n${where}${error.message}`;
  }
  throw error;
}

/**
 * The projects of the flake at `dir`: the ones its text lists, else the workspaces at or below
 * `dir`; when `dir` is inside a workspace, that one (its crates, as one project at the flake's root).
 */
export function projectsOf(
  workspaces: readonly Workspace[],
  dir: string,
  flakeText: string | null,
): ProjectRef[] {
  const projects = projectsOfFlake(dir, workspaces, flakeText);
  if (projects.length > 0) return projectRefs(projects);
  const holding = workspaces.filter((w) => dir.startsWith(`${w.root}${path.sep}`)).slice(-1);
  return projectRefs(holding.map((workspace) => ({ key: ROOT_PROJECT_KEY, dir: '', workspace })));
}

interface Section {
  group: 'crate' | 'workspace' | 'project' | 'other';
  name: string;
  /** The project's key, for crate and project sections. */
  project: string | null;
  items: DerivationItem[];
}

/**
 * Per project its crates, then the project's own items ("Workspace" when the flake has one
 * project, else "Project <dir> (<key>)"), then Other outputs.
 */
function sections(status: WorkspaceStatus): Section[] {
  const several = status.groups.projects.length > 1;
  return [
    ...status.groups.projects.flatMap((p): Section[] => [
      ...p.crates.map((g): Section => ({ group: 'crate', name: g.output, project: p.key, items: g.items })),
      several
        ? { group: 'project', name: `Project ${p.dir || '.'} (${p.key})`, project: p.key, items: p.items }
        : { group: 'workspace', name: 'Workspace', project: p.key, items: p.items },
    ]),
    { group: 'other', name: 'Other outputs', project: null, items: status.groups.other },
  ];
}

/** The human table: one block per crate, then each project's own and Other outputs, then the sum-up. */
export function formatStatus(status: WorkspaceStatus, shownDir: string): string {
  const { plan } = status;
  const lines = [
    `Derivations of ${shownDir} for ${status.groups.system}`,
    `Substituters: ${plan.substituters.length === 0 ? 'none' : plan.substituters.join(' ')}`,
  ];
  const rows: { section?: string; cells: string[] }[] = [];
  for (const section of sections(status)) {
    if (section.items.length === 0 && section.group !== 'crate') continue;
    rows.push({ section: section.name, cells: [] });
    if (section.items.length === 0) rows.push({ cells: ['(no derivations)', '', '', ''] });
    for (const item of section.items) {
      const s = status.statuses.get(item.drvPath);
      const where = buildsOn(status, item);
      const detail = [
        where && status.machines.builders.length > 0 ? placementText(where) : '',
        s ? itemDetail(s) : '',
      ]
        .filter(Boolean)
        .join('; ');
      rows.push({ cells: [item.label, s?.status ?? 'unknown', item.name, detail] });
    }
  }
  const width = (c: number) => Math.max(0, ...rows.map((r) => (r.cells[c] ?? '').length));
  const widths = [width(0), width(1), width(2)];
  lines.push('');
  for (const row of rows) {
    if (row.section !== undefined) {
      lines.push(row.section);
      continue;
    }
    const [label = '', state = '', name = '', detail = ''] = row.cells;
    const text = `  ${label.padEnd(widths[0] ?? 0)}  ${state.padEnd(widths[1] ?? 0)}  ${name.padEnd(widths[2] ?? 0)}  ${detail}`;
    lines.push(text.trimEnd());
  }
  lines.push('', status.summary);
  for (const attribute of status.groups.failed) lines.push(`failed to evaluate: ${attribute}`);
  for (const note of plan.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** For a "build" item: where Nix would build it (`local`, `either`, `remote`, `nowhere`) and on which builders. */
function buildsOn(status: WorkspaceStatus, item: DerivationItem): BuildPlacement | null {
  if (status.statuses.get(item.drvPath)?.status !== 'build') return null;
  return placeItem(item, status.machines);
}

function itemDetail(s: ItemStatus): string {
  if (s.status === 'cached') {
    const hit = s.outputs.find((o) => o.hit)?.hit;
    const size = s.downloadSize ?? s.narSize;
    const signer = hit?.signedBy ? `, signed by ${hit.signedBy}` : '';
    return hit ? `from ${hit.url}${signer}, ${formatBytes(size)}` : '';
  }
  return s.detail ?? '';
}

function placementText(where: BuildPlacement): string {
  switch (where.where) {
    case 'local':
      return 'builds here';
    case 'either':
      return `offered to ${where.builders.join(', ')}, else here`;
    case 'remote':
      return `builds on ${where.builders.join(', ')}`;
    case 'nowhere':
      return `no machine can: ${where.reason}`;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `--json`: the same data, one object per item with its status and outputs. */
export function statusJson(dir: string, status: WorkspaceStatus): unknown {
  return {
    dir,
    system: status.groups.system,
    substituters: status.plan.substituters,
    flakeSubstituters: status.plan.flakeSubstituters,
    notes: status.plan.notes,
    summary: status.summary,
    counts: status.counts,
    groups: sections(status).map((section) => ({
      group: section.group,
      name: section.name,
      project: section.project,
      items: section.items.map((item) => {
        const s = status.statuses.get(item.drvPath);
        return {
          label: item.label,
          kind: item.kind,
          name: item.name,
          drvPath: item.drvPath,
          attributes: item.attributes,
          artifactsOf: item.artifactsOf,
          status: s?.status ?? 'unknown',
          detail: s?.detail ?? null,
          narSize: s?.narSize ?? 0,
          downloadSize: s?.downloadSize ?? null,
          outputs: s?.outputs ?? [],
        };
      }),
    })),
    failed: status.groups.failed,
    derivations: flatDerivations(status),
  };
}

/**
 * One entry per derivation, in tree order, for scripts (a CI planning step): the installable
 * attribute path (null for dependency artifacts, which only their consumers name), the status and
 * what decides where it builds. `jq '.derivations[] | select(.status == "build") | .attribute'`.
 */
function flatDerivations(status: WorkspaceStatus): unknown[] {
  return sections(status).flatMap((section) =>
    section.items.map((item) => ({
      attribute: item.attributes[0] ?? null,
      attributes: item.attributes,
      drvPath: item.drvPath,
      name: item.name,
      kind: item.kind,
      project: section.project,
      status: status.statuses.get(item.drvPath)?.status ?? 'unknown',
      system: item.build?.system ?? status.groups.system,
      requiredSystemFeatures: item.build?.requiredSystemFeatures ?? [],
      preferLocalBuild: item.build?.preferLocalBuild ?? false,
      buildsOn: buildsOn(status, item),
    })),
  );
}
