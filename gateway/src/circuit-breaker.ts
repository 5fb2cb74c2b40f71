/** State of a subgraph's circuit: `closed` passes fetches; `open` and `half-open` fail them at once. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failed fetches (transport error, timeout, HTTP 5xx) that open the circuit. */
  failureThreshold: number;
  /** Milliseconds an open circuit waits before probing the subgraph. */
  openMs: number;
  /** A small request of the gateway's own; resolves when the subgraph answers it. */
  probe: () => Promise<void>;
  /** Told on every change of state, with the reason of the failure that opened it. */
  onStateChange?: (state: CircuitState, reason: string | null) => void;
}

/**
 * A circuit breaker for one subgraph. After `failureThreshold` consecutive failures it opens:
 * fetches fail at once instead of each waiting for its timeout. After `openMs` it goes
 * half-open and sends its own probe (never a partner's request, so no partner waits on a hung
 * subgraph while it is probed); the probe's success closes the circuit, its failure opens it
 * for another `openMs`.
 */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #reason: string | null = null;
  #since = Date.now();
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): CircuitState {
    return this.#state;
  }

  /** What `/health` shows: the state, since when, consecutive failures and the last failure's reason. */
  snapshot(): { state: CircuitState; since: string; consecutiveFailures: number; lastFailure: string | null } {
    return { state: this.#state, since: new Date(this.#since).toISOString(), consecutiveFailures: this.#failures, lastFailure: this.#reason };
  }

  /** Whether a fetch may go to the subgraph now. */
  allows(): boolean {
    return this.#state === 'closed';
  }

  /** Milliseconds until the next probe of an open circuit (0 when closed or probing). */
  retryInMs(): number {
    return this.#state === 'open' ? Math.max(0, this.#since + this.options.openMs - Date.now()) : 0;
  }

  succeeded(): void {
    this.#failures = 0;
    if (this.#state !== 'closed') this.#move('closed');
  }

  failed(reason: string): void {
    this.#failures++;
    this.#reason = reason;
    if (this.#state === 'closed' && this.#failures >= this.options.failureThreshold) this.#open();
  }

  /** Stops probing (the gateway is closing). */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #open(): void {
    this.#move('open');
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#probe(), this.options.openMs);
    this.#timer.unref();
  }

  async #probe(): Promise<void> {
    this.#move('half-open');
    try {
      await this.options.probe();
      this.succeeded();
    } catch (error) {
      this.#failures++;
      this.#reason = `probe: ${(error as Error).message || (error as Error).name}`;
      this.#open();
    }
  }

  #move(state: CircuitState): void {
    this.#state = state;
    this.#since = Date.now();
    this.options.onStateChange?.(state, state === 'closed' ? null : this.#reason);
  }
}
