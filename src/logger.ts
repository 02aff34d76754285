// The logger: pino, writing one JSON object a line (level as its name, ISO time), so operators can grep
// by requestId. Each GraphQL request logs through a child carrying its requestId (src/context.ts).
// Errors go under `error`, serialized with their type, message and stack.
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Logger = pino.Logger;

/** A logger at `level`, writing lines to stderr, or to `write` (tests keep the lines). */
export function createLogger(level: LogLevel = 'info', write?: (line: string) => void): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { error: pino.stdSerializers.err },
  };
  if (write) return pino(options, { write: (line: string) => write(line.trimEnd()) });
  return pino(options, pino.destination({ fd: 2, sync: true }));
}
