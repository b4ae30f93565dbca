/**
 * Bidirectional text in right-to-left messages and cards. A value of left-to-right data (a name,
 * an id, a URL, an English comment) said into an Arabic sentence is set in a left-to-right
 * isolate, so that its neutral characters (brackets, slashes, dots, quotes) stay with it instead
 * of taking the sentence's direction: "contoso-kv (https://…/)" came out as "(contoso-kv
 * (https://…/", and "— «Checked with the Finance team»" lost its closing quote to the far end.
 *
 * Not isolated:
 * - a value the translator set beside left-to-right words ("HTTP {status}", "il102–{last}",
 *   "{verb} contoso-uat"): it stays one run with them, as written (an isolate would lay the
 *   pieces out right to left);
 * - values with Arabic letters, or none at all (✅, a number);
 * - text a host fills in or reads as Markdown blocks (a {{DATE()}} macro, a list).
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import type { MessageValues } from './message-keys.js';

/** U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE. */
export const LEFT_TO_RIGHT_ISOLATE = '\u2066';
export const POP_DIRECTIONAL_ISOLATE = '\u2069';
const ANY_ISOLATE = /^[\u2066-\u2068]/u;
/** A host fills it in ({{DATE()}}) or reads it as Markdown blocks (lines, a list, a heading). */
const NOT_PLAIN_DATA = /\n|\{\{|^\s*([-*+] |\d+\. |#)/;

/** Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
const RIGHT_TO_LEFT_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const LEFT_TO_RIGHT_LETTER = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/u;
const ANY_LETTER = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/gu;

/** The letter nearest to the end (`fromEnd`) or the start of `text`, if any. */
function nearestLetter(text: string, fromEnd: boolean): string | undefined {
  const letters = text.match(ANY_LETTER);
  if (!letters) return undefined;
  return fromEnd ? letters[letters.length - 1] : letters[0];
}

/**
 * The arguments of a message whose text values may be isolated: those said as text (`{name}`,
 * not the `{count, plural, …}` or `{unit, select, …}` it chooses by) and not written beside
 * left-to-right words (the nearest letter of the literal text before or after them).
 */
export function isolatableArguments(message: string): ReadonlySet<string> {
  const isolatable = new Set<string>();
  const joined = new Set<string>();
  const choosers = new Set<string>();
  const visit = (elements: readonly MessageFormatElement[]): void => {
    elements.forEach((element, index) => {
      if (element.type === TYPE.argument) {
        const before = elements[index - 1];
        const after = elements[index + 1];
        const letterBefore = before?.type === TYPE.literal ? nearestLetter(before.value, true) : undefined;
        const letterAfter = after?.type === TYPE.literal ? nearestLetter(after.value, false) : undefined;
        const besideLeftToRight = [letterBefore, letterAfter].some((letter) => letter !== undefined && LEFT_TO_RIGHT_LETTER.test(letter));
        (besideLeftToRight ? joined : isolatable).add(element.value);
      } else if (element.type === TYPE.plural || element.type === TYPE.select) {
        choosers.add(element.value);
        for (const option of Object.values(element.options)) visit(option.value);
      } else if (element.type === TYPE.tag) visit(element.children);
    });
  };
  try {
    visit(parse(message, { ignoreTag: true }));
  } catch {
    return isolatable; // a message that does not parse is reported when it is formatted
  }
  for (const name of [...choosers, ...joined]) isolatable.delete(name);
  return isolatable;
}

/** The values, with the left-to-right data among the isolatable ones isolated (numbers and dates are formatted by the message). */
export function isolateValues(values: MessageValues, isolatable: ReadonlySet<string>): MessageValues {
  const out: Record<string, string | number | Date> = {};
  for (const [name, value] of Object.entries(values)) out[name] = typeof value === 'string' && isolatable.has(name) ? isolateData(value) : value;
  return out;
}

/**
 * Text with left-to-right letters and no right-to-left one ("contoso-kv (https://…/)", an English
 * comment), set whole in a left-to-right isolate for right-to-left text. Anything else, or text
 * already isolated, is returned as it is.
 */
export function isolateData(text: string): string {
  if (ANY_ISOLATE.test(text) || NOT_PLAIN_DATA.test(text)) return text;
  if (RIGHT_TO_LEFT_LETTER.test(text) || !LEFT_TO_RIGHT_LETTER.test(text)) return text;
  return `${LEFT_TO_RIGHT_ISOLATE}${text}${POP_DIRECTIONAL_ISOLATE}`;
}
