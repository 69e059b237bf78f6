import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/*
 * Debian's /usr/sbin/rabbitmq-* wrappers switch to the `rabbitmq` user (whose HOME holds the
 * machine node's cookie); the scripts they call run as whoever starts them, with our HOME and
 * so our cookie. RABBITMQ_SBIN overrides where they are.
 */
const SBIN =
  process.env.RABBITMQ_SBIN ??
  (existsSync('/usr/lib/rabbitmq/bin/rabbitmq-server') ? '/usr/lib/rabbitmq/bin' : '');
const bin = (name: string) => (SBIN ? join(SBIN, name) : name);

/** A test-only cookie: fixed, so a run can stop nodes a crashed earlier run left behind. */
const COOKIE = 'edu-cluster-test-cookie-not-a-secret';

export interface BrokerNode {
  name: string;
  amqpPort: number;
  distPort: number;
  url: string;
}

export interface QueueMembers {
  name: string;
  type: string;
  members: string[];
  online: string[];
  leader: string;
}

/**
 * Three RabbitMQ nodes on this machine, beside (never touching) the machine's own node:
 * their own node names (`edu-c1@localhost`...), AMQP ports (5681-5683 unless
 * CLUSTER_AMQP_PORT is set), distribution ports (+20000), data and log folders in a temp
 * dir, no plugins (so no management listener), one shared Erlang cookie. Joined with
 * `rabbitmqctl join_cluster`; `stop()` shuts every node down and deletes the folder.
 */
export class RabbitCluster {
  readonly nodes: BrokerNode[];
  private dir = '';
  private readonly processes = new Map<string, ChildProcess>();
  private readonly output = new Map<string, string>();

