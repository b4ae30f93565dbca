import { z } from 'zod';
import { say } from './words/domain-message.js';
import { executeWithFallback, readClick, type Json } from './card-payload.js';
import template from './history.json' with { type: 'json' };
import { describeAuditEntry, HISTORY_PAGE_SIZE, type HistoryPage } from '../setup/audit/history.js';
import { cardDateTime } from './form-view.js';
import { expandTemplate, type AdaptiveCardJson } from './render.js';
import type { Words } from '../i18n/translations.js';

/** The verb of the history card's page buttons (exact match, shared with the handler). */
export const HISTORY_VERB = 'history.page';

export interface HistoryActionData {
  verb: typeof HISTORY_VERB;
  environment: string;
  page: number;
}


/** What a page button of the history card posts. */
const HISTORY_CLICK = z.object({
  verb: z.literal(HISTORY_VERB),
  environment: z.string().min(1).max(200),
  page: z.number().int().min(0).max(1_000_000),
});

/** Reads a page click (Action.Execute value or Action.Submit data); undefined for anything else. */
export function readHistoryAction(payload: unknown): HistoryActionData | undefined {
  const click = readClick(payload, HISTORY_CLICK);
  return click && { verb: click.verb, environment: click.environment, page: click.page };
}

function pageAction(title: string, environment: string, page: number): Json {
  const data: HistoryActionData = { verb: HISTORY_VERB, environment, page };
  return executeWithFallback(title, { ...data }, { associatedInputs: 'none' });
}

/** `history contoso-uat`: one page of the environment's audit trail, newest first. */
export function renderHistory(history: HistoryPage, words: Words): AdaptiveCardJson {
  const from = history.total === 0 ? 0 : history.page * HISTORY_PAGE_SIZE + 1;
  const actions: Json[] = [];
  if (history.page > 0) actions.push(pageAction(words.t('cards.history.newer'), history.environment, history.page - 1));
  if (history.page < history.pages - 1) actions.push(pageAction(words.t('cards.history.older'), history.environment, history.page + 1));
  const { verdict } = history;
  return expandTemplate(template, {
    w: {
      heading: words.t('cards.history.heading', { environment: history.environment }),
      range: words.t('cards.history.range', {
        from: words.number(from),
        to: words.number(from + history.entries.length - 1),
        total: words.number(history.total),
        page: words.number(history.page + 1),
        pages: words.number(history.pages),
      }),
    },
    chainStyle: verdict.ok ? 'good' : 'attention',
    chainText: verdict.ok
      ? words.t('cards.history.chainVerified')
      : words.t('cards.history.chainBroken', { seq: verdict.seq, reason: say(words, verdict.reason) }),
    entries: history.entries.map((entry) => ({ when: cardDateTime(entry.at), requestId: entry.requestId, text: say(words, describeAuditEntry(entry)) })),
    actions,
  }, words);
}
