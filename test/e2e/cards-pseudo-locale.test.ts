/**
 * Every card the gallery captures (tools/cards/capture.ts: the whole conversation docs/cards/ is
 * made from), played again with every user's Teams set to the pseudo-locale qps-ploc and the bot's
 * SETUPBOT_DEFAULT_LOCALE too: each message from the catalogs comes out accented and bracketed
 * ⟦ … ⟧. Every text a reader sees on those cards (TextBlocks and text runs, FactSet titles and
 * values, input labels, placeholders and error messages, toggle titles, choice titles, button
 * titles) must be pseudo-localized — or be nothing but data: names, ids, URLs, numbers and Teams'
 * date macros. Anything else did not go through the catalogs, and fails here with its card.
 * Inside a pseudo-localized message the same holds for what was said into it: with the accented
 * words taken away, what remains of a text (its parameters) must be data too, so an English
 * sentence passed into a message as a value fails like one shown alone.
 */
import { captureCards, type CapturedCard } from '../../tools/cards/capture.js';
import { accentText, PSEUDO_CLOSE, PSEUDO_OPEN, pseudoLocalize } from '../../i18n/pseudo.js';
import { CONNECTED_APPLICATION_TYPES } from '../../setup/model/content.js';
import { financeEndpoints } from '../../setup/rules/finance-endpoints.js';
import { COMMANDS } from '../../bot/commands/catalog.js';
import { DEFAULT_RULE_NAME } from '../../setup/policy/rules.js';

type Node = Record<string, unknown>;

interface SeenText {
  card: string;
  where: string;
  text: string;
  /** The element the text is on (its colour, subtlety). */
  element: Node;
}

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every visible text of a card, with where it sits (fallback buttons included: older clients show them). */
function visibleTexts(card: CapturedCard): SeenText[] {
  const found: SeenText[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    const add = (where: string, text: unknown): void => {
      if (typeof text === 'string') found.push({ card: card.name, where, text, element: value });
    };
    const type = typeof value.type === 'string' ? value.type : '';
    if (type === 'TextBlock' || type === 'TextRun') add(type, value.text);
    if (type === 'FactSet' && Array.isArray(value.facts)) {
      for (const fact of value.facts.filter(isNode)) {
        add('FactSet title', fact.title);
        add('FactSet value', fact.value);
      }
    }
    if (type.startsWith('Input.')) {
      add(`${type} label`, value.label);
      add(`${type} placeholder`, value.placeholder);
      add(`${type} errorMessage`, value.errorMessage);
      if (type === 'Input.Toggle') add('Input.Toggle title', value.title);
      if (type === 'Input.ChoiceSet' && Array.isArray(value.choices)) for (const choice of value.choices.filter(isNode)) add('choice title', choice.title);
    }
    if (type.startsWith('Action.')) add(`${type} title`, value.title);
    for (const [key, child] of Object.entries(value)) if (key !== 'data') visit(child);
  };
  visit(card.card);
  return found;
}

/**
 * Data the conversation itself typed or named: every input value on the captured cards (names,
 * ids, descriptions the admin entered), the people, the Finance geographies and application types
 * (product and region names), split into words.
 */
function dataWordsOf(cards: readonly CapturedCard[]): Set<string> {
  const words = new Set<string>();
  const addWords = (text: string): void => {
    for (const word of text.split(/[^\p{L}\p{N}_.-]+/u)) if (word) words.add(word.toLowerCase());
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    if (typeof value.type === 'string' && value.type.startsWith('Input.') && typeof value.value === 'string') addWords(value.value);
    for (const child of Object.values(value)) visit(child);
  };
  cards.forEach((card) => visit(card.card));
  for (const name of ['Riley Park', 'Ada Lovelace', 'Sam Patel', 'Bo Chen', 'setupbot']) addWords(name);
  // typed on the change's first card and shown on no input afterwards, and the approvers' comments (tools/cards/capture.ts)
  for (const typed of ['carol', 'UAT for Contoso Europe and Nordics', 'Checked with the Finance team', 'Use the shared vault instead', 'Carol joins the UAT team', 'fine by me']) addWords(typed);
  // the policy's fallback rule is named so in policy files; the stand-in SAS grants these permissions (sp=racwdl)
  addWords(DEFAULT_RULE_NAME);
  addWords('racwdl');
  // the stand-in SAS's storage account and container (tools/cards/capture.ts), named in the service findings
  addWords('contosoeinv einvoicing');
  // the commands are English keywords in every language
  for (const command of COMMANDS) addWords(command.usage);
  for (const geography of financeEndpoints()) addWords(geography.name);
  for (const type of CONNECTED_APPLICATION_TYPES) addWords(type);
  return words;
}

