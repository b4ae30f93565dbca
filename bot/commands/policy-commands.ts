import { MessageFactory, type TurnContext } from 'botbuilder';
import { renderPolicyCard } from '../../cards/policy-card.js';
import { viaWords } from '../../cards/policy-words.js';
import { cardAttachment } from '../../cards/render.js';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSALS } from '../../dialogs/setup-context.js';
import type { BotDeps } from '../bot-deps.js';
import { sendRequestCard } from './request-commands.js';

/** `policy NAME`: the approval rule for an environment (recorded or not yet), its approvers read now. */
export async function showPolicy(deps: BotDeps, context: TurnContext, name: string): Promise<void> {
  if (!name) {
    await context.sendActivity("Which environment? Type **policy** and the environment's name, for example **policy contoso-prod**.");
    return;
  }
  const view = await deps.requests.policyFor(name);
  await context.sendActivity(MessageFactory.attachment(cardAttachment(renderPolicyCard({ environment: name, ...view }))));
}

/** `approvals`: the requests waiting for the caller's decision now, each with why they may decide it, then each card. */
export async function listApprovals(deps: BotDeps, context: TurnContext): Promise<void> {
  const caller = requesterOf(context);
  if (!caller) {
    await context.sendActivity(REFUSALS.noIdentity);
    return;
  }
  const waiting = await deps.requests.awaitingWithStanding(caller.objectId);
  if (waiting.length === 0) {
    const approver = await deps.requests.isApprover(caller.objectId);
    await context.sendActivity(approver ? 'Nothing is waiting for your approval.' : "You're not one of the configured approvers, so nothing is waiting for you.");
    return;
  }
  const shown = waiting.slice(0, 10);
  const lines = shown.map(({ request, standing }) => {
    const rule = request.value.rule;
    const why = viaWords(standing.via, rule?.name ?? 'default');
    const quorum = `${request.value.approvals.length} of ${request.value.approvalsRequired} approvals`;
    return `- **${request.value.id}** ${request.value.content.environment.name}: you may decide as ${why}${rule ? ` (rule ${rule.name})` : ''}; ${quorum} so far`;
  });
  await context.sendActivity(`${waiting.length} request${waiting.length === 1 ? ' is' : 's are'} waiting for your decision:\n\n${lines.join('\n')}`);
  for (const { request } of shown) await sendRequestCard(deps, context, request, caller.objectId);
}
