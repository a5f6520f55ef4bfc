import { Logger } from '@nestjs/common';
import {
  createClient,
  createCluster,
  createSentinel,
  RedisClientOptions,
  RedisClientType,
} from '@redis/client';
import type { RedisNodeAddress, RedisTarget } from './cache.config';

/**
 * The few commands the store sends, the same for one node, a Sentinel group and a cluster. Every
 * script touches exactly one key, so a cluster routes it by that key and never answers CROSSSLOT.
 */
export interface RedisConnection {
  eval: (script: string, key: string, args: string[]) => Promise<unknown>;
  get: (key: string) => Promise<string | null>;
  set: (key: string, value: string, ttlMs: number) => Promise<void>;
  del: (key: string) => Promise<void>;
  /** Every node that holds data answers (each master of a cluster). */
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

/** A command Redis has not answered in this long is given up: the caller answers 503. */
const COMMAND_TIMEOUT_MS = 3000;

const logger = new Logger('Cache');

/** Options of every node connection: fail fast while a node is away instead of queueing. */
function nodeOptions(password: string | undefined): RedisClientOptions {
  return {
    password,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
    },
  };
}

/** Logs each distinct error once until the connection is healthy again. */
function errorLogger(): { onError: (error: Error) => void; onReady: () => void } {
  let lastError = '';
  return {
    onError(error: Error) {
      if (error.message !== lastError) logger.warn(`Redis: ${error.message}`);
      lastError = error.message;
    },
    onReady: () => (lastError = ''),
  };
}

export async function connectRedis(target: RedisTarget): Promise<RedisConnection> {
  if (target.mode === 'cluster') return connectCluster(target.nodes, target.password);
  if (target.mode === 'sentinel') return connectSentinel(target);
  const client = createClient({ ...nodeOptions(undefined), url: target.url }) as RedisClientType;
  const log = errorLogger();
  client.on('error', log.onError);
  client.on('ready', log.onReady);
  await client.connect();
  return fromClient(client);
}

/** Wraps one connected client (a single node, or a test's own client). */
export function fromClient(client: RedisClientType): RedisConnection {
  return withTimeouts({
    eval: (script, key, args) => client.eval(script, { keys: [key], arguments: args }),
    get: (key) => client.get(key),
    set: async (key, value, ttlMs) => {
      await client.set(key, value, { expiration: { type: 'PX', value: ttlMs } });
    },
    del: async (key) => {
      await client.del(key);
    },
    ping: async () => {
      await client.ping();
    },
    close: async () => {
      if (client.isOpen) await client.close();
    },
  });
}

async function connectSentinel(
  target: Extract<RedisTarget, { mode: 'sentinel' }>,
): Promise<RedisConnection> {
  const sentinel = createSentinel({
    name: target.name,
    sentinelRootNodes: target.sentinels,
    nodeClientOptions: nodeOptions(target.password),
    sentinelClientOptions: nodeOptions(target.password),
    // One pipelined connection to the master, as for a single node. (With a pool of 2,
    // @redis/client 5.12 left bursts of leased commands waiting until they timed out.)
    masterPoolSize: 1,
    // Ask the sentinels every 2 s who the master is, so a promotion is followed quickly.
    scanInterval: 2000,
    passthroughClientErrorEvents: true,
  });
  const log = errorLogger();
  sentinel.on('error', log.onError);
  await sentinel.connect();
  return withTimeouts({
    eval: (script, key, args) => sentinel.eval(script, { keys: [key], arguments: args }),
    get: (key) => sentinel.get(key),
    set: async (key, value, ttlMs) => {
      await sentinel.set(key, value, { expiration: { type: 'PX', value: ttlMs } });
    },
    del: async (key) => {
      await sentinel.del(key);
    },
    ping: async () => {
      await sentinel.ping();
    },
    close: async () => {
      await sentinel.close().catch(() => sentinel.destroy());
    },
  });
}

async function connectCluster(
  nodes: RedisNodeAddress[],
  password: string | undefined,
): Promise<RedisConnection> {
  const cluster = createCluster({
    rootNodes: nodes.map((node) => ({ socket: { host: node.host, port: node.port } })),
    defaults: nodeOptions(password),
  });
  const log = errorLogger();
  cluster.on('error', log.onError);
  await cluster.connect();
  return withTimeouts({
    eval: (script, key, args) => cluster.eval(script, { keys: [key], arguments: args }),
    get: (key) => cluster.get(key),
    set: async (key, value, ttlMs) => {
      await cluster.set(key, value, { expiration: { type: 'PX', value: ttlMs } });
    },
    del: async (key) => {
      await cluster.del(key);
    },
    ping: async () => {
      await Promise.all(
        cluster.masters.map(async (master) => (await cluster.nodeClient(master)).ping()),
      );
    },
    close: async () => {
      await cluster.close().catch(() => cluster.destroy());
    },
  });
}

/** Gives up on a command after COMMAND_TIMEOUT_MS, as a dependency outage (503), not a bug. */
function withTimeouts(connection: RedisConnection): RedisConnection {
  const timed =
    <A extends unknown[], T>(run: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(Object.assign(new Error('Redis did not answer in time'), { code: 'ETIMEDOUT' })),
          COMMAND_TIMEOUT_MS,
        );
        run(...args).then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            // Errors of node's sockets may come from another realm (under Jest's VM modules), so
            // `instanceof Error` is not the test: any object keeps its code for the 503 mapping.
            reject(
              typeof error === 'object' && error !== null
                ? (error as Error)
                : new Error(String(error)),
            );
          },
        );
      });
  return {
    eval: timed(connection.eval),
    get: timed(connection.get),
    set: timed(connection.set),
    del: timed(connection.del),
    ping: timed(connection.ping),
    close: connection.close,
  };
}
