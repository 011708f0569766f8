/** A levelled logger writing one line per event to stderr (stdout carries what `start` prints for the user). */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export type LogSink = (level: LogLevel, line: string) => void;

const stderrSink: LogSink = (_level, line) => process.stderr.write(`${line}\n`);

export function createLogger(level: LogLevel, sink: LogSink = stderrSink): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at = (messageLevel: LogLevel) => (message: string) => {
    if (LOG_LEVELS.indexOf(messageLevel) <= threshold) sink(messageLevel, `${new Date().toISOString()} ${messageLevel} ${message}`);
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export const silentLogger: Logger = createLogger('error', () => undefined);
