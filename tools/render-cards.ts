/**
 * `npm run cards:render`: every card the bot sends (captured from the real bot, see
 * tools/cards/capture.ts), rendered with the official Adaptive Cards renderer in headless
 * Chromium (/usr/bin/chromium, or CHROMIUM), as PNGs in docs/cards/ with an index README.
 * `-- --locale=de-DE` plays the conversation in another language into docs/cards/de-DE/;
 * `--only=name,name` renders only those cards.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { captureCards } from './cards/capture.js';
import { CardRenderer } from './cards/render-page.js';

const root = process.cwd();
const option = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const locale = option('locale');
const only = option('only')?.split(',').filter(Boolean);
const output = locale ? path.join(root, 'docs', 'cards', locale) : path.join(root, 'docs', 'cards');
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';

const captured = await captureCards((line) => process.stdout.write(`${line}\n`), locale ? { locale } : {});
const cards = only ? captured.filter((card) => only.includes(card.name)) : captured;
await mkdir(output, { recursive: true });
if (!only) for (const file of await readdir(output)) if (file.endsWith('.png')) await rm(path.join(output, file));
const renderer = await CardRenderer.start(chromium);
const index: string[] = [
  locale ? `# The cards setupbot sends, in ${locale}` : '# The cards setupbot sends',
  '',
  'Rendered by `npm run cards:render` with the official Adaptive Cards renderer (adaptivecards 3.0.6) and',
  "Microsoft Teams' light host config, in headless Chromium. Each card was captured from the real bot",
  'playing a whole conversation (setup, validation, approval, execution, rejection, cancellation, expiry).',
  '',
];
let problems = 0;
try {
  for (const captured of cards) {
    const { png, warnings } = await renderer.render(captured.card, captured.expand);
    await writeFile(path.join(output, `${captured.name}.png`), png);
    index.push(`## ${captured.name}`, '', captured.caption, '', `![${captured.caption}](${captured.name}.png)`, '');
    for (const warning of warnings) {
      problems += 1;
      process.stderr.write(`${captured.name}: ${warning}\n`);
    }
    process.stdout.write(`rendered ${path.relative(root, path.join(output, `${captured.name}.png`))}\n`);
  }
} finally {
  await renderer.stop();
}
await writeFile(path.join(output, 'README.md'), `${index.join('\n')}\n`);
process.stdout.write(`${cards.length} cards in ${path.relative(root, output)}/ (${problems} renderer warning${problems === 1 ? '' : 's'})\n`);
process.exitCode = problems > 0 ? 1 : 0;
