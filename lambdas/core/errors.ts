/** Base class of every error this product raises on purpose; the CLI prints `message` as one line. */
export class RevsegError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RevsegError';
  }
}

/** Configuration is invalid; the message lists every problem found. */
export class ConfigError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** Input data breaks the contract so badly that the run must stop before writing anything. */
export class InputContractError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputContractError';
  }
}

/** The query engine failed (Athena or DuckDB); message names the query and the engine's reason. */
export class QueryError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueryError';
  }
}

/** Mail could not be built or delivered. */
export class MailError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailError';
  }
}
