import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../cargo/types';
import { renderEnvrc } from './envrc';
import { flakeFacts, type FlakeFacts } from './facts';
import { FLAKE_NIX_PATH, flakeFollowUps, renderFlake } from './flakeNix';
import { mergeGitignore } from './gitignore';
import { modelChangeNote, optionsProblem } from './options';
import type { InitOptions, PlannedFile } from './types';
import { renderWasmBindgenNix, WASM_BINDGEN_NIX_PATH } from './wasmBindgenNix';
import { isPlainAttrName, renderWorkflow } from './workflow';
import { WASM_NIX, WASM_NIX_PATH, WORKSPACE_NIX, WORKSPACE_NIX_PATH } from './workspaceNix';

/** Everything "Nixify workspace" would write, computed without writing anything. */
export interface InitPlan {
  /** The workspace root: where flake.nix goes. */
  root: string;
  options: InitOptions;
  facts: FlakeFacts;
  files: PlannedFile[];
  /** Things the user has to do afterwards, one sentence each. */
  followUps: string[];
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

/** The files for `ws` with `options`; throws PlanError when the options cannot work. */
export function planInit(
  ws: Workspace,
  options: InitOptions,
  nixifyVersion: string,
  read: ReadFile = readIfExists,
): InitPlan {
  const problem = optionsProblem(ws, options);
  if (problem !== null) throw new PlanError(problem);
  const facts = flakeFacts(ws);
  const wasm = options.wasm && facts.wasmCrates.length > 0;
  const files: PlannedFile[] = [];
  const add = (relPath: string, content: string, purpose: string) => {
    const existing = read(path.join(ws.root, relPath));
    files.push({ path: relPath, content, existing, purpose, status: statusOf(existing, content) });
  };
  const modelChange = modelChangeNote(read(path.join(ws.root, FLAKE_NIX_PATH)), options);
  add(
    FLAKE_NIX_PATH,
    renderFlake(facts, options, nixifyVersion),
    modelChange === null
      ? 'the flake: inputs, toolchain, crates, checks, dev shell'
      : 'the flake, with a new build model: each dependency compiled once for the workspace',
  );
  add(WORKSPACE_NIX_PATH, WORKSPACE_NIX, 'finds the crates and their sources when the flake is evaluated');
  if (wasm) add(WASM_NIX_PATH, WASM_NIX, 'finds the crates to build for wasm32 when the flake is evaluated');
  if (wasm && facts.wasmBindgenVersion !== null) {
    add(
      WASM_BINDGEN_NIX_PATH,
      renderWasmBindgenNix(facts.wasmBindgenVersion),
      `wasm-bindgen-cli ${facts.wasmBindgenVersion}, the version in Cargo.lock`,
    );
  }
  if (options.ci) {
    // cargo accepts names such as `é-crate` that the workflow cannot name unquoted; say so instead of failing.
    const unnamed = facts.binaryCrates.find((name) => !isPlainAttrName(name));
    if (unnamed !== undefined)
      throw new PlanError(
        `the CI workflow cannot name the crate \`${unnamed}\` (only ASCII letters, digits, \`_\` and \`-\`): run again with --no-ci`,
      );
    add(
      '.github/workflows/nix.yml',
      renderWorkflow({ options, workspaceName: facts.name, binaryPackages: facts.binaryCrates }),
      'CI: nix flake check and build, with a binary cache',
    );
  }
  if (options.envrc) add('.envrc', renderEnvrc(), 'direnv loads the dev shell in terminals');
  if (options.gitignore) {
    const existing = read(path.join(ws.root, '.gitignore'));
    const merged = mergeGitignore(existing);
    files.push({
      path: '.gitignore',
      content: merged.content,
      existing,
      purpose: 'ignores result links and .direnv',
      status: existing === null ? 'create' : merged.added.length === 0 ? 'unchanged' : 'update',
    });
  }
  const notes = followUps(facts, options, wasm);
  return {
    root: ws.root,
    options,
    facts,
    files,
    followUps: modelChange === null ? notes : [modelChange, ...notes],
  };
}

function statusOf(existing: string | null, content: string): PlannedFile['status'] {
  if (existing === null) return 'create';
  return existing === content ? 'unchanged' : 'conflict';
}

function followUps(facts: FlakeFacts, options: InitOptions, wasm: boolean): string[] {
  const notes = flakeFollowUps(facts, options);
  if (wasm && facts.wasmBindgenVersion !== null) {
    notes.push(
      `wasm-bindgen-cli ${facts.wasmBindgenVersion}: when your nixpkgs does not package this version, run \`nix build .#wasm-bindgen-cli\` and put the "got:" hashes it prints into ${WASM_BINDGEN_NIX_PATH}.`,
    );
  }
  notes.push('Flakes only see files git tracks: `git add flake.nix nix` (Nixify offers to do it).');
  return notes;
}
