import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { redact, redactValue } from './redact.js';

function clean(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) {
    const copy = new Error(redact(value.message));
    copy.name = value.name;
    copy.stack = value.stack ? redact(value.stack) : undefined;
    return copy;
  }
  if (value && typeof value === 'object') {
    try {
      return redactValue(JSON.parse(JSON.stringify(value)));
    } catch {
      return '[unserialisable]';
    }
  }
  return value;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * JSON log lines with resident ID numbers, quoted Chinese values and values under person keys
 * (name, idNumber …) redacted, whatever the caller passes in.
 */
export class RedactingLogger extends ConsoleLogger {
  constructor(service: string, level: LogLevel = 'log') {
    super(service, { json: true, logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1), colors: false });
  }
  override log(message: unknown, ...rest: unknown[]) {
    super.log(clean(message), ...rest.map(clean));
  }
  override error(message: unknown, ...rest: unknown[]) {
    super.error(clean(message), ...rest.map(clean));
  }
  override warn(message: unknown, ...rest: unknown[]) {
    super.warn(clean(message), ...rest.map(clean));
  }
  override debug(message: unknown, ...rest: unknown[]) {
    super.debug(clean(message), ...rest.map(clean));
  }
  override verbose(message: unknown, ...rest: unknown[]) {
    super.verbose(clean(message), ...rest.map(clean));
  }
  override fatal(message: unknown, ...rest: unknown[]) {
    super.fatal(clean(message), ...rest.map(clean));
  }
}
