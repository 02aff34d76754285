// A small JSON-lines logger: one object a line, so operators can grep by requestId.
const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof levels;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const threshold = levels[level];
  const log =
    (name: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (levels[name] < threshold) return;
      const rendered = Object.fromEntries(
        Object.entries(fields).map(([key, value]) =>
          value instanceof Error
            ? [key, { name: value.name, message: value.message, stack: value.stack }]
            : [key, value],
        ),
      );
      write(JSON.stringify({ time: new Date().toISOString(), level: name, msg: message, ...rendered }));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
