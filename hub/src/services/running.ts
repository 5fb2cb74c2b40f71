/** A service once started: what stops it. */
export interface RunningService {
  /** Ends the service cleanly: work in hand finishes or goes back to its queue. */
  stop(): Promise<void>;
  /** Resolves when a one-shot service (migrate, retention) has done its work; absent for servers. */
  done?: Promise<void>;
}
