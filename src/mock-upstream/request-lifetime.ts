/**
 * The waiting side of one mock request: cancellable sleeps and an "until the end" wait, all
 * released at once when the client goes away or the server shuts down. Every timer the mock
 * starts for a request lives here, so close() can stop them and test processes exit promptly.
 *
 * It does not touch sockets; the server decides when a lifetime ends.
 */

export class RequestLifetime {
  private ended = false;
  private readonly cancels = new Set<() => void>();

  get isEnded(): boolean {
    return this.ended;
  }

  /** Resolves true after `ms`, or false as soon as the lifetime ends. */
  sleep(ms: number): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const cancel = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.cancels.delete(cancel);
        resolve(true);
      }, ms);
      this.cancels.add(cancel);
    });
  }

  /** Resolves when the lifetime ends; used by `hang` and `stallAfter`. */
  untilEnd(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.cancels.add(resolve);
    });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const cancel of this.cancels) cancel();
    this.cancels.clear();
  }
}
