import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@redis/client';

/**
 * Real distributed engines for test/distributed.e2e-spec.ts, started from Debian's
 * `redis-server`, `redis-cli` and `pgbouncer` on free loopback ports, each in a temporary
 * folder that `stop()` removes: a Redis Sentinel group, a Redis Cluster, PgBouncer.
 */

const run = promisify(execFile);
const HOST = '127.0.0.1';
export const SENTINEL_GROUP = 'mymaster';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; the engines take a few seconds to agree on a topology. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sends one command to one Redis node (a fresh connection each time, so failures are plain). */
export async function redisCommand(port: number, ...args: string[]): Promise<string> {
  const client = createClient({ socket: { host: HOST, port, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return flatten(await client.sendCommand(args));
  } finally {
    client.destroy();
  }
}

/** A reply as text: nested arrays (SENTINEL answers) joined with commas. */
function flatten(reply: unknown): string {
  if (Array.isArray(reply)) return reply.map(flatten).join(',');
  if (reply instanceof Map) return flatten([...reply.entries()]);
  return typeof reply === 'string' || typeof reply === 'number' ? String(reply) : '';
}

/** One engine process, killed on `stop`. */
class Engine {
  private child?: ChildProcess;

  constructor(
    readonly port: number,
    private readonly command: string,
    private readonly args: string[],
  ) {}

  start(): void {
    this.child = spawn(this.command, this.args, { stdio: 'ignore' });
    this.child.on('error', () => undefined);
  }

  /** SIGKILL: a crash, nothing flushed, no goodbye to the others. */
  kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

class EngineGroup {
  readonly dir = mkdtempSync(join(tmpdir(), 'mailguard-engines-'));
  protected readonly engines: Engine[] = [];

  protected add(port: number, command: string, args: string[]): Engine {
    const engine = new Engine(port, command, args);
    this.engines.push(engine);
    engine.start();
    return engine;
  }

  protected redis(port: number, extra: string[] = []): Engine {
    return this.add(port, 'redis-server', [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.dir,
      ...extra,
    ]);
  }

  async stop(): Promise<void> {
    await Promise.all(this.engines.map((engine) => engine.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One master, one replica and three sentinels (quorum 2) watching them. */
export class SentinelGroup extends EngineGroup {
  master!: Engine;
  sentinelPorts: number[] = [];

  static async start(): Promise<SentinelGroup> {
    const group = new SentinelGroup();
    try {
      await group.boot();
      return group;
    } catch (error) {
      await group.stop();
      throw error;
    }
  }

  private async boot(): Promise<void> {
    const masterPort = await freePort();
    const replicaPort = await freePort();
    this.master = this.redis(masterPort);
    this.redis(replicaPort, ['--replicaof', HOST, String(masterPort)]);
    await until('Redis replica in sync', async () =>
      (await redisCommand(replicaPort, 'INFO', 'replication')).includes('master_link_status:up'),
    );
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = join(this.dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          `bind ${HOST}`,
          `dir ${this.dir}`,
          `sentinel monitor ${SENTINEL_GROUP} ${HOST} ${masterPort} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_GROUP} 1000`,
          `sentinel failover-timeout ${SENTINEL_GROUP} 5000`,
          '',
        ].join('\n'),
      );
      this.add(port, 'redis-server', [conf, '--sentinel']);
      this.sentinelPorts.push(port);
    }
    // A failover needs each sentinel to know the replica and the two other sentinels.
    for (const port of this.sentinelPorts) {
      await until('sentinels know each other and the replica', async () => {
        const sentinels = await redisCommand(port, 'SENTINEL', 'SENTINELS', SENTINEL_GROUP);
        const replicas = await redisCommand(port, 'SENTINEL', 'REPLICAS', SENTINEL_GROUP);
        return sentinels.split(`${HOST}`).length - 1 >= 2 && replicas.includes('slave');
      });
    }
  }

  env(): Record<string, string> {
    return {
      REDIS_SENTINELS: this.sentinelPorts.map((port) => `${HOST}:${port}`).join(','),
      REDIS_SENTINEL_NAME: SENTINEL_GROUP,
    };
  }

  /** The port of the node the sentinels name as master now. */
  async currentMasterPort(): Promise<number> {
    const reply = await redisCommand(
      this.sentinelPorts[0],
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      SENTINEL_GROUP,
    );
    return Number(reply.split(',')[1]);
  }
}

/** Three masters splitting the 16384 slots, no replicas: a stopped master is restarted. */
export class RedisCluster extends EngineGroup {
  nodes: Engine[] = [];

  static async start(): Promise<RedisCluster> {
    const cluster = new RedisCluster();
    try {
      await cluster.boot();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  private node(port: number): Engine {
    return this.redis(port, [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(this.dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '1000',
    ]);
  }

  private async boot(): Promise<void> {
    for (let i = 0; i < 3; i++) this.nodes.push(this.node(await freePort()));
    for (const node of this.nodes) {
      await until(
        'cluster node up',
        async () => (await redisCommand(node.port, 'PING')) === 'PONG',
      );
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...this.nodes.map((node) => `${HOST}:${node.port}`),
      '--cluster-yes',
    ]);
    await this.healthy();
  }

  /** Every node reports `cluster_state:ok`. */
  async healthy(): Promise<void> {
    for (const node of this.nodes) {
      await until('cluster state ok', async () =>
        (await redisCommand(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    }
  }

  /** Crashes a master; its slots are unavailable until `restart`. */
  async crash(index: number): Promise<void> {
    await this.nodes[index].kill();
  }

  /** Starts the crashed node again on its port with its cluster config: it takes its slots back. */
  async restart(index: number): Promise<void> {
    const node = this.nodes[index];
    this.nodes[index] = this.node(node.port);
    await this.healthy();
  }

  env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: this.nodes.map((node) => `${HOST}:${node.port}`).join(',') };
  }
}

/** PgBouncer in transaction pooling mode in front of the PostgreSQL of `serverUrl`. */
export class PgBouncer extends EngineGroup {
  port = 0;

  static async start(serverUrl: string, serverPoolSize: number): Promise<PgBouncer> {
    const bouncer = new PgBouncer();
    const server = new URL(serverUrl);
    const user = decodeURIComponent(server.username || 'postgres');
    bouncer.port = await freePort();
    // Readable by the user PgBouncer switches to when started as root.
    chmodSync(bouncer.dir, 0o755);
    const users = join(bouncer.dir, 'users.txt');
    writeFileSync(users, `"${user}" "${decodeURIComponent(server.password)}"\n`);
    const ini = join(bouncer.dir, 'pgbouncer.ini');
    writeFileSync(
      ini,
      [
        '[databases]',
        `* = host=${server.hostname} port=${server.port || 5432}`,
        '[pgbouncer]',
        `listen_addr = ${HOST}`,
        `listen_port = ${bouncer.port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${users}`,
        'pool_mode = transaction',
        `default_pool_size = ${serverPoolSize}`,
        'max_client_conn = 1000',
        'ignore_startup_parameters = extra_float_digits',
        '',
      ].join('\n'),
    );
    // PgBouncer refuses to run as root; it then needs a user to switch to.
    const asUser = userInfo().uid === 0 ? ['-u', 'postgres'] : [];
    bouncer.add(bouncer.port, process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer', [...asUser, ini]);
    try {
      await until('PgBouncer listening', async () => {
        const { Client } = await import('pg');
        const client = new Client({ connectionString: bouncer.url(serverUrl) });
        await client.connect();
        await client.end();
        return true;
      });
    } catch (error) {
      await bouncer.stop();
      throw error;
    }
    return bouncer;
  }

  /** `url` (a database on the PostgreSQL behind it) reached through PgBouncer. */
  url(url: string): string {
    const through = new URL(url);
    through.hostname = HOST;
    through.port = String(this.port);
    return through.toString();
  }
}
