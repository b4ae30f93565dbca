import { MessageFactory, type TurnContext } from 'botbuilder';
import { renderPolicyCard } from '../../cards/policy-card.js';
import { viaWords } from '../../cards/policy-words.js';
import { cardAttachment } from '../../cards/render.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSALS } from '../../dialogs/setup-context.js';
import { wordsOf } from '../../dialogs/turn-words.js';
import type { BotDeps } from '../bot-deps.js';
import { sendRequestCard } from './request-commands.js';

/** `policy NAME`: the approval rule for an environment (recorded or not yet), its approvers read now. */
export async function showPolicy(deps: BotDeps, context: TurnContext, name: string): Promise<void> {
  const words = wordsOf(context);
  if (!name) {
    await context.sendActivity(words.t('replies.policy.whichEnvironment', { command: 'policy', example: 'policy contoso-prod' }));
    return;
  }
  const view = await deps.requests.policyFor(name);
  await context.sendActivity(MessageFactory.attachment(cardAttachment(renderPolicyCard({ environment: name, ...view }, words))));
}

/** `approvals`: the requests waiting for the caller's decision now, each with why they may decide it, then each card. */
export async function listApprovals(deps: BotDeps, context: TurnContext): Promise<void> {
  const words = wordsOf(context);
  const caller = requesterOf(context);
  if (!caller) {
    await context.sendActivity(REFUSALS.noIdentity);
    return;
  }
  const waiting = await deps.requests.awaitingWithStanding(caller.objectId);
  if (waiting.length === 0) {
    const approver = await deps.requests.isApprover(caller.objectId);
    await context.sendActivity(words.t(approver ? 'replies.policy.approvals.nothingWaiting' : 'replies.policy.approvals.notApprover'));
    return;
  }
  const shown = waiting.slice(0, 10);
  const lines = shown.map(({ request, standing }) => {
    const rule = request.value.rule;
    const values = {
      requestId: request.value.id,
      environment: request.value.content.environment.name,
      why: viaWords(standing.via, rule?.name ?? 'default', words),
      approvals: request.value.approvals.length,
      required: request.value.approvalsRequired,
    };
    return rule ? words.t('replies.policy.approvals.lineUnderRule', { ...values, rule: rule.name }) : words.t('replies.policy.approvals.line', values);
  });
  await context.sendActivity(`${words.t('replies.policy.approvals.waiting', { count: waiting.length })}\n\n${lines.join('\n')}`);
  for (const { request } of shown) await sendRequestCard(deps, context, request, caller.objectId);
}
