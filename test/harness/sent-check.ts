/**
 * The card checks over everything the bot put in front of Teams users during a test: each
 * activity the Bot Connector stand-in received (new messages, replies, updates, proactive sends)
 * and each answer to an invoke (cards that replaced the clicked one, refusals).
 */
import type { Activity } from 'botbuilder';
import { cardProblems, placeholderProblem } from './card-check.js';
import type { TeamsRig } from './test-bot.js';

const CARD = 'application/vnd.microsoft.card.adaptive';

function activityProblems(where: string, activity: Partial<Activity>): string[] {
  const problems: string[] = [];
  if (typeof activity.text === 'string') {
    const placeholder = placeholderProblem(`${where} text`, activity.text);
    if (placeholder) problems.push(placeholder);
  }
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === CARD) problems.push(...cardProblems(attachment.content).map((problem) => `${where} card: ${problem}`));
  }
  return problems;
}

export interface SentReport {
  cards: number;
  texts: number;
  problems: string[];
}

/** Checks every card and text the bot sent or answered so far; counts what it looked at. */
export function checkEverythingSent(rig: TeamsRig): SentReport {
  const report: SentReport = { cards: 0, texts: 0, problems: [] };
  const count = (activity: Partial<Activity>) => {
    report.cards += (activity.attachments ?? []).filter((attachment) => attachment.contentType === CARD).length;
    if (typeof activity.text === 'string') report.texts += 1;
  };
  for (const call of rig.connector.calls) {
    if (!call.activity) continue;
    count(call.activity);
    report.problems.push(...activityProblems(`${call.operation} ${call.path}`, call.activity));
  }
  for (const answer of rig.answers) {
    const body = answer.body as { type?: string; value?: unknown } | undefined;
    if (body?.type === CARD) {
      report.cards += 1;
      report.problems.push(...cardProblems(body.value).map((problem) => `invoke answer card: ${problem}`));
    } else if (body?.type === 'application/vnd.microsoft.activity.message' && typeof body.value === 'string') {
      report.texts += 1;
      const placeholder = placeholderProblem('invoke answer text', body.value);
      if (placeholder) report.problems.push(placeholder);
    }
  }
  return report;
}
