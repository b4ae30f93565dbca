import type { TurnContext } from 'botbuilder';
import { requesterOf } from '../../dialogs/requester.js';
import { REFUSALS } from '../../dialogs/setup-context.js';
import { GUID } from '../../setup/model/ids.js';
import { awayUntil, refuseDelegation } from '../../setup/policy/delegation.js';
import { turnLogger } from '../../turn/turn-logger.js';
import type { BotDeps } from '../bot-deps.js';
import type { CommandTurn } from './command-turn.js';
import { delegationWords } from './delegation-words.js';
import { wordsOf } from '../../dialogs/turn-words.js';

/** Who an `away … delegate <user>` names, or why it cannot tell. */
type Named = { ok: true; id: string; name: string } | { ok: false; message: string };

const AWAY = /^until\s+(\S+)\s+delegate\s+(?:to\s+)?(.+)$/i;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The delegate: an @mention of a person (Teams puts their Entra object id in the mention's
 * `aadObjectId`, or a GUID or `8:orgid:<guid>` id), else an Entra object id typed out. A mention
 * that carries neither (a Teams `29:` id alone) is answered with how to give the id instead.
 */
export async function delegateNamed(deps: BotDeps, context: TurnContext, written: string): Promise<Named> {
  const DELEGATION_WORDS = delegationWords(wordsOf(context));
  const botId = context.activity.recipient?.id;
  const mentions = (context.activity.entities ?? []).filter((entity) => String(entity.type).toLowerCase() === 'mention');
  for (const entity of mentions) {
    const mentioned = entity.mentioned as Record<string, unknown> | undefined;
    const id = text(mentioned?.id);
    if (!mentioned || !id || id === botId || id === `28:${botId}`) continue;
    const candidates = [text(mentioned.aadObjectId), id, id.replace(/^8:orgid:/i, '')];
    const objectId = candidates.find((candidate) => candidate !== undefined && GUID.test(candidate));
    if (!objectId) return { ok: false, message: DELEGATION_WORDS.unreadableMention };
    return { ok: true, id: objectId.toLowerCase(), name: text(mentioned.name) ?? objectId.toLowerCase() };
  }
  const typed = written.replace(/<\/?at>/gi, '').trim();
  if (!GUID.test(typed)) return { ok: false, message: mentions.length > 0 || /<at>/i.test(written) ? DELEGATION_WORDS.unreadableMention : DELEGATION_WORDS.unknownDelegate };
  const id = typed.toLowerCase();
  const chat = await deps.installations.personalChatOf(id);
  return { ok: true, id, name: text(chat?.reference.user?.name) ?? id };
}

/** `away until <date> delegate <user>`: an approver hands their approvals to someone until then. */
export async function awayCommand({ context, argument, deps }: CommandTurn): Promise<void> {
  const DELEGATION_WORDS = delegationWords(wordsOf(context));
  const caller = requesterOf(context);
  if (!caller) {
    await context.sendActivity(REFUSALS.noIdentity);
    return;
  }
  if (!(await deps.requests.isApprover(caller.objectId))) {
    await context.sendActivity(DELEGATION_WORDS.notApprover);
    return;
  }
  const { delegations, cards } = deps;
  if (!delegations) {
    await context.sendActivity(DELEGATION_WORDS.unavailable);
    return;
  }
  if (argument.trim() === '') {
    const current = await delegations.of(caller.objectId);
    await context.sendActivity(current ? DELEGATION_WORDS.stillAway(current) : DELEGATION_WORDS.usage);
    return;
  }
  const parts = AWAY.exec(argument.trim());
  if (!parts) {
    await context.sendActivity(/^until\s+\S+\s*$/i.test(argument.trim()) ? DELEGATION_WORDS.noDelegate : DELEGATION_WORDS.usage);
    return;
  }
  const until = awayUntil(parts[1], delegations.now());
  if (!until.ok) {
    await context.sendActivity(DELEGATION_WORDS.refusal(until.refusal));
    return;
  }
  const delegate = await delegateNamed(deps, context, parts[2]);
  if (!delegate.ok) {
    await context.sendActivity(delegate.message);
    return;
  }
  const refusal = refuseDelegation(caller.objectId, delegate.id, await delegations.of(delegate.id), delegations.now());
  if (refusal) {
    await context.sendActivity(DELEGATION_WORDS.refusal(refusal));
    return;
  }
  const delegation = await delegations.set({ approverId: caller.objectId, approverName: caller.name, delegateId: delegate.id, delegateName: delegate.name, until: until.until.toISOString() });
  const pending = await deps.requests.awaiting(caller.objectId);
  turnLogger(context, deps.logger).info({ event: 'delegation_set', approverId: caller.objectId, delegateId: delegate.id, until: delegation.until, pending: pending.length }, 'approver away: approval cards also go to the delegate');
  const sent = await cards.publishToDelegate(delegation, pending);
  await context.sendActivity(DELEGATION_WORDS.away(delegation, sent));
}

/** `back`: the approver's delegation ends; their delegates' copies lose Approve / Reject. */
export async function backCommand({ context, deps }: CommandTurn): Promise<void> {
  const DELEGATION_WORDS = delegationWords(wordsOf(context));
  const caller = requesterOf(context);
  if (!caller) {
    await context.sendActivity(REFUSALS.noIdentity);
    return;
  }
  const ended = await deps.delegations?.end(caller.objectId);
  turnLogger(context, deps.logger).info({ event: 'delegation_ended', approverId: caller.objectId, delegateId: ended?.delegateId ?? null }, 'approver back');
  await context.sendActivity(DELEGATION_WORDS.back(ended));
  if (ended) {
    const pending = await deps.requests.awaiting(caller.objectId);
    for (const request of pending) deps.background.run(`sync cards of ${request.id}`, () => deps.cards.syncAll(request.id));
  }
}
