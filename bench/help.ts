/**
 * help: setupbot (the built dist/bot/index.js as a child process, empty store) answering `help` in
 * personal chats at c = 1, 8, 32; ratios to the echo bot at the same concurrency, same run.
 */
import path from 'node:path';
import { profileDir, type BenchContext } from './context.js';
import { sayConversation } from './conversations.js';
import { anyErrors, measureLevels, outboundProblems, recordLevels } from './levels.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

export async function runHelp(ctx: BenchContext): Promise<boolean> {
  const baseline = (await ctx.echoBaseline()).levels;
  const world = await BenchWorld.start();
  try {
    ctx.log('help: setupbot answering "help" (empty store)');
    const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'help'), dataFile: path.join(world.dir, 'setupbot.json') });
    try {
      const levels = await measureLevels(ctx, 'help', bot.url, (client, index, level) => sayConversation(world, client, level * 1000 + index, 'help'));
      recordLevels(ctx.results, 'help', levels, baseline);
      ctx.results.set('help.rssAfterMb', await bot.rssMb(), 'MB');
      const problems = outboundProblems(world);
      const cards = world.connector.deliveredSends().filter((call) => call.activity?.attachments?.some((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')).length;
      const counted = [...levels.values()].reduce((sum, result) => sum + result.steps, 0);
      if (cards < counted) problems.push(`${counted} help turns counted but only ${cards} help cards reached the connector`);
      for (const problem of problems) ctx.log(`  help: ${problem}`);
      return problems.length === 0 && !anyErrors(levels);
    } finally {
      await bot.stop();
    }
  } finally {
    await world.stop();
  }
}
