// The entry point VS Code loads through `extensionTestsPath`: the standard mocha runner that
// @vscode/test-electron documents, limited to the suites of the scenario the harness started
// (NIXIFY_TEST_SCENARIO reaches the extension host through code-server's environment).
import * as path from 'node:path';
import Mocha from 'mocha';

const SUITES: Record<string, string[]> = {
  single: ['activation', 'commands', 'crates', 'refresh'],
  'with-flake': ['activation', 'health', 'settings'],
  'multi-root': ['multiRoot'],
  empty: ['empty'],
  nixify: ['nixifyWorkspace'],
  devshell: ['devShell'],
  derivations: ['derivations', 'derivationActions'],
  'devshell-multi-root': ['devShellMultiRoot'],
  'nix-errors': ['nixErrors'],
  'multi-project': ['multiProject'],
  'remote-builders': ['remoteBuilders'],
  'folder-churn': ['folderChurn'],
};

/** The harness totals scenarios from this line; console output reaches it through codeAutomationLog. */
export const SUMMARY_PREFIX = 'NIXIFY_MOCHA_SUMMARY ';

export function run(): Promise<void> {
  const scenario = process.env.NIXIFY_TEST_SCENARIO ?? 'single';
  const suites = SUITES[scenario];
  if (!suites) {
    return Promise.reject(new Error(`unknown NIXIFY_TEST_SCENARIO ${scenario}`));
  }
  // The spec reporter's colours would arrive as escape codes in the harness log.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const suite of suites) {
    mocha.addFile(path.join(__dirname, `${suite}.test.js`));
  }
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        console.log(`${SUMMARY_PREFIX}${JSON.stringify({ scenario, passes, failures, pending })}`);
        if (failures > 0) {
          reject(new Error(`${failures} test(s) failed in scenario ${scenario}`));
        } else {
          resolve();
        }
      });
    } catch (error) {
      console.error(error);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