/** What is data whatever the conversation: Teams' date macros, code spans, URLs, e-mail addresses, GUIDs, request ids, numbers, symbols. */
const DATA_PATTERNS: readonly RegExp[] = [
  /\{\{(?:DATE|TIME)\([^)]*\)\}\}/g,
  /`[^`]*`/g,
  /https?:\/\/[^\s⟦⟧]+/g,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
  /\bSR-\d{4,}\b/g,
];

/** A word the pseudo-locale wrote: letters, none of them plain ASCII (every English letter is accented). */
const PSEUDO_WORD = /[\p{L}\p{M}]+/gu;
const isPseudoWord = (word: string): boolean => !/[A-Za-z]/.test(word);

/**
 * The text without what the catalogs wrote: inside ⟦ … ⟧ (nested when a message is said inside
 * another) the accented words, the padding and the brackets go; a parameter said into a message
 * stays, and must be data like any other text. Outside the brackets nothing is taken away.
 */
function withoutPseudoRuns(text: string): string {
  let depth = 0;
  let kept = '';
  let run = '';
  const closeRun = (): void => {
    kept += run.replace(/~+/g, ' ').replace(PSEUDO_WORD, (word) => (isPseudoWord(word) ? ' ' : word));
    run = '';
  };
  for (const character of text) {
    if (character === PSEUDO_OPEN || character === PSEUDO_CLOSE) {
      if (depth > 0) closeRun();
      depth = Math.max(0, depth + (character === PSEUDO_OPEN ? 1 : -1));
      kept += ' ';
    } else if (depth > 0) run += character;
    else kept += character;
  }
  closeRun();
  return kept;
}

/** The words of a text that are neither data nor pseudo-localized: empty when the text is fine. */
function plainWords(text: string, dataWords: ReadonlySet<string>): string[] {
  // data first (code spans and URLs keep their letters in the pseudo-locale), then what the catalogs wrote
  const rest = withoutPseudoRuns(DATA_PATTERNS.reduce((remaining, pattern) => remaining.replace(pattern, ' '), text));
  return rest
    .split(/[^\p{L}\p{N}_.-]+/u)
    .map((word) => word.replace(/^[.-]+|[.-]+$/g, ''))
    .filter((word) => /\p{L}/u.test(word) && !IDENTIFIER.test(word) && !dataWords.has(word.toLowerCase()));
}

/** A name as Azure and setupbot write them: with a hyphen, dot or digit (contoso-uat, EINV-FR, contoso.onmicrosoft.com, v9). */
const IDENTIFIER = /[-._\d]/;

describe('every card the gallery captures, in the pseudo-locale', () => {
  let cards: CapturedCard[] = [];
  beforeAll(async () => {
    cards = await captureCards(() => undefined, { locale: 'qps-ploc' });
  }, 240_000);

  test('the rule: a plain English word fails, data and pseudo-localized text pass', () => {
    const data = new Set(['riley', 'park']);
    expect(plainWords('Waiting for approval', data)).toEqual(['Waiting', 'for', 'approval']);
    expect(plainWords('Riley Park · contoso-uat · SR-0042 · {{DATE(2026-12-07T10:00:00Z, SHORT)}} · https://contoso.example/x', data)).toEqual([]);
    expect(plainWords('⟦Ŵáíţíñĝ ƒöŕ áþþŕöṽáļ (1 öƒ 2) ~~~~~~⟧', data)).toEqual([]);
    expect(plainWords('⟦Ŵáíţíñĝ ƒöŕ áþþŕöṽáļ ~~~~~~⟧ (1 of 2)', data)).toEqual(['of']);
    expect(plainWords('Resubmitted as SR-0043', data)).toEqual(['Resubmitted', 'as']);
    // a parameter said into a pseudo-localized message is checked like any text: data passes, English fails
    const requested = (what: string): string => pseudoLocalize('Requested by {who}: {what}').replace('{who}', 'Riley Park').replace('{what}', what);
    expect(plainWords(requested(pseudoLocalize('change to {environment}').replace('{environment}', 'contoso-uat')), data)).toEqual([]);
    expect(plainWords(requested('change to contoso-uat (version 3)'), data)).toEqual(['change', 'to', 'version']);
    expect(plainWords(`**${pseudoLocalize('+ Added')}** · ${pseudoLocalize('user')} carol (carol@contoso.com)`, data)).toEqual(['carol']);
    // accented words outside the brackets are not the catalogs'
    expect(plainWords(accentText('Requested'), data)).toEqual([accentText('Requested')]);
  });

  test('every visible text is pseudo-localized or data', () => {
    const dataWords = dataWordsOf(cards);
    const texts = cards.flatMap(visibleTexts);
    const failures = texts
      .map((seen) => ({ ...seen, words: plainWords(seen.text, dataWords) }))
      .filter((seen) => seen.words.length > 0);
    process.stdout.write(`pseudo-locale: ${texts.length} strings checked on ${cards.length} cards, ${failures.length} not localized\n`);
    expect(cards.length).toBeGreaterThanOrEqual(40);
    // issue 19's cards are in the gallery: the approval policy and a reminder
    expect(cards.map((card) => card.name)).toEqual(expect.arrayContaining(['policy', 'approval-reminder']));
    expect(failures.map((failure) => `${failure.card} · ${failure.where}: "${failure.text}" (plain: ${failure.words.join(' ')})`)).toEqual([]);
  });
});
