/**
 * `npm run icons`: draws the app icons and writes manifest/color.png (192×192) and
 * manifest/outline.png (32×32, white on transparent). The PNGs are committed; run this only
 * after changing manifest/icons.ts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { drawColorIcon, drawOutlineIcon } from '../manifest/icons.js';
import { encodePng } from '../manifest/png.js';

const target = path.resolve(process.argv[2] ?? 'manifest');
await writeFile(path.join(target, 'color.png'), encodePng(drawColorIcon()));
await writeFile(path.join(target, 'outline.png'), encodePng(drawOutlineIcon()));
process.stdout.write(`wrote ${path.join(target, 'color.png')} and ${path.join(target, 'outline.png')}\n`);
