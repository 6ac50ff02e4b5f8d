import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretValues } from '../src/config.js';

describe('loadConfig', () => {
  it('works with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './data', MAX_FILE_MB: 25 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats empty values as unset, as compose files leave them', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ PORT: 3000 });
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('lists every problem at once and never shows a secret', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: '99999', MAX_FILE_MB: '-1', DATABASE_URL: 'http://user:pa55word@host/db' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT: .*\(got "99999"\)/);
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL (value hidden)');
    expect(message).not.toContain('pa55word');
  });

  it('hands the database password to the redactor', () => {
    expect(secretValues(loadConfig({ DATABASE_URL: 'postgres://app:p%40ss@db/x' }))).toEqual(['p@ss']);
    expect(secretValues(loadConfig({}))).toEqual([]);
  });
});
