import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../cargo/types';
import { isInside } from '../cargo/workspace';
import { LEPTOS_NIX, LEPTOS_NIX_PATH, WASM_PKG_NIX, WASM_PKG_NIX_PATH } from './artefactsNix';
import { renderEnvrc } from './envrc';
import { flakeFacts, type FlakeFacts } from './facts';
import { FLAKE_NIX_PATH, flakeFollowUps, renderFlake } from './flakeNix';
import { mergeGitignore } from './gitignore';
import { modelChangeNote, optionsProblem } from './options';
import {
  crateOutputNames,
  flakeProjects,
  relativeDir,
  sharedCrateNames,
  type FlakeProject,
} from './projects';
import type { InitOptions, PlannedFile } from './types';
import { renderWasmBindgenNix, WASM_BINDGEN_NIX_PATH } from './wasmBindgenNix';
import { isPlainAttrName, renderWorkflow } from './workflow';
import { CI_PLAN_SCRIPT, CI_PLAN_SCRIPT_PATH } from './workflowPlanned';
import { WASM_NIX, WASM_NIX_PATH, WORKSPACE_NIX, WORKSPACE_NIX_PATH } from './workspaceNix';

/** Everything "Nixify workspace" would write, computed without writing anything. */
export interface InitPlan {
  /** Where flake.nix goes: the root of the repository (or folder) the flake covers. */
  root: string;
  options: InitOptions;
  /** The primary project's facts (the root project, else the first). */
  facts: FlakeFacts;
  /** Every project the flake builds, primary first. */
  projects: FlakeFacts[];
  /** Projects found but not built, each with why. */
  leftOut: LeftOutProject[];
  files: PlannedFile[];
  /** Things the user has to do afterwards, one sentence each. */
  followUps: string[];
}

/** What one flake covers. */
export interface RepositoryInput {
  /** Where flake.nix goes. */
  root: string;
  /** The Cargo projects to build (workspaces and separate packages under root). */
  workspaces: readonly Workspace[];
  /**
   * Projects under root that are found but not built (not wanted, or their manifests do not load):
   * their files stay out of every other project's sources.
   */
  leftOut?: readonly { root: string; reason?: string }[];
}

export interface LeftOutProject {
  dir: string;
  reason: string;
}

export type ReadFile = (absolutePath: string) => string | null;

