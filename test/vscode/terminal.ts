// What a NEW integrated terminal of a folder sees: its own shell writes the variables to a file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually } from './helpers';

let count = 0;

export async function terminalSees(
  folder: vscode.WorkspaceFolder,
  names: readonly string[],
): Promise<Record<string, string>> {
  const out = path.join(os.tmpdir(), `nixify-terminal-${process.pid}-${++count}.txt`);
  const terminal = vscode.window.createTerminal({ name: `nixify test ${count}`, cwd: folder.uri });
  try {
    const format = names.map(() => '%s\\n').join('');
    const args = names.map((name) => `"$${name}"`).join(' ');
    terminal.sendText(`printf '${format}' ${args} > '${out}.part' && mv '${out}.part' '${out}'`);
    const text = await eventually('the terminal to write its environment', async () =>
      fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined,
    );
    const lines = text.split('\n');
    return Object.fromEntries(names.map((name, i) => [name, lines[i] ?? '']));
  } finally {
    terminal.dispose();
    fs.rmSync(out, { force: true });
  }
}
