/**
 * A change's differences as card lines: a symbol and a word that read without colour
 * ("**+ Added** · …", "**− Removed** · …", "**~ Changed** · …: old → new"), on a container whose style repeats them in
 * colour (styled containers keep their contrast in light, dark and high-contrast themes).
 */
import { describeChange, type SetupChange } from '../setup/model/setup-diff.js';
import type { MessageKey } from '../i18n/message-keys.js';
import type { Words } from '../i18n/translations.js';
import { say } from './words/domain-message.js';

export interface ChangeLineView {
  text: string;
  style: 'good' | 'attention' | 'warning';
}

const STYLE: Record<SetupChange['kind'], ChangeLineView['style']> = { added: 'good', removed: 'attention', changed: 'warning' };

const WORD: Record<SetupChange['kind'], MessageKey> = { added: 'cards.change.added', removed: 'cards.change.removed', changed: 'cards.change.changed' };

/** At most `max` lines, the rest counted in a last line. */
export function changeLineViews(changes: readonly SetupChange[], words: Words, max = 15): ChangeLineView[] {
  const lines = changes.slice(0, max).map((change): ChangeLineView => {
    const line = describeChange(change);
    // the symbol inside the bold: a line starting with "+ " would be drawn as a bullet, losing it
    return { text: words.t('cards.change.line', { symbol: line.symbol, word: words.t(WORD[change.kind]), what: say(words, line.what) }), style: STYLE[change.kind] };
  });
  if (changes.length > max) lines.push({ text: words.t('cards.change.more', { count: changes.length - max }), style: 'warning' });
  return lines;
}
