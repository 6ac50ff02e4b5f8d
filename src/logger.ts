import { pino, type Logger } from 'pino';

/** JSON lines on stdout; credentials are cut out wherever they appear in a logged object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        '*.headers.authorization',
        'connectionString',
        '*.connectionString',
      ],
      censor: '[redacted]',
    },
  });
}
