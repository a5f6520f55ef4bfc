import { problemsOf, tempDataDir as dataDir } from '../../test/support/config';
import { loadConfiguration } from '../config/configuration';

const cacheOf = (env: NodeJS.ProcessEnv) =>
  loadConfiguration({ DATA_DIR: dataDir(), ...env }).cache;

describe('Redis settings', () => {
  it('keeps the cache in this process without any', () => {
    expect(cacheOf({}).redis).toBeUndefined();
  });

  it('reads one node from REDIS_URL', () => {
    expect(cacheOf({ REDIS_URL: 'redis://:pw@cache:6379/2' }).redis).toEqual({
      mode: 'single',
      url: 'redis://:pw@cache:6379/2',
    });
  });

  it('reads a Sentinel group from REDIS_SENTINELS and REDIS_SENTINEL_NAME', () => {
    expect(
      cacheOf({
        REDIS_SENTINELS: 's1:26379, s2:26380,[::1]:26381',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_PASSWORD: 'secret',
      }).redis,
    ).toEqual({
      mode: 'sentinel',
      name: 'mymaster',
      password: 'secret',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
    });
  });

  it('reads a cluster from REDIS_CLUSTER_NODES', () => {
    expect(cacheOf({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001' }).redis).toEqual({
      mode: 'cluster',
      password: undefined,
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
    });
  });

  it('refuses more than one way to name Redis', () => {
    expect(
      problemsOf({
        DATA_DIR: dataDir(),
        REDIS_URL: 'redis://cache:6379',
        REDIS_CLUSTER_NODES: 'a:7000',
      }),
    ).toEqual([expect.stringMatching(/^REDIS_URL and REDIS_CLUSTER_NODES are exclusive/)]);
  });

  it('names bad node lists and a missing or stray group name', () => {
    expect(problemsOf({ DATA_DIR: dataDir(), REDIS_SENTINELS: 's1:26379' })).toEqual([
      expect.stringMatching(/^REDIS_SENTINEL_NAME is required with REDIS_SENTINELS/),
    ]);
    expect(problemsOf({ DATA_DIR: dataDir(), REDIS_CLUSTER_NODES: 'a:7000,b' })).toEqual([
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port (got "b")',
    ]);
    expect(problemsOf({ DATA_DIR: dataDir(), REDIS_CLUSTER_NODES: 'a:70000' })).toEqual([
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port (got "a:70000")',
    ]);
    expect(problemsOf({ DATA_DIR: dataDir(), REDIS_SENTINEL_NAME: 'mymaster' })).toEqual([
      expect.stringMatching(/^REDIS_SENTINEL_NAME is only read with REDIS_SENTINELS/),
    ]);
    expect(
      problemsOf({ DATA_DIR: dataDir(), REDIS_URL: 'redis://c:6379', REDIS_PASSWORD: 'x' }),
    ).toEqual([expect.stringMatching(/^REDIS_PASSWORD is for REDIS_SENTINELS/)]);
  });

  it('accepts a Sentinel group or a cluster as production Redis', () => {
    const production = { NODE_ENV: 'production', DATA_DIR: dataDir() };
    expect(problemsOf(production).join('\n')).toContain('REDIS_URL is required');
    expect(problemsOf({ ...production, REDIS_CLUSTER_NODES: 'a:7000' }).join('\n')).not.toContain(
      'REDIS_URL',
    );
  });
});

describe('DATABASE_POOL_SIZE', () => {
  const databaseOf = (env: NodeJS.ProcessEnv) =>
    loadConfiguration({ DATA_DIR: dataDir(), ...env }).database;

  it('defaults to 20 connections per instance and takes 1 to 1000', () => {
    expect(databaseOf({}).poolSize).toBe(20);
    expect(databaseOf({ DATABASE_POOL_SIZE: '5' }).poolSize).toBe(5);
    expect(problemsOf({ DATA_DIR: dataDir(), DATABASE_POOL_SIZE: '0' })).toEqual([
      'DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "0")',
    ]);
  });
});
