import template from './help.json' with { type: 'json' };
import type { Words } from '../i18n/translations.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';

export interface HelpCommand {
  /** What the user types, e.g. `status SR-0042` (English keywords: they work in every language). */
  usage: string;
  /** In the reader's words. */
  description: string;
  /** When set, the card shows a button that sends this command (`title` in the reader's words, `command` the English keyword). */
  button?: { title: string; command: string };
}

export interface HelpCardData {
  /** In the reader's words. */
  heading: string;
  commands: readonly HelpCommand[];
}

export function renderHelpCard(data: HelpCardData, words: Words): AdaptiveCardJson {
  const buttons = data.commands.flatMap((command) => (command.button ? [command.button] : []));
  return expandTemplate(
    template,
    {
      w: { intro: words.t('cards.help.intro'), commands: words.t('cards.help.commands') },
      heading: data.heading,
      commands: data.commands.map(({ usage, description }) => ({ usage, description })),
      buttons,
    },
    words,
  );
}
