/** A failure of a simulator with a stable code; the message is for people. */
export class SimulatorError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SimulatorError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Codes raised by the simulators package. */
export const SimulatorErrors = {
  /** Options given to a simulator are invalid; the message names the field. Not retryable. */
  BAD_OPTIONS: 'HUB_SIMULATOR_BAD_OPTIONS',
  /** Fault settings are invalid (out of range or unknown field); the message names the field. Not retryable. */
  BAD_FAULTS: 'HUB_SIMULATOR_BAD_FAULTS',
} as const;
