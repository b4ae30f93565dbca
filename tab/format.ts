/** Words and dates the tab shows: every text goes through the catalogs (locales/<language>/tab.json). */
import type { EnvironmentState, Outcome, RequestState, StepState } from '../read-api/shapes.js';
import type { TabMessageKey, TabWords } from '../i18n/tab-words.js';
import type { Child } from './dom.js';

export const REQUEST_STATE_KEY: Record<RequestState, TabMessageKey> = {
  submitted: 'tab.requestState.submitted',
  approved: 'tab.requestState.approved',
  rejected: 'tab.requestState.rejected',
  cancelled: 'tab.requestState.cancelled',
  expired: 'tab.requestState.expired',
  executing: 'tab.requestState.executing',
  succeeded: 'tab.requestState.succeeded',
  failed: 'tab.requestState.failed',
};

/** The colour family of a state; the word is always shown too, colour is never the only signal. */
export type Tone = 'good' | 'warning' | 'bad' | 'neutral' | 'busy';

export const REQUEST_STATE_TONE: Record<RequestState, Tone> = {
  submitted: 'busy',
  approved: 'good',
  rejected: 'bad',
  cancelled: 'neutral',
  expired: 'warning',
  executing: 'busy',
  succeeded: 'good',
  failed: 'bad',
};

export const ENVIRONMENT_STATE_TONE: Record<EnvironmentState, Tone> = {
  Published: 'good',
  'Not published': 'warning',
  Changed: 'warning',
  Retired: 'neutral',
};

/** The read API names an environment's state in English (the RCS status); the tab shows the localized status. */
export const ENVIRONMENT_STATE_KEY: Record<EnvironmentState, TabMessageKey> = {
  Published: 'tab.environmentState.published',
  'Not published': 'tab.environmentState.notPublished',
  Changed: 'tab.environmentState.changed',
  Retired: 'tab.environmentState.retired',
};

export const OUTCOME_KEY: Record<Outcome, TabMessageKey> = { ok: 'tab.outcome.ok', warning: 'tab.outcome.warning', failed: 'tab.outcome.failed' };
export const OUTCOME_ICON: Record<Outcome, string> = { ok: '✅', warning: '⚠️', failed: '❌' };
export const OUTCOME_TONE: Record<Outcome, Tone> = { ok: 'good', warning: 'warning', failed: 'bad' };

export const STEP_STATE_KEY: Record<StepState, TabMessageKey> = {
  pending: 'tab.stepState.pending',
  running: 'tab.stepState.running',
  ok: 'tab.stepState.ok',
  warning: 'tab.stepState.warning',
  failed: 'tab.stepState.failed',
  skipped: 'tab.stepState.skipped',
};

const AUDIT_ACTION_KEY: Readonly<Record<string, TabMessageKey>> = {
  submitted: 'tab.auditAction.submitted',
  approved: 'tab.auditAction.approved',
  rejected: 'tab.auditAction.rejected',
  cancelled: 'tab.auditAction.cancelled',
  expired: 'tab.auditAction.expired',
  execution_started: 'tab.auditAction.execution_started',
  step_finished: 'tab.auditAction.step_finished',
  succeeded: 'tab.auditAction.succeeded',
  failed: 'tab.auditAction.failed',
};

/** An audit action in words; an action this tab does not know yet is shown as recorded. */
export function auditActionText(words: TabWords, action: string): string {
  const key = Object.hasOwn(AUDIT_ACTION_KEY, action) ? AUDIT_ACTION_KEY[action] : undefined;
  return key ? words.t(key) : action;
}

export function itemTypeText(words: TabWords, type: 'Secret' | 'Certificate'): string {
  return words.t(type === 'Secret' ? 'tab.itemType.secret' : 'tab.itemType.certificate');
}

export function dateTime(words: TabWords, iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(words.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}

const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * A message with elements in it (a button, a `kbd`): the message is formatted whole, in the reader's
 * word order, with a marker for each element, then cut at the markers. No sentence is assembled
 * from translated fragments.
 */
export function richText(words: TabWords, key: TabMessageKey, values: Record<string, string | number>, elements: Record<string, Node>): Child[] {
  const markers = Object.fromEntries(Object.keys(elements).map((name) => [name, `${OPEN}${name}${CLOSE}`]));
  const text = words.t(key, { ...values, ...markers });
  return text.split(new RegExp(`${OPEN}(\\w+)${CLOSE}`)).map((part, index) => (index % 2 === 1 ? (elements[part] ?? part) : part)).filter((part) => part !== '');
}
