import type { LoadedConfiguration } from './load';

/**
 * A service's checked configuration, read by name. Values were checked at load
 * (`loadConfiguration`), so reading one here only converts it.
 */
export class Settings {
  constructor(private readonly loaded: LoadedConfiguration) {}

  /** `HUB_ENV=production`. */
  get production(): boolean {
    return this.loaded.production;
  }

  text(name: string): string | undefined {
    return this.loaded.env[name];
  }

  /** A value that load made sure is set (required in production) or that has a development fallback. */
  required(name: string, developmentFallback?: string): string {
    const value = this.loaded.env[name] ?? developmentFallback;
    if (value === undefined) throw new Error(`${name} is not set`);
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.loaded.env[name];
    return value === undefined ? undefined : Number(value);
  }

  json<T>(name: string): T | undefined {
    const value = this.loaded.env[name];
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  list(name: string): string[] {
    return (this.loaded.env[name] ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  }

  logLevel(): 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' {
    return (this.loaded.env.LOG_LEVEL as 'info' | undefined) ?? 'info';
  }

  /** Every variable as the service sees it, files read (for libraries that read the environment). */
  get env(): Readonly<Record<string, string>> {
    return this.loaded.env;
  }
}
