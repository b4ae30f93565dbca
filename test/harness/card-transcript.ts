import { appendFile } from 'node:fs/promises';
import { cardText } from './card-check.js';

/** With CARD_TRANSCRIPT=path set, a card's text is appended there under a title (for closing notes). */
export async function transcript(title: string, card: unknown): Promise<void> {
  const path = process.env.CARD_TRANSCRIPT;
  if (path) await appendFile(path, `\n=== ${title} ===\n${cardText(card)}\n`);
}
