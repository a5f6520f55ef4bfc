import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { problemsOf, tempDataDir as dataDir } from '../../test/support/config';
import { loadConfiguration } from './configuration';

describe('SECRET_KEY (loadConfiguration)', () => {
  it('refuses a short SECRET_KEY in production', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      SECRET_KEY: 'short',
      DATABASE_URL: 'postgres://db/x',
      REDIS_URL: 'redis://cache:6379',
      EMAIL_HOST: 'smtp.example.com',
    });
    expect(problems).toEqual(['SECRET_KEY must be at least 32 characters long']);
  });

  it('generates a development secret once and keeps it in the data folder', () => {
    const dir = dataDir();
    const first = loadConfiguration({ DATA_DIR: dir }).secret;
    const second = loadConfiguration({ DATA_DIR: dir }).secret;
    expect(first.generated).toBe(true);
    expect(first.key.length).toBeGreaterThanOrEqual(32);
    expect(second.key).toBe(first.key);
    expect(readFileSync(join(dir, 'secret_key'), 'utf8').trim()).toBe(first.key);
  });
});
