/** Thrown at boot when the environment is wrong; lists every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads typed values from environment variables, collecting problems instead of failing on the first. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Record<string, string | undefined>) {}

  private raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  str(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optional(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['true', '1', 'yes'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    this.problems.push(`${name} must be true or false (got "${v}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!allowed.includes(v as T)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${v}")`);
      return fallback;
    }
    return v as T;
  }

  /** A URL with one of the given schemes; the value is never echoed (it may hold a password). */
  url(name: string, fallback: string | undefined, protocols: string[]): string | undefined {
    const v = this.raw(name) ?? fallback;
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol.replace(/:$/, ''))) throw new Error('scheme');
      return v;
    } catch {
      this.problems.push(
        `${name} must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
      );
      return fallback;
    }
  }

  urls(name: string, fallback: string, protocols: string[]): string[] {
    const v = this.raw(name) ?? fallback;
    const list = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.filter((item) => {
      try {
        return !protocols.includes(new URL(item).protocol.replace(/:$/, ''));
      } catch {
        return true;
      }
    });
    if (bad.length > 0 || list.length === 0) {
      this.problems.push(`${name} must be a comma-separated list of ${protocols.join('/')}:// URLs`);
      return fallback.split(',');
    }
    return list;
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }

  /** Throws a ConfigError naming every problem found. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
