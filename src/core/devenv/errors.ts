// The one error the dev-shell core throws for "Nix (or the shell's hook) said no". Programs that are
// missing surface as process.ts's CommandNotFoundError, so callers can offer "Install Nix".

export class DevShellEvaluationError extends Error {
  override readonly name = 'DevShellEvaluationError';

  /**
   * @param message Nix's own error (from its first `error:` line), trimmed, or what went wrong.
   * @param stderr Everything the failed process wrote to stderr, for the log.
   * @param cancelled True when the evaluation was aborted through its `AbortSignal`.
   */
  constructor(
    message: string,
    readonly stderr: string,
    readonly cancelled: boolean = false,
  ) {
    super(message);
  }
}

const TAIL_LINES = 20;

/**
 * What the user needs from a failed nix run: from its first `error:` line on (nix prints progress
 * such as `building '…'` and warnings before it), or the last lines when there is none.
 */
export function nixErrorMessage(stderr: string): string {
  const lines = stderr.replace(/\r/g, '').split('\n');
  const first = lines.findIndex((line) => /^error\b/.test(line));
  const relevant = first >= 0 ? lines.slice(first) : lines.slice(-TAIL_LINES);
  return relevant.join('\n').trim() || 'nix failed without saying why';
}
