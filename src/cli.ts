// The `nixify` command. It shares src/core with the extension and must never import `vscode`.
import { runCli } from './cli/run';

// `nixify detect | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') {
    throw error;
  }
});

// exitCode rather than exit(): exit() can cut off output still buffered for a pipe.
void Promise.resolve(
  runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }),
).then((status) => {
  process.exitCode = status;
});
