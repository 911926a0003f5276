import type { Logger } from '../lambdas/ports/logger.ts';

/** After this long a running step says so: live on a terminal, once in a log file or pipe. */
const QUIET_MS = 1_000;
const PIPE_NOTICE_MS = 5_000;

export interface TerminalLogger extends Logger {
  /** Runs `work` as a named step: its progress shows while it runs, its time when it ends. */
  step<T>(name: string, work: () => Promise<T>, detail?: (value: T) => string): Promise<T>;
}

export interface TerminalLoggerOptions {
  /** Print the job's per-step lines (else only warnings, errors and the progress of a long step). */
  readonly steps?: boolean;
  readonly stream?: NodeJS.WriteStream;
}

/**
 * The CLI's logger, on stderr: each finished step with its time, and the step that is running now with a
 * clock ticking beside it (the job logs `name…` when a step starts and `name done` with `ms` when it ends).
 */
export function terminalLogger(options: TerminalLoggerOptions = {}): TerminalLogger {
  const stream = options.stream ?? process.stderr;
  const live = stream.isTTY === true;
  const started = performance.now();
  const stamp = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s`;
  let running: { name: string; since: number; timer: NodeJS.Timeout; shown: boolean } | undefined;

  const clearLine = () => {
    if (running?.shown && live) stream.write('\r\x1b[2K');
  };
  const write = (line: string) => {
    clearLine();
    stream.write(`${line}\n`);
    if (running?.shown && live) running.shown = false;
  };
  const stop = () => {
    if (!running) return;
    clearInterval(running.timer);
    clearLine();
    running = undefined;
  };
  const start = (name: string) => {
    stop();
    const since = performance.now();
    const tick = () => {
      if (!running) return;
      const elapsed = performance.now() - running.since;
      if (live && elapsed >= QUIET_MS) {
        stream.write(`\r\x1b[2K${stamp()}   ${name}… ${(elapsed / 1000).toFixed(0)} s`);
        running.shown = true;
      } else if (!live && !running.shown && elapsed >= PIPE_NOTICE_MS) {
        stream.write(`${stamp()}   ${name}… (still running)\n`);
        running.shown = true;
      }
    };
    const timer = setInterval(tick, live ? 250 : 1_000);
    timer.unref();
    running = { name, since, timer, shown: false };
  };

  const logger: TerminalLogger = {
    info: (message, attributes) => {
      if (message.endsWith('…')) {
        start(message.slice(0, -1));
        return;
      }
      if (attributes && 'ms' in attributes) {
        stop();
        if (!options.steps) return;
        const rows =
          typeof attributes.rows === 'number' ? `, ${attributes.rows.toLocaleString('en-US')} rows` : '';
        write(`${stamp()}   ${message} in ${String(attributes.ms)} ms${rows}`);
      } else if (options.steps) {
        write(`${stamp()} ${message}`);
      }
    },
    warn: (message) => write(`${stamp()} warning: ${message}`),
    error: (message, attributes) =>
      write(`${stamp()} error: ${message}${attributes ? ` ${JSON.stringify(attributes)}` : ''}`),
    step: async (name, work, detail) => {
      const begun = performance.now();
      start(name);
      try {
        const value = await work();
        stop();
        const seconds = ((performance.now() - begun) / 1000).toFixed(1);
        write(`${stamp()} ${name}: ${detail ? `${detail(value)}, ` : ''}${seconds} s`);
        return value;
      } finally {
        stop();
      }
    },
  };
  return logger;
}
