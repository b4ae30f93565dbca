/**
 * The pseudo-locale: English with every letter of the message text accented and each message
 * lengthened and bracketed, placeholders and ICU syntax untouched. Text on a card that comes out
 * plain English did not go through the catalogs.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { printAST } from '@formatjs/icu-messageformat-parser/printer.js';

export const PSEUDO_OPEN = '⟦';
export const PSEUDO_CLOSE = '⟧';

const ACCENTED: Readonly<Record<string, string>> = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ö', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ü', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Å', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Î', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Û', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/** Accents letters, leaving Markdown link targets, `code` spans and {{DATE()}}-style macros alone. */
export function accentText(text: string): string {
  return text
    .split(/(\]\([^)]*\)|`[^`]*`|\{\{[^}]*\}\})/)
    .map((part, index) => (index % 2 === 1 ? part : [...part].map((character) => ACCENTED[character] ?? character).join('')))
    .join('');
}

function accentElements(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    if (element.type === TYPE.literal) return { ...element, value: accentText(element.value) };
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      const options = Object.fromEntries(Object.entries(element.options).map(([selector, option]) => [selector, { ...option, value: accentElements(option.value) }]));
      return { ...element, options };
    }
    if (element.type === TYPE.tag) return { ...element, children: accentElements(element.children) };
    return element;
  });
}

/** One English ICU message, pseudo-localized: accented, about a third longer, bracketed. */
export function pseudoLocalize(message: string): string {
  if (message.trim() === '') return message;
  const accented = printAST(accentElements(parse(message, { ignoreTag: true })));
  const padding = '~'.repeat(Math.max(1, Math.round(message.length / 3)));
  return `${PSEUDO_OPEN}${accented} ${padding}${PSEUDO_CLOSE}`;
}
