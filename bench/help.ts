/**
 * help: setupbot (the built dist/bot/index.js as a child process, empty store) answering `help` in
 * personal chats at c = 1, 8, 32, with the echo bot measured around each level (half the window
 * before, half after) in the same world; ratios are to that echo at the same concurrency.
 */
import path from 'node:path';
import { profileDir, type BenchContext } from './context.js';
import { sayConversation } from './conversations.js';
import { startEchoBot } from './echo.js';
import { anyErrors, measurePaired, outboundProblems, recordLevels } from './levels.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

export async function runHelp(ctx: BenchContext): Promise<boolean> {
  const world = await BenchWorld.start();
  try {
    ctx.log('help: setupbot answering "help" (empty store), the echo bot around each level');
    const echo = await startEchoBot(world);
    const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'help'), dataFile: path.join(world.dir, 'setupbot.json') });
    try {
      const { bot: levels, baseline } = await measurePaired(
        ctx,
        'help',
        { url: bot.url, conversation: (client, index, level) => sayConversation(world, client, level * 1000 + index, 'help') },
        { what: 'echo', url: echo.url, conversation: (client, index, level) => sayConversation(world, client, level * 1000 + index, 'hello') },
      );
      recordLevels(ctx.results, 'help', levels, baseline);
      ctx.results.set('help.rssAfterMb', await bot.rssMb(), 'MB');
      const problems = outboundProblems(world);
      const cards = world.connector.deliveredSends().filter((call) => call.activity?.attachments?.some((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')).length;
      const counted = [...levels.values()].reduce((sum, result) => sum + result.steps, 0);
      if (cards < counted) problems.push(`${counted} help turns counted but only ${cards} help cards reached the connector`);
      for (const problem of problems) ctx.log(`  help: ${problem}`);
      return problems.length === 0 && !anyErrors(levels) && !anyErrors(baseline);
    } finally {
      await bot.stop();
      await echo.stop();
    }
  } finally {
    await world.stop();
  }
}
