/**
 * echo: the floors, at c = 1, 8, 32 —
 * - the echo bot (bench/bots/echo-bot.ts): bare botbuilder CloudAdapter + restify, the same
 *   authentication (JWT validation on, UserAssignedMSI replies through the connector stand-in);
 * - a bare node:http server answering 200: what this box and the load client can do at all.
 * `help` and `dialog` measure the echo bot again around each of their own levels (their ratios).
 */
import path from 'node:path';
import type { BenchContext } from './context.js';
import { sayConversation } from './conversations.js';
import { anyErrors, measureLevels, outboundProblems, recordLevels } from './levels.js';
import { BARE_HTTP_ENTRY, BenchProcess, ECHO_BOT_ENTRY } from './processes.js';
import { ratio } from './stats.js';
import { BenchWorld } from './world.js';

export function startEchoBot(world: BenchWorld): Promise<BenchProcess> {
  return BenchProcess.start({ name: 'echo bot', entry: ECHO_BOT_ENTRY, env: world.botEnv(), logFile: path.join(world.dir, 'echo-bot.log') });
}

export async function runEcho(ctx: BenchContext): Promise<boolean> {
  const world = await BenchWorld.start();
  try {
    ctx.log('echo: a bare node:http server answering 200 (the box), then the echo bot (the framework floor)');
    const bare = await BenchProcess.start({ name: 'bare HTTP server', entry: BARE_HTTP_ENTRY, env: {}, logFile: path.join(world.dir, 'bare-http.log') });
    let box;
    try {
      box = await measureLevels(ctx, 'bare HTTP', bare.url, (client, index) => sayConversation(world, client, index, 'hello'));
    } finally {
      await bare.stop();
    }
    recordLevels(ctx.results, 'echo.bareHttp', box);

    const bot = await startEchoBot(world);
    let echo;
    try {
      ctx.results.set('echo.startupMs', bot.startupMs, 'ms');
      echo = await measureLevels(ctx, 'echo bot', bot.url, (client, index) => sayConversation(world, client, index, 'hello'));
      ctx.results.set('echo.rssAfterMb', await bot.rssMb(), 'MB');
    } finally {
      await bot.stop();
    }
    recordLevels(ctx.results, 'echo', echo);
    for (const [level, result] of echo) ctx.results.set(`echo.c${level}.throughputVsBareHttp`, ratio(result.throughput, box.get(level)?.throughput), '× bare');
    const problems = outboundProblems(world);
    const replies = world.connector.deliveredSends().length;
    const counted = [...echo.values()].reduce((sum, result) => sum + result.steps, 0);
    if (replies < counted) problems.push(`${counted} echo turns counted but only ${replies} replies reached the connector`);
    for (const problem of problems) ctx.log(`  echo: ${problem}`);
    return problems.length === 0 && !anyErrors(echo) && !anyErrors(box);
  } finally {
    await world.stop();
  }
}
