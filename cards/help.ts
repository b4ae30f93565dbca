import template from './help.json' with { type: 'json' };
import { expandTemplate, type AdaptiveCardJson } from './render.js';

export interface HelpCommand {
  /** What the user types, e.g. `status SR-0042`. */
  usage: string;
  description: string;
  /** When set, the card shows a button that sends this command. */
  button?: { title: string; command: string };
}

export interface HelpCardData {
  heading: string;
  commands: readonly HelpCommand[];
}

export function renderHelpCard(data: HelpCardData): AdaptiveCardJson {
  const buttons = data.commands.flatMap((command) => (command.button ? [command.button] : []));
  return expandTemplate(template, {
    heading: data.heading,
    commands: data.commands.map(({ usage, description }) => ({ usage, description })),
    buttons,
  });
}
