/**
 * Whose language the read API answers in: the request's `Accept-Language` (the tab sends the
 * reader's Teams locale). The preferred tag (by its q weight, then its place) in a language setupbot
 * speaks; none (absent, `*`, only languages it does not speak, or a malformed header) is English.
 */
import { languageOf, SOURCE_LANGUAGE } from '../i18n/languages.js';

/** Longer headers are not read further: browsers send a few tags. */
const MAX_HEADER = 512;
const MAX_TAGS = 20;
const TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
const WEIGHT = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

interface Weighted {
  tag: string;
  q: number;
}

function parse(part: string): Weighted | undefined {
  const [tag, ...parameters] = part.split(';').map((piece) => piece.trim());
  if (!TAG.test(tag)) return undefined;
  const weight = parameters.map((parameter) => WEIGHT.exec(parameter)).find((match) => match !== null);
  if (parameters.length > 0 && !weight) return undefined;
  return { tag, q: weight ? Number(weight[1]) : 1 };
}

/** Whether setupbot has words for this tag (English itself included). */
function spoken(tag: string): boolean {
  return languageOf(tag) !== SOURCE_LANGUAGE || tag.split('-')[0].toLowerCase() === SOURCE_LANGUAGE;
}

/** The locale to answer in, or undefined for English. */
export function localeOfAcceptLanguage(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const tags = header
    .slice(0, MAX_HEADER)
    .split(',')
    .slice(0, MAX_TAGS)
    .map(parse)
    .filter((weighted): weighted is Weighted => weighted !== undefined && weighted.q > 0);
  // a stable sort: among equal weights the first named wins
  return [...tags].sort((a, b) => b.q - a.q).find((weighted) => spoken(weighted.tag))?.tag;
}
