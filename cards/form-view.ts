/**
 * View types and small helpers shared by the setup step cards: the step header, the notice line,
 * input fields with their server error, and reading submitted input values back.
 */
import { stepNumber, SETUP_STEPS, type SetupStep } from '../setup/model/draft.js';
import type { Words } from '../i18n/translations.js';
import type { MessageKey } from '../i18n/message-keys.js';

/** Server-side validation errors; key = input id = validation path. */
export type ErrorMap = Readonly<Record<string, string>>;

/** One line under the step header, on a container styled by its tone. */
export interface Notice {
  tone: 'good' | 'warning' | 'attention';
  text: string;
}

/**
 * How every card shows an empty value (a missing description, an empty list): one word, the
 * same on the review, the request card and the environment details.
 */
export function noneWord(words: Words): string {
  return words.t('cards.common.none');
}

/** The value, or the word for none when it is empty. */
export function valueOrNone(value: string, words: Words): string {
  return value.trim() === '' ? noneWord(words) : value;
}

/** The values joined with commas (names and ids: data, not a sentence), or the word for none. */
export function listOrNone(values: readonly string[], words: Words): string {
  return values.length === 0 ? noneWord(words) : values.join(', ');
}

/** The title of a setup step in the reader's words. */
export const STEP_TITLE_KEYS: Record<SetupStep, MessageKey> = {
  environment: 'cards.step.environment',
  keyVault: 'cards.step.keyVault',
  connectedApps: 'cards.step.connectedApps',
  review: 'cards.step.review',
};

/** "Step 2 of 4 · Key Vault". */
export function stepOfLine(step: SetupStep, words: Words): string {
  return words.t('cards.step.of', { number: stepNumber(step), count: SETUP_STEPS.length, title: words.t(STEP_TITLE_KEYS[step]) });
}

/**
 * Container styles for status (Adaptive Cards host colours): unlike coloured text, a styled
 * container keeps its contrast in light, dark and high-contrast themes.
 */
export const TONE_STYLES: Record<Notice['tone'], string> = { good: 'good', warning: 'warning', attention: 'attention' };

/** What a submit/execute sends back besides the action data: input id → value. */
export type CardInputs = Readonly<Record<string, unknown>>;

/** The environment and version a change draft is built on (absent for a new setup). */
export interface ChangeMode {
  environment: string;
  baseRevision: number;
}

/**
 * Template data for the header and notice of a step card (`${header}`, `${notice.text}`,
 * `${notice.style}`); a change says which environment it changes.
 */
export function stepHeader(step: SetupStep, notice: Notice | undefined, change: ChangeMode | undefined, words: Words): { header: string; notice: { text: string; style: string } } {
  const stepLine = stepOfLine(step, words);
  return {
    header: change ? words.t('cards.step.changeHeader', { environment: change.environment, step: stepLine }) : stepLine,
    notice: notice ? { text: notice.text, style: TONE_STYLES[notice.tone] } : { text: '', style: 'default' },
  };
}

/** An input as the templates bind it: `${x.id}`, `${x.value}`, `${x.error}` ('' = no error). */
export interface FieldView {
  id: string;
  value: string;
  error: string;
}

export function fieldView(errors: ErrorMap, id: string, value: string): FieldView {
  return { id, value, error: errorAt(errors, id) };
}

/** The error message for exactly this path, or '' (templates test `${error != ''}`). */
export function errorAt(errors: ErrorMap, path: string): string {
  const message = Object.prototype.hasOwnProperty.call(errors, path) ? errors[path] : undefined;
  return typeof message === 'string' ? message : '';
}

/** A trimmed submitted string, or `previous` when the key is absent or not a string. */
export function textInput(inputs: CardInputs, id: string, previous: string): string {
  const value = Object.prototype.hasOwnProperty.call(inputs, id) ? inputs[id] : undefined;
  return typeof value === 'string' ? value.trim() : previous;
}

/** A submitted choice when it is one of `allowed`, else `previous`. */
export function choiceInput<T extends string>(inputs: CardInputs, id: string, allowed: readonly T[], previous: T): T {
  const value = textInput(inputs, id, previous);
  return allowed.find((candidate) => candidate === value) ?? previous;
}

/** Choices for an Input.ChoiceSet of fixed values, each shown as `title(value)` (the value itself by default: names). */
export function choicesOf(values: readonly string[], title: (value: string) => string = (value) => value): { title: string; value: string }[] {
  return values.map((value) => ({ title: title(value), value }));
}

/**
 * A timestamp the Teams client shows in the reader's own time zone and format
 * (`{{DATE(…)}}`/`{{TIME(…)}}` accept RFC 3339 without fractional seconds); text as given otherwise.
 */
export function cardDateTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const rfc3339 = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${rfc3339}, SHORT)}} {{TIME(${rfc3339})}}`;
}
