// Runs a broken flake of test/fixtures/nix-errors/cases through the same core functions Nixify's
// dev shell and Derivations view call, and returns what Nix wrote to stderr.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evalFlakeDerivations, FlakeEvalError } from '../../../src/core/derivations';
import { DevShellEvaluationError, evaluateDevShell, shellSourceFor } from '../../../src/core/devenv';
import { caseDir, type NixErrorCase, type NixErrorCommand } from '../../shared/nixErrorCases';
import { evalOptions } from './devenv';
import { gitInit } from './flake';
import type { Nix } from './nix';
import { tempDir } from './paths';

export interface NixErrorRun {
  /** The case's copy: a fresh git repository. */
  root: string;
  flakeDir: string;
  stderr: string;
}

/** A copy of the case in a fresh git repository (flakes see only what git tracks). */
export function copyCase(c: NixErrorCase): { root: string; flakeDir: string } {
  const root = tempDir(`nix-errors-${c.name}`);
  fs.cpSync(caseDir(c), root, { recursive: true });
  gitInit(root);
  return { root, flakeDir: path.join(root, c.flakeSubdir) };
}

/** Runs `command` of Nixify's on a fresh copy of the case; fails unless Nix refuses the flake. */
export async function runNixErrorCase(
  nix: Nix,
  c: NixErrorCase,
  command: NixErrorCommand,
): Promise<NixErrorRun> {
  const { root, flakeDir } = copyCase(c);
  const options = evalOptions(nix, tempDir('nix-errors-storage'));
  try {
    if (command === 'print-dev-env') {
      const source = shellSourceFor(flakeDir, { attr: 'default', system: 'x86_64-linux' });
      assert.ok(source?.kind === 'flake', `${flakeDir} holds a flake`);
      await evaluateDevShell(source, options);
    } else {
      await evalFlakeDerivations(flakeDir, {
        nix: options.nix ?? 'nix',
        env: options.env ?? {},
        replaceEnv: true,
        cwd: flakeDir,
      });
    }
  } catch (error) {
    if (error instanceof DevShellEvaluationError || error instanceof FlakeEvalError) {
      return { root, flakeDir, stderr: error.stderr };
    }
    throw error;
  }
  return assert.fail(`${command} of the case ${c.name} succeeded; it must fail`);
}
