/** The built setupbot as the bench runs it: the world's authentication and outbound setup, a data file, the bench's approvers. */
import path from 'node:path';
import { BenchProcess, SETUPBOT_ENTRY } from './processes.js';
import { BENCH_APPROVAL_TTL } from './fixture-cache.js';
import type { BenchWorld } from './world.js';

export interface SetupbotOptions {
  dataFile: string;
  /** SETUPBOT_APPROVERS (object ids). */
  approvers?: readonly string[];
  logFile?: string;
  startTimeoutMs?: number;
  name?: string;
  /** Write a V8 CPU profile here when the bot exits (SIGTERM; a SIGKILL after the grace time writes none). */
  cpuProfDir?: string;
}

export function startSetupbot(world: BenchWorld, options: SetupbotOptions): Promise<BenchProcess> {
  return BenchProcess.start({
    name: options.name ?? 'setupbot',
    entry: SETUPBOT_ENTRY,
    env: world.botEnv({
      SETUPBOT_DATA_FILE: options.dataFile,
      SETUPBOT_APPROVAL_TTL: BENCH_APPROVAL_TTL,
      ...(options.approvers?.length ? { SETUPBOT_APPROVERS: options.approvers.join(',') } : {}),
    }),
    logFile: options.logFile ?? path.join(path.dirname(options.dataFile), 'setupbot.log'),
    startTimeoutMs: options.startTimeoutMs,
    nodeFlags: options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [],
  });
}
