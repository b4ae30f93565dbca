/**
 * dialog: one setup step at c = 1, 8, 32 — Next on step 1 of the setup card (server-side
 * validation, names checked against every request, draft saved) answered with the step 2 card.
 * Each conversation first types `setup` (untimed); each step is Next (timed) then Back (untimed,
 * both counted as turns for turns/s). The echo bot is measured around each level; ratios are to it.
 */
import path from 'node:path';
import { profileDir, type BenchContext } from './context.js';
import { dialogConversation, sayConversation } from './conversations.js';
import { startEchoBot } from './echo.js';
import { anyErrors, measurePaired, outboundProblems, recordLevels } from './levels.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

export async function runDialog(ctx: BenchContext): Promise<boolean> {
  const world = await BenchWorld.start();
  try {
    ctx.log('dialog: setupbot, Next on step 1 of the setup card (empty store), the echo bot around each level');
    const echo = await startEchoBot(world);
    const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'dialog'), dataFile: path.join(world.dir, 'setupbot.json') });
    try {
      const { bot: levels, baseline } = await measurePaired(
        ctx,
        'dialog',
        { url: bot.url, conversation: (client, index, level) => dialogConversation(world, client, index, `c${level}`) },
        { what: 'echo', url: echo.url, conversation: (client, index, level) => sayConversation(world, client, level * 1000 + index, 'hello') },
      );
      recordLevels(ctx.results, 'dialog', levels, baseline);
      const problems = outboundProblems(world);
      for (const problem of problems) ctx.log(`  dialog: ${problem}`);
      return problems.length === 0 && !anyErrors(levels) && !anyErrors(baseline);
    } finally {
      await bot.stop();
      await echo.stop();
    }
  } finally {
    await world.stop();
  }
}
