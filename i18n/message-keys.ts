import type { SOURCE_FILES } from './catalog-files.js';

type Files = typeof SOURCE_FILES;

/** Every message key: a namespace and a key of that namespace's English file, e.g. `cards.help.heading`. */
export type MessageKey = {
  [Namespace in keyof Files]: `${Namespace & string}.${Extract<keyof Files[Namespace], string>}`;
}[keyof Files];

/** Values an ICU message takes: plain text, numbers (plural/select/number), dates. */
export type MessageValues = Readonly<Record<string, string | number | Date>>;
