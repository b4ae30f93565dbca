/**
 * Child processes under test: the built setupbot (dist/bot/setupbot.mjs, as `npm start` runs it), the
 * echo bot and the bare HTTP server. Each gets a free loopback port, logs to a file (as a
 * production process logs to its stdout, without the bench parsing every line), and counts as
 * started when GET /healthz answers 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (dist-bench/bench/ → ../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SETUPBOT_ENTRY = path.join(ROOT, 'dist/bot/setupbot.mjs');
export const ECHO_BOT_ENTRY = path.join(ROOT, 'dist-bench/bench/bots/echo-bot.js');
export const BARE_HTTP_ENTRY = path.join(ROOT, 'dist-bench/bench/bots/bare-http.js');

export interface ChildSpec {
  /** For messages: "setupbot", "echo bot", … */
  name: string;
  entry: string;
  env: Record<string, string>;
  /** Where stdout and stderr go. */
  logFile: string;
  /** How long spawn → /healthz 200 may take before the start counts as failed. */
  startTimeoutMs?: number;
  /** Extra node flags, e.g. --max-old-space-size. */
  nodeFlags?: string[];
}

export class StartFailed extends Error {
  constructor(
    readonly childName: string,
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(`${childName} did not start: ${reason}`);
  }
}

/** A free TCP port on 127.0.0.1 (released before the child binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** GET url → status, or undefined on a connection error / timeout. */
export function getStatus(url: string, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS); undefined once it is gone. */
export async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Peak resident set size of a process in MB so far, from /proc/<pid>/status (VmHWM); undefined once it is gone. */
export async function peakRssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

async function tail(file: string, lines = 20): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter(Boolean).slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export class BenchProcess {
  private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };
  private readonly exited: Promise<void>;

  private constructor(
    readonly spec: ChildSpec,
    private readonly child: ChildProcess,
    readonly port: number,
    /** spawn → first /healthz 200, in ms (undefined until started). */
    public startupMs = 0,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      }),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Spawns the child and waits for /healthz 200; throws StartFailed (child stopped) otherwise. */
  static async start(spec: ChildSpec): Promise<BenchProcess> {
    if (!existsSync(spec.entry)) throw new Error(`${spec.entry} is missing: npm run bench builds it (npm run build, tsc -p tsconfig.bench.json)`);
    const port = await freePort();
    mkdirSync(path.dirname(spec.logFile), { recursive: true });
    const log = openSync(spec.logFile, 'a');
    const started = performance.now();
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', ...(spec.nodeFlags ?? []), spec.entry], {
      env: { PATH: process.env.PATH ?? '', ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const bench = new BenchProcess(spec, child, port);
    const deadline = started + (spec.startTimeoutMs ?? 30_000);
    for (;;) {
      if (!bench.running) {
        throw new StartFailed(spec.name, `exited (${bench.exitInfo?.signal ?? `code ${bench.exitInfo?.code}`})`, await tail(spec.logFile));
      }
      const status = await getStatus(`${bench.url}/healthz`, 500);
      if (status === 200) {
        bench.startupMs = performance.now() - started;
        return bench;
      }
      if (performance.now() > deadline) {
        await bench.stop();
        throw new StartFailed(spec.name, `no /healthz 200 within ${((spec.startTimeoutMs ?? 30_000) / 1000).toFixed(0)} s`, await tail(spec.logFile));
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async rssMb(): Promise<number | undefined> {
    return rssMb(this.pid);
  }

  /** The highest resident set size the process has had so far (VmHWM). */
  async peakRssMb(): Promise<number | undefined> {
    return peakRssMb(this.pid);
  }

  /** The child's log so far (last lines). */
  logTail(lines = 20): Promise<string> {
    return tail(this.spec.logFile, lines);
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout' && this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
