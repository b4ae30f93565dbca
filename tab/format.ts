/** Words and dates the tab shows. */
import type { EnvironmentState, Outcome, RequestState, StepState } from '../read-api/shapes.js';

export const REQUEST_STATE_TEXT: Record<RequestState, string> = {
  submitted: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
  executing: 'Setting up',
  succeeded: 'Done',
  failed: 'Failed',
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

export const OUTCOME_TEXT: Record<Outcome, string> = { ok: 'OK', warning: 'Warning', failed: 'Failed' };
export const OUTCOME_ICON: Record<Outcome, string> = { ok: '✅', warning: '⚠️', failed: '❌' };
export const OUTCOME_TONE: Record<Outcome, Tone> = { ok: 'good', warning: 'warning', failed: 'bad' };

export const STEP_TEXT: Record<StepState, string> = {
  pending: 'Waiting',
  running: 'Running',
  ok: 'OK',
  warning: 'Warning',
  failed: 'Failed',
  skipped: 'Skipped',
};

export const AUDIT_ACTION_TEXT: Record<string, string> = {
  submitted: 'Submitted',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
  execution_started: 'Execution started',
  step_finished: 'Step finished',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

let locale: string | undefined;

/** The user's Teams locale, from the context (the browser's otherwise). */
export function useLocale(value: string | undefined): void {
  locale = value || undefined;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}