export function readIfExists(absolutePath: string): string | null {
  try {
    return fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export class PlanError extends Error {}

const LEFT_OUT_WHEN_ASKED = 'left out when asked';
/** The reason of a project left out for the errors in its manifests (already shown by the caller). */
export const HAS_ERRORS = 'its manifests have errors';

/** The files for the one workspace `ws`, its flake at its root. */
export function planInit(
  ws: Workspace,
  options: InitOptions,
  nixifyVersion: string,
  read: ReadFile = readIfExists,
): InitPlan {
  return planRepository({ root: ws.root, workspaces: [ws] }, options, nixifyVersion, read);
}

/**
 * The files for one flake covering every project of `repo`; throws PlanError when the options
 * cannot work or no project can be built. A project whose path dependencies leave the flake's root
 * cannot be built from it: it is left out (and said why), the others are planned.
 */
export function planRepository(
  repo: RepositoryInput,
  options: InitOptions,
  nixifyVersion: string,
  read: ReadFile = readIfExists,
): InitPlan {
  const leftOut: LeftOutProject[] = (repo.leftOut ?? []).map((ws) => ({
    dir: relativeDir(repo.root, ws.root),
    reason: ws.reason ?? LEFT_OUT_WHEN_ASKED,
  }));
  const buildable = repo.workspaces.filter((ws) => {
    const outside = pathDepsOutside(repo.root, ws);
    if (outside.length === 0) return true;
    leftOut.push({
      dir: relativeDir(repo.root, ws.root),
      reason: `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside ${repo.root}, which is all a flake there can see: run Nixify on a folder that holds ${outside.length === 1 ? 'it' : 'them'} too`,
    });
    return false;
  });
  const projects = flakeProjects(repo.root, buildable);
  if (projects.length === 0) {
    throw new PlanError(
      leftOut.length === 0
        ? `no Cargo project to build in ${repo.root}`
        : `no Cargo project can be built from ${repo.root}: ${leftOut.map((l) => `${l.dir || '.'}: ${l.reason}`).join('; ')}`,
    );
  }
  for (const { workspace } of projects) {
    const problem = optionsProblem(workspace, options);
    if (problem !== null) throw new PlanError(problem);
  }
  const allFacts = projects.map((p) => flakeFacts(p.workspace, repo.root, p.key));
  const facts = allFacts[0] as FlakeFacts;
  const wasm = options.wasm && allFacts.some((f) => f.wasmCrates.length > 0);
  const files: PlannedFile[] = [];
  const add = (relPath: string, content: string, purpose: string) => {
    const existing = read(path.join(repo.root, relPath));
    files.push({ path: relPath, content, existing, purpose, status: statusOf(existing, content) });
  };
  const modelChange = modelChangeNote(read(path.join(repo.root, FLAKE_NIX_PATH)), options);
  const projectDirs = [
    ...projects.map((p) => p.dir),
    ...(repo.leftOut ?? []).map((ws) => relativeDir(repo.root, ws.root)),
  ];
  add(
    FLAKE_NIX_PATH,
    renderFlake({ projects: allFacts, projectDirs }, options, nixifyVersion),
    modelChange === null
      ? 'the flake: inputs, toolchain, crates, checks, dev shell'
      : 'the flake, with a new build model: each dependency compiled once for the workspace',
  );
  add(WORKSPACE_NIX_PATH, WORKSPACE_NIX, 'finds the crates and their sources when the flake is evaluated');
  if (wasm) add(WASM_NIX_PATH, WASM_NIX, 'finds the crates to build for wasm32 when the flake is evaluated');
  const bindgenVersions = wasmBindgenVersions(allFacts);
  if (wasm && bindgenVersions.length > 0) {
    add(
      WASM_BINDGEN_NIX_PATH,
      renderWasmBindgenNix(bindgenVersions),
      `wasm-bindgen-cli ${bindgenVersions.join(', ')}, the version${bindgenVersions.length === 1 ? '' : 's'} in Cargo.lock`,
    );
  }
  if (wasm && bindgenVersions.length > 0) {
    add(WASM_PKG_NIX_PATH, WASM_PKG_NIX, 'wasm-bindgen crates as packages for JavaScript (<crate>-pkg)');
  }
  if (wasm && allFacts.some((f) => f.usesLeptos)) {
    add(LEPTOS_NIX_PATH, LEPTOS_NIX, 'Leptos sites built as cargo-leptos builds them (<output-name>-site)');
  }
  if (options.ci) {
    const outputs = crateOutputNames(projects);
    const binaryPackages = allFacts.flatMap((f) =>
      f.binaryCrates.map((name) => outputs.get(f.key)?.get(name) ?? name),
    );
    // cargo accepts names such as `é-crate` that the workflow cannot name unquoted; say so instead of failing.
    const unnamed = binaryPackages.find((name) => !isPlainAttrName(name));
    if (unnamed !== undefined)
      throw new PlanError(
        `the CI workflow cannot name the crate \`${unnamed}\` (only ASCII letters, digits, \`_\` and \`-\`): run again with --no-ci`,
      );
    add(
      '.github/workflows/nix.yml',
      renderWorkflow({ options, workspaceName: facts.name, binaryPackages }),
      options.ciMode === 'planned'
        ? 'CI: plans from the binary cache, then builds only what it lacks'
        : 'CI: nix flake check and build, with a binary cache',
    );
    if (options.ciMode === 'planned') {
      add(CI_PLAN_SCRIPT_PATH, CI_PLAN_SCRIPT, 'what CI must build; run it to see what a push would build');
    }
  }
  if (options.envrc) add('.envrc', renderEnvrc(), 'direnv loads the dev shell in terminals');
  if (options.gitignore) {
    const existing = read(path.join(repo.root, '.gitignore'));
    const merged = mergeGitignore(existing);
    files.push({
      path: '.gitignore',
      content: merged.content,
      existing,
      purpose: 'ignores result links and .direnv',
      status: existing === null ? 'create' : merged.added.length === 0 ? 'unchanged' : 'update',
    });
  }
  const notes = [...followUps(allFacts, options, wasm, bindgenVersions), ...layoutNotes(projects, leftOut)];
  return {
    root: repo.root,
    options,
    facts,
    projects: allFacts,
    leftOut,
    files,
    followUps: modelChange === null ? notes : [modelChange, ...notes],
  };
}

function statusOf(existing: string | null, content: string): PlannedFile['status'] {
  if (existing === null) return 'create';
  return existing === content ? 'unchanged' : 'conflict';
}

function followUps(
  projects: readonly FlakeFacts[],
  options: InitOptions,
  wasm: boolean,
  bindgenVersions: readonly string[],
): string[] {
  const notes = flakeFollowUps(projects, options);
  if (wasm && bindgenVersions.length > 0) {
    notes.push(
      `wasm-bindgen-cli ${bindgenVersions.join(', ')}: when your nixpkgs does not package ${bindgenVersions.length === 1 ? 'this version' : 'these versions'}, run \`nix build .#wasm-bindgen-cli\` and put the "got:" hashes it prints into ${WASM_BINDGEN_NIX_PATH}.`,
    );
  }
  notes.push('Flakes only see files git tracks: `git add flake.nix nix` (Nixify offers to do it).');
  return notes;
}

/** The wasm-bindgen versions the projects' wasm crates lock, sorted and unique. */
function wasmBindgenVersions(projects: readonly FlakeFacts[]): string[] {
  const versions = projects.flatMap((p) =>
    p.wasmCrates.length > 0 && p.wasmBindgenVersion !== null ? [p.wasmBindgenVersion] : [],
  );
  return [...new Set(versions)].sort();
}

/** Path dependencies of `ws`'s packages that a flake at `root` cannot see, relative to `ws`. */
export function pathDepsOutside(root: string, ws: Workspace): string[] {
  const outside = ws.packages.flatMap((pkg) =>
    pkg.dependencies.flatMap((dep) =>
      dep.path !== undefined && !isInside(dep.path, root) ? [path.relative(ws.root, dep.path)] : [],
    ),
  );
  return [...new Set(outside)].sort();
}

/** What the flake's layout means for the user: projects left out, outputs renamed. */
function layoutNotes(projects: readonly FlakeProject[], leftOut: readonly LeftOutProject[]): string[] {
  const notes = leftOut
    .filter((l) => l.reason !== LEFT_OUT_WHEN_ASKED && !l.reason.startsWith(HAS_ERRORS))
    .map((l) => `The project in ${l.dir || '.'} is not in the flake: ${l.reason}.`);
  const shared = sharedCrateNames(projects);
  if (shared.length > 0) {
    notes.push(
      `Crates of several projects share ${shared.length === 1 ? 'a name' : 'names'} (${shared.join(', ')}): their packages and checks are named <project>-<crate>, e.g. ${[
        ...crateOutputNames(projects).entries(),
      ]
        .flatMap(([, names]) => [...names.entries()].filter(([c, o]) => c !== o).map(([, o]) => o))
        .slice(0, 2)
        .join(' and ')}.`,
    );
  }
  return notes;
}
