// The questions of the interactive path: which folder, which of its projects, and which options. Few steps: the first
// pick offers to go with the defaults (or what flake.nix recorded) and shows them on one line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Workspace } from '../../core/cargo';
import {
  optionsProblem,
  validCachixKey,
  optionsSummary,
  validCachixName,
  wasm32Crates,
  type DepsLayout,
  type InitOptions,
  type ToolchainSource,
} from '../../core/flake';
import { countOf, workspaceKind, workspaceName } from '../../describe';
import { relativeDir, testDataReason } from '../../core/flake/projects';
import type { Target } from './targets';

/** One pick of the folders that hold Cargo projects; skipped for one. */
export async function pickTarget(options: readonly Target[]): Promise<Target | undefined> {
  const [only] = options;
  if (options.length === 1 && only) return only;
  type Item = vscode.QuickPickItem & { target: Target };
  const items: Item[] = options.map((target) => ({
    label: target.folder.name,
    description: [
      target.root,
      fs.existsSync(path.join(target.root, 'flake.nix')) ? 'has flake.nix' : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(' · '),
    detail: target.projects.map((ws) => workspaceName(ws)).join(', '),
    target,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Nixify Workspace',
    placeHolder: 'Which folder? One flake at its root builds every Cargo project in it',
    matchOnDescription: true,
  });
  return picked?.target;
}

/**
 * The projects the flake builds: every one of `target` is offered, the preselected ones checked.
 * Skipped (the preselection) when there is only one; undefined when dismissed or none is left.
 */
export async function pickProjects(target: Target): Promise<Workspace[] | undefined> {
  if (target.projects.length <= 1) return target.projects;
  type Item = vscode.QuickPickItem & { ws: Workspace };
  const items: Item[] = target.projects.map((ws) => {
    const dir = relativeDir(target.root, ws.root);
    return {
      label: workspaceName(ws),
      description: dir === '' ? './' : dir,
      detail: [workspaceKind(ws), countOf(ws.packages.length, 'crate'), testDataReason(dir) ?? undefined]
        .filter((part) => part !== undefined)
        .join(' · '),
      picked: target.preselected.includes(ws),
      ws,
    };
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: `Nixify ${target.folder.name}: one flake for these projects`,
    placeHolder: 'Uncheck the projects to leave out (each keeps its own Cargo.lock and toolchain)',
    canPickMany: true,
    matchOnDescription: true,
  });
  if (picked === undefined || picked.length === 0) return undefined;
  return picked.map((item) => item.ws);
}

/**
 * The options to plan with, starting from `start`; undefined when the user dismisses the first
 * pick. Dismissing a later step goes back to the first pick rather than losing the choices.
 */
export async function chooseOptions(
  title: string,
  projects: readonly Workspace[],
  start: InitOptions,
  recorded: boolean,
): Promise<InitOptions | undefined> {
  let options = start;
  let customized = false;
  for (;;) {
    const problem = projects.map((ws) => optionsProblem(ws, options)).find((p) => p !== null) ?? null;
    const what = customized
      ? 'these options'
      : recorded
        ? 'the options recorded in flake.nix'
        : 'these defaults';
    const create: vscode.QuickPickItem = problem
      ? { label: `$(warning) ${problem}`, detail: optionsSummary(options), alwaysShow: true }
      : { label: `$(check) Create with ${what}`, detail: optionsSummary(options) };
    const customize: vscode.QuickPickItem = {
      label: '$(settings-gear) Customize…',
      detail: 'Toolchain, dependency layout, CI, Cachix, direnv, OCI images',
    };
    const picked = await vscode.window.showQuickPick([create, customize], {
      title: `Nixify ${title}`,
      placeHolder: 'The files are shown before anything is written',
    });
    if (picked === undefined) return undefined;
    if (picked === create && problem === null) return options;
    const changed = await customizeOptions(projects, options);
    if (changed) {
      options = changed;
      customized = true;
    }
  }
}

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

const TOOLCHAINS: readonly Choice<ToolchainSource>[] = [
  {
    value: 'rust-overlay',
    label: 'rust-overlay',
    description: 'rust-toolchain.toml / wasm targets',
    detail: 'The exact toolchain rust-toolchain.toml names, with extra targets such as wasm32',
  },
  {
    value: 'fenix',
    label: 'fenix',
    description: 'nightly, rust-toolchain.toml',
    detail: 'nix-community/fenix: nightly toolchains and components, updated daily',
  },
  {
    value: 'nixpkgs',
    label: 'nixpkgs',
    description: 'fewest inputs',
    detail: 'rustc and cargo as nixpkgs ships them: no extra flake input, no wasm32 standard library',
  },
];

const LAYOUTS: readonly Choice<DepsLayout>[] = [
  {
    value: 'workspace',
    label: 'workspace',
    description: 'each dependency compiled once',
    detail: 'One dependency build that every crate reuses, as cargo does: the fastest cold build and CI',
  },
  {
    value: 'per-crate',
    label: 'per-crate',
    description: 'one dependency build per crate',
    detail:
      'Building one package compiles only its own dependencies; building them all compiles shared ones again',
  },
];

type Flag = 'wasm' | 'nextest' | 'ci' | 'ciSingle' | 'cachix' | 'oci' | 'envrc' | 'gitignore';

const STEPS = 4;

async function customizeOptions(
  projects: readonly Workspace[],
  current: InitOptions,
): Promise<InitOptions | undefined> {
  const toolchain = await pickOne('Rust toolchain', 1, TOOLCHAINS, current.toolchain);
  if (toolchain === undefined) return undefined;
  const deps = await pickOne('Dependency builds', 2, LAYOUTS, current.deps);
  if (deps === undefined) return undefined;

  const wasm = projects.flatMap((ws) => wasm32Crates(ws));
  const flags: Choice<Flag>[] = [
    ...(wasm.length > 0
      ? [{ value: 'wasm' as const, label: 'wasm', description: `build ${wasm.join(', ')} for wasm32` }]
      : []),
    { value: 'nextest', label: 'nextest', description: 'cargo nextest instead of cargo test in the checks' },
    { value: 'ci', label: 'CI', description: '.github/workflows/nix.yml: builds what no trusted cache has' },
    {
      value: 'ciSingle',
      label: 'CI in one job per OS',
      description: 'nix flake check and nix build, instead of a plan and a matrix of builds',
    },
    { value: 'cachix', label: 'Cachix', description: 'a binary cache that CI fills and you download from' },
    { value: 'oci', label: 'OCI images', description: 'one container image per binary crate' },
    { value: 'envrc', label: '.envrc', description: 'direnv loads the dev shell in terminals' },
    { value: 'gitignore', label: '.gitignore', description: 'ignore result links and .direnv' },
  ];
  const isOn = (flag: Flag) =>
    flag === 'cachix'
      ? current.cachix !== null
      : flag === 'ciSingle'
        ? current.ciMode === 'single'
        : current[flag];
  const picked = await pickMany(
    'Features',
    3,
    flags,
    flags.filter((f) => isOn(f.value)),
  );
  if (picked === undefined) return undefined;
  const on = new Set(picked);

  let cachix: string | null = null;
  let cachixPublicKey: string | null = null;
  if (on.has('cachix')) {
    const name = await vscode.window.showInputBox({
      title: `Cachix cache name (${STEPS}/${STEPS})`,
      prompt: 'The name in https://<name>.cachix.org',
      value: current.cachix ?? '',
      ignoreFocusOut: true,
      validateInput: (text) =>
        validCachixName(text)
          ? null
          : 'Lowercase letters, digits and dashes, not starting or ending with a dash',
    });
    if (name === undefined) return undefined;
    const key = await vscode.window.showInputBox({
      title: `Cachix public key (${STEPS}/${STEPS})`,
      prompt: `Optional: shown on https://app.cachix.org/cache/${name}. Empty writes a placeholder.`,
      placeHolder: `${name}.cachix.org-1:…`,
      value: current.cachix === name ? (current.cachixPublicKey ?? '') : '',
      ignoreFocusOut: true,
      validateInput: (text) => {
        const trimmed = text.trim();
        if (trimmed === '' || validCachixKey(trimmed, name)) return null;
        return validCachixKey(trimmed)
          ? `This key belongs to another cache, not ${name}`
          : `Expected ${name}.cachix.org-1: followed by 44 characters of base64`;
      },
    });
    if (key === undefined) return undefined;
    cachix = name;
    cachixPublicKey = key.trim() === '' ? null : key.trim();
  }
  return {
    toolchain,
    deps,
    // Without wasm crates the flag is not offered and changes nothing: keep it as it was.
    wasm: wasm.length > 0 ? on.has('wasm') : current.wasm,
    nextest: on.has('nextest'),
    ci: on.has('ci'),
    ciMode: on.has('ciSingle') ? 'single' : 'planned',
    // Only the CLI and the flake.nix header set the job limit; the quick pick keeps it.
    ciMaxJobs: current.ciMaxJobs,
    cachix,
    cachixPublicKey,
    oci: on.has('oci'),
    envrc: on.has('envrc'),
    gitignore: on.has('gitignore'),
  };
}

function pickOne<T>(
  title: string,
  step: number,
  choices: readonly Choice<T>[],
  current: T,
): Promise<T | undefined> {
  return runPick(title, step, choices, false, (pick) => {
    pick.activeItems = choices.filter((c) => c.value === current);
  }).then((picked) => picked?.[0]);
}

function pickMany<T>(
  title: string,
  step: number,
  choices: readonly Choice<T>[],
  selected: readonly Choice<T>[],
): Promise<T[] | undefined> {
  return runPick(title, step, choices, true, (pick) => {
    pick.selectedItems = selected;
  });
}

function runPick<T>(
  title: string,
  step: number,
  choices: readonly Choice<T>[],
  many: boolean,
  prepare: (pick: vscode.QuickPick<Choice<T>>) => void,
): Promise<T[] | undefined> {
  const pick = vscode.window.createQuickPick<Choice<T>>();
  pick.title = title;
  pick.step = step;
  pick.totalSteps = STEPS;
  pick.canSelectMany = many;
  pick.matchOnDescription = true;
  pick.items = choices;
  prepare(pick);
  return new Promise<T[] | undefined>((resolve) => {
    let result: T[] | undefined;
    pick.onDidAccept(() => {
      result = (many ? pick.selectedItems : pick.activeItems.slice(0, 1)).map((c) => c.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}