  constructor(size = 3, firstPort = Number(process.env.CLUSTER_AMQP_PORT ?? 5681)) {
    this.nodes = Array.from({ length: size }, (_, i) => ({
      name: `edu-c${i + 1}@localhost`,
      amqpPort: firstPort + i,
      distPort: firstPort + i + 20000,
      url: `amqp://guest:guest@127.0.0.1:${firstPort + i}`,
    }));
  }

  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  /** Starts the nodes and joins the second and later ones to the first. */
  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'edu-rabbit-cluster-'));
    await writeFile(join(this.dir, '.erlang.cookie'), COOKIE);
    await chmod(join(this.dir, '.erlang.cookie'), 0o400);
    await writeFile(join(this.dir, 'enabled_plugins'), '[].\n');
    await writeFile(join(this.dir, 'rabbitmq-env.conf'), '');
    for (const node of this.nodes) {
      await this.clearLeftover(node);
      const home = this.nodeDir(node);
      await mkdir(join(home, 'conf.d'), { recursive: true });
      await writeFile(
        join(home, 'rabbitmq.conf'),
        [
          `listeners.tcp.local = 127.0.0.1:${node.amqpPort}`,
          // A node cut off from the majority stops serving rather than diverging.
          'cluster_partition_handling = pause_minority',
          'log.file.level = info',
          '',
        ].join('\n'),
      );
    }
    await Promise.all(this.nodes.map((n) => this.startNode(n)));
    const [seed, ...others] = this.nodes;
    for (const node of others) {
      await this.ctl(node, 'stop_app');
      await this.ctl(node, 'join_cluster', seed.name);
      await this.ctl(node, 'start_app');
    }
    await this.ctl(seed, 'await_online_nodes', String(this.nodes.length), '--timeout', '120');
  }

  /** Running members as the first node sees them. */
  async runningNodes(via: BrokerNode = this.nodes[0]): Promise<string[]> {
    const { stdout } = await this.ctl(via, 'cluster_status', '--formatter', 'json');
    return (JSON.parse(stdout) as { running_nodes: string[] }).running_nodes.sort();
  }

  /** The queues whose names start with `prefix`, with their quorum members and leader. */
  async queues(prefix: string, via: BrokerNode = this.nodes[0]): Promise<QueueMembers[]> {
    const { stdout } = await this.ctl(
      via,
      'list_queues',
      'name',
      'type',
      'members',
      'online',
      'leader',
      '--formatter',
      'json',
    );
    return (JSON.parse(stdout) as QueueMembers[])
      .filter((q) => q.name.startsWith(prefix))
      .map((q) => ({ ...q, members: [...(q.members ?? [])].sort(), online: [...(q.online ?? [])].sort() }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Stops a node gracefully, as an orchestrator does (SIGTERM: the start script has the node
   * close its client connections and shut down), and waits for the VM to exit. A signal, not
   * `rabbitmqctl stop`: the CLI's own VM takes a minute to boot on a loaded machine.
   */
  async stopNode(node: BrokerNode): Promise<void> {
    const child = this.processes.get(node.name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  /** Starts a stopped node again from its data folder: it rejoins the cluster by itself. */
  async restartNode(node: BrokerNode): Promise<void> {
    await this.startNode(node);
  }

  /** Shuts every node down (force-kills what does not stop) and deletes the data folders. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const child = this.processes.get(node.name);
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const gone = await Promise.race([
          exited.then(() => true),
          new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 60000))),
        ]);
        clearTimeout(timer);
        // The node was started in its own process group: take the whole group down.
        if (!gone && child.pid) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }),
    );
    if (this.dir) {
      for (const node of this.nodes) {
        const file = join(this.nodeDir(node), 'log', `${node.name}.log`);
        const text = await readFile(file, 'utf8').catch(() => '');
        this.output.set(node.name, `${this.log(node)}\n--- ${node.name}.log\n${text}`);
      }
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  /** What a node printed and logged, for a failure message. */
  log(node: BrokerNode): string {
    return this.output.get(node.name) ?? '';
  }

  private nodeDir(node: BrokerNode): string {
    return join(this.dir, node.name.split('@')[0]);
  }

  private env(node: BrokerNode): NodeJS.ProcessEnv {
    const home = this.nodeDir(node);
    return {
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      // The cookie lives in $HOME, shared by the nodes and the CLI.
      HOME: this.dir,
      RABBITMQ_NODENAME: node.name,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(node.amqpPort),
      RABBITMQ_DIST_PORT: String(node.distPort),
      RABBITMQ_CONFIG_FILE: join(home, 'rabbitmq.conf'),
      RABBITMQ_CONFIG_FILES: join(home, 'conf.d'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(home, 'advanced.config'),
      RABBITMQ_CONF_ENV_FILE: join(this.dir, 'rabbitmq-env.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(this.dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(home, 'mnesia'),
      RABBITMQ_LOG_BASE: join(home, 'log'),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      // No busy-waiting schedulers: three nodes share two cores with everything else.
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:
        '+sbwt none +sbwtdcpu none +sbwtdio none -kernel inet_dist_use_interface {127,0,0,1}',
    };
  }

  async ctl(node: BrokerNode, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
    try {
      return await exec(bin('rabbitmqctl'), ['-n', node.name, '-q', ...args], {
        env: this.env(node),
        timeout: 180000,
      });
    } catch (e) {
      const err = e as Error & { stdout?: string; stderr?: string };
      throw new Error(
        `rabbitmqctl -n ${node.name} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`,
      );
    }
  }

  private async startNode(node: BrokerNode): Promise<void> {
    for (const port of [node.amqpPort, node.distPort]) {
      if (await listening(port)) throw new Error(`port ${port} for ${node.name} is already in use`);
    }
    const child = spawn(bin('rabbitmq-server'), [], {
      env: this.env(node),
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.processes.set(node.name, child);
    const append = (d: Buffer) =>
      this.output.set(node.name, (this.output.get(node.name) ?? '') + d.toString());
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const until = Date.now() + 180000;
    while (!(await listening(node.amqpPort))) {
      if (child.exitCode !== null) throw new Error(`${node.name} exited at start:\n${this.log(node)}`);
      if (Date.now() > until)
        throw new Error(`${node.name} did not open ${node.amqpPort}:\n${this.log(node)}`);
      await sleep(500);
    }
    await this.ctl(node, 'await_startup', '--timeout', '120');
  }

  /** A node of ours left running by an interrupted run (same name, our cookie) is shut down. */
  private async clearLeftover(node: BrokerNode): Promise<void> {
    if (!(await listening(node.amqpPort)) && !(await listening(node.distPort))) return;
    await exec(bin('rabbitmqctl'), ['-n', node.name, '-q', 'shutdown', '--timeout', '60'], {
      env: this.env(node),
      timeout: 90000,
    }).catch(() => undefined);
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
