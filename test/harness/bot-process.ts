import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './http-json.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** What `npm start` runs: the bundle of the built bot. */
export const BOT_ENTRY = path.join(ROOT, 'dist/bot/setupbot.mjs');

/** The built bot (`npm run build`) running as its own process, as `npm start` runs it. */
export class BotProcess {
  readonly output: string[] = [];
  private child?: ChildProcess;
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  port = 0;

  constructor(private readonly env: Record<string, string>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!existsSync(BOT_ENTRY)) throw new Error(`${BOT_ENTRY} is missing: run npm run build first (npm test does)`);
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', BOT_ENTRY], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    // whole lines only: a log line can arrive in two chunks
    const collector = (): ((chunk: Buffer) => void) => {
      let partial = '';
      return (chunk) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        this.output.push(...lines.filter(Boolean));
      };
    };
    child.stdout?.on('data', collector());
    child.stderr?.on('data', collector());
    const line = await waitFor(() => this.output.find((text) => /"event":"(anonymous_mode|listening)"/.test(text)) ?? (child.exitCode !== null ? 'exited' : undefined), 15000, 'the bot to listen');
    if (line === 'exited') throw new Error(`bot exited at start-up:\n${this.output.join('\n')}`);
    this.port = (JSON.parse(line) as { port: number }).port;
  }

  /** Resolves with the first output line containing `text`, once the bot has written it. */
  outputLine(text: string, timeoutMs = 15000): Promise<string> {
    return waitFor(() => this.output.find((line) => line.includes(text)), timeoutMs, `the bot to log ${text}`);
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async exited(timeoutMs = 15000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exit) throw new Error('not started');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('bot did not exit')), timeoutMs).unref());
    return Promise.race([this.exit, timeout]);
  }

  /**
   * For a failure's message: whether the process has exited (waiting a moment for its exit to be
   * seen, since a crash resets connections first) and the last lines it wrote.
   */
  async describe(lines = 30): Promise<string> {
    const exit = this.exit ? await Promise.race([this.exit, new Promise<undefined>((resolve) => setTimeout(resolve, 5000, undefined).unref())]) : undefined;
    const state = exit ? `exited (code ${exit.code}, signal ${exit.signal})` : 'is still running';
    return `the bot ${state}; its last lines:\n${this.output.slice(-lines).join('\n')}`;
  }

  /** Runs the entry point to completion (for start-up failures). */
  static async runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', BOT_ENTRY], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code, output };
  }
}
