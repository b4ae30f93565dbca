/**
 * dialog: one setup step at c = 1, 8, 32 — Next on step 1 of the setup card (server-side
 * validation, names checked against every request, draft saved) answered with the step 2 card.
 * Each conversation first types `setup` (untimed); each step is Next (timed) then Back (untimed,
 * both counted as turns for turns/s). Ratios to the echo bot at the same concurrency.
 */
import path from 'node:path';
import { profileDir, type BenchContext } from './context.js';
import { dialogConversation } from './conversations.js';
import { anyErrors, measureLevels, outboundProblems, recordLevels } from './levels.js';
import { startSetupbot } from './setupbot.js';
import { BenchWorld } from './world.js';

export async function runDialog(ctx: BenchContext): Promise<boolean> {
  const baseline = (await ctx.echoBaseline()).levels;
  const world = await BenchWorld.start();
  try {
    ctx.log('dialog: setupbot, Next on step 1 of the setup card (empty store)');
    const bot = await startSetupbot(world, { cpuProfDir: profileDir(ctx.options, 'dialog'), dataFile: path.join(world.dir, 'setupbot.json') });
    try {
      const levels = await measureLevels(ctx, 'dialog', bot.url, (client, index, level) => dialogConversation(world, client, index, `c${level}`));
      recordLevels(ctx.results, 'dialog', levels, baseline);
      const problems = outboundProblems(world);
      for (const problem of problems) ctx.log(`  dialog: ${problem}`);
      return problems.length === 0 && !anyErrors(levels);
    } finally {
      await bot.stop();
    }
  } finally {
    await world.stop();
  }
}
