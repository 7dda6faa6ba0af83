// Drives a slow resource (a language server, another extension's environment) towards the latest
// wanted state one step at a time. Requests that arrive during a step are coalesced: fifty quick
// toggles cost at most a few steps, and the resource always ends in the last wanted state.

export type ReconcileStep<T> = (wanted: T, current: T) => Promise<T>;

export class Reconciler<T> {
  private wanted: T;
  private running: Promise<void> | undefined;

  /**
   * @param step brings the resource from `current` to `wanted` and returns what it reached (which
   *   may differ, e.g. nothing when a server failed to start). It should not throw; if it does,
   *   `onError` hears of it and the step counts as done, so one bad step cannot loop forever.
   */
  constructor(
    private readonly step: ReconcileStep<T>,
    private current: T,
    private readonly equals: (a: T, b: T) => boolean,
    private readonly onError: (error: unknown) => void,
  ) {
    this.wanted = current;
  }

  get state(): T {
    return this.current;
  }

  /** Resolves once the resource has reached `wanted` or a state wanted later. */
  set(wanted: T): Promise<void> {
    this.wanted = wanted;
    this.running ??= this.drain();
    return this.running;
  }

  /** Resolves when no step is running. */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    // Lets `set` store this promise before the loop can finish and clear it.
    await undefined;
    for (;;) {
      const target = this.wanted;
      if (!this.equals(this.current, target)) {
        try {
          this.current = await this.step(target, this.current);
        } catch (error) {
          this.onError(error);
          this.current = target;
        }
      }
      // A step that fell short (a server that did not start) is not retried until asked again.
      if (this.equals(target, this.wanted)) break;
    }
    // Synchronous after the last check: a `set` cannot slip in between and be left unhandled.
    this.running = undefined;
  }
}
