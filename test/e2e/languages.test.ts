/**
 * Issue 20 end to end through /api/messages: a request in German and one in Arabic, from the
 * first setup card to the executed card; each reader gets their own language — the requester in
 * their turn's locale, an approver in the locale their chat last told, the approval channel in
 * SETUPBOT_DEFAULT_LOCALE, and a viewer of the channel copy (Teams' refresh) in theirs. Arabic
 * cards are laid out right to left.
 */
import type { Activity } from 'botbuilder';
import { cardExecute, speaking, teamChannel, teamsUser, type TeamsUser } from '../harness/activities.js';
import { cardOf, cardProblems, cardText } from '../harness/card-check.js';
import { actionsOf, CardClient } from '../harness/card-client.js';
import { approverClient, install, submitRequest, VAULT_URI } from '../harness/scenarios.js';
import { TeamsRig } from '../harness/test-bot.js';

type Card = Record<string, unknown>;

const german = speaking(teamsUser('Greta Gruber'), 'de-DE');
const germanApprover = speaking(teamsUser('Jonas Weber'), 'de-AT');
const arab = speaking(teamsUser('Layla Haddad'), 'ar-SA');
const arabApprover = speaking(teamsUser('Omar Farouk'), 'ar-EG');
const channel = teamChannel('Rechnungsstellung');

/** Every Container and Column of a card (where `rtl` must be set for Arabic). */
function containersOf(card: unknown): Card[] {
  const found: Card[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const node = value as Card;
    if (node.type === 'Container' || node.type === 'Column') found.push(node);
    for (const [key, child] of Object.entries(node)) if (key !== 'data') visit(child);
  };
  visit((card as Card).body);
  return found;
}

/** `rtl` on the card and on every container and column in it (`hasContainers`: the card is known to have some). */
function expectRightToLeft(card: Card, hasContainers = false): void {
  expect(card.rtl).toBe(true);
  const containers = containersOf(card);
  if (hasContainers) expect(containers.length).toBeGreaterThan(0);
  expect(containers.filter((container) => container.rtl !== true)).toEqual([]);
}

function expectLeftToRight(card: Card): void {
  expect(card.rtl).toBeUndefined();
  expect(containersOf(card).filter((container) => container.rtl !== undefined)).toEqual([]);
}

function personalChatOf(rig: TeamsRig, user: TeamsUser): string {
  return new CardClient(rig, user, { kind: 'personal' }).conversationId;
}

/** The last card about this request the bot sent or updated in a conversation (the outbox's proactive sends). */
function lastCardIn(rig: TeamsRig, conversationId: string, requestId: string): Card {
  const calls = rig.connector.calls.filter(
    (call) => ['send', 'update'].includes(call.operation) && call.conversationId === conversationId && call.status < 300 && JSON.stringify(call.body).includes(requestId),
  );
  const call = calls[calls.length - 1];
  if (!call?.activity?.attachments?.length) throw new Error(`no card about ${requestId} in ${conversationId}`);
  return cardOf(call.activity as Partial<Activity>);
}

const buttonTitles = (card: unknown): string[] => actionsOf(card).map((action) => String(action.title));

/** Goes on from the first setup card of this chat to the request card; the request id. */
async function submitFrom(chat: CardClient, environment: string, keyVaultHeader: string): Promise<string> {
  await chat.click({ verb: 'setup.next' }, { 'environment.name': environment, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  expect(cardText(chat.card)).toContain(keyVaultHeader);
  await chat.click({ verb: 'setup.next' }, { 'keyVault.name': `${environment}-kv`, 'keyVault.keyVaultUri': VAULT_URI, 'keyVault.storageSasSecretName': 'storage-sas-token' });
  await chat.click({ verb: 'setup.skip' });
  await chat.click({ verb: 'setup.submit' });
  const id = /SR-\d{4}/.exec(cardText(chat.card))?.[0];
  if (!id) throw new Error(`no request id on the card: ${cardText(chat.card)}`);
  return id;
}

describe('a request in German and one in Arabic, end to end', () => {
  const rig = new TeamsRig({
    env: {
      SETUPBOT_APPROVERS: `${germanApprover.aadObjectId},${arabApprover.aadObjectId}`,
      SETUPBOT_APPROVAL_CHANNEL: channel.channelId,
      SETUPBOT_DEFAULT_LOCALE: 'en-US',
    },
  });
  beforeAll(async () => {
    await rig.start();
    await install(rig, germanApprover);
    await install(rig, arabApprover);
    await install(rig, germanApprover, { kind: 'channel', channel });
  });
  afterAll(() => rig.stop());

  test('German: the setup cards, the approval card, the executed card', async () => {
    const chat = new CardClient(rig, german, { kind: 'personal' });
    await chat.say('setup');
    expect(cardText(chat.card)).toContain('Schritt 1 von 4 · Dienstumgebung');
    expect(buttonTitles(chat.card)).toEqual(expect.arrayContaining(['Weiter', 'Abbrechen']));
    expectLeftToRight(chat.card as Card);

    const id = await submitFrom(chat, 'berlin-uat', 'Schritt 2 von 4 · Key Vault');
    expect(cardText(chat.card)).toContain(`${id} · Wartet auf Genehmigung (0 von 1)`);
    expect(buttonTitles(chat.card)).toContain('Anforderung abbrechen');
    await rig.app.settled();

    const approver = approverClient(rig, germanApprover, id);
    expect(cardText(approver.card)).toContain('Wartet auf Genehmigung');
    expect(cardText(approver.card)).toContain('Dienstumgebung');
    expect(buttonTitles(approver.card)).toEqual(expect.arrayContaining(['Genehmigen', 'Ablehnen']));
    await approver.click({ verb: 'request.approve' }, { comment: 'Passt so' });
    await rig.app.settled();

    const executed = lastCardIn(rig, personalChatOf(rig, german), id);
    const text = cardText(executed);
    expect(text).toContain(`${id} · Erledigt`);
    expect(text).toContain('Schritte der Einrichtung');
    expect(text).toMatch(/✅ Erledigt: /);
    expect(text).toContain('Genehmigt von Jonas Weber');
    expect(text).toContain('„Passt so“');
    expect(text).toContain('Als Nächstes in Finance');
    expect(text).toContain('Endpunkt-URL');
    expectLeftToRight(executed);
    expect(cardProblems(executed)).toEqual([]);
  });

  test('Arabic: the same request, right to left', async () => {
    const chat = new CardClient(rig, arab, { kind: 'personal' });
    await chat.say('setup');
    expect(cardText(chat.card)).toContain('الخطوة 1 من 4 · بيئة الخدمة');
    expect(buttonTitles(chat.card)).toEqual(expect.arrayContaining(['التالي', 'إلغاء']));
    expectRightToLeft(chat.card as Card, true);

    const id = await submitFrom(chat, 'riyadh-uat', 'الخطوة 2 من 4 · المخزن الرئيسي');
    expect(cardText(chat.card)).toContain('في انتظار الموافقة');
    expectRightToLeft(chat.card as Card);
    await rig.app.settled();

    const approver = approverClient(rig, arabApprover, id);
    expect(buttonTitles(approver.card)).toEqual(expect.arrayContaining(['موافقة', 'رفض']));
    expectRightToLeft(approver.card as Card);
    await approver.click({ verb: 'request.approve' });
    expectRightToLeft(approver.card as Card);
    await rig.app.settled();

    const executed = lastCardIn(rig, personalChatOf(rig, arab), id);
    const raw = cardText(executed);
    // what the reader sees; names, ids and URLs inside Arabic sentences are set in left-to-right isolates (i18n/bidi.ts)
    const text = raw.replace(/[\u2066\u2069]/gu, '');
    expect(text).toContain(`${id} · تم`);
    expect(text).toContain('خطوات الإعداد');
    expect(text).toContain('وافق عليه Omar Farouk');
    expect(text).toContain('الخطوة التالية في Finance');
    expect(raw).toContain('\u2066riyadh-uat-kv (https://contoso-einvoicing.vault.azure.net/)\u2069');
    expect(raw).toContain('وافق عليه \u2066Omar Farouk\u2069');
    expectRightToLeft(executed, true);
    expect(cardProblems(executed)).toEqual([]);
  });

  test('each reader their own language: the approver as their chat last told, the channel in the default, a refresh in the viewer\'s', async () => {
    const { id, client } = await submitRequest(rig, german, 'wien-uat');
    expect(cardText(client.card)).toContain('Wartet auf Genehmigung');
    // each approver's card in their own chat's language
    expect(buttonTitles(approverClient(rig, arabApprover, id).card)).toEqual(expect.arrayContaining(['موافقة', 'رفض']));
    expect(buttonTitles(approverClient(rig, germanApprover, id).card)).toEqual(expect.arrayContaining(['Genehmigen', 'Ablehnen']));
    // the channel copy: SETUPBOT_DEFAULT_LOCALE
    const channelCopy = lastCardIn(rig, channel.channelId, id);
    expect(cardText(channelCopy)).toContain('Waiting for approval');
    expectLeftToRight(channelCopy);
    // Teams asks for the Arabic approver's own view of the channel copy: their locale rides on the invoke
    const refresh = channelCopy.refresh as { action: { verb: string; data: Record<string, unknown>; title: string }; userIds: string[] };
    expect(refresh.userIds).toContain(arabApprover.aadObjectId);
    const stored = (await rig.app.requests.get(id))?.value.cards.find((copy) => copy.kind === 'channel');
    expect(stored?.locale).toBe('en-US');
    const asArab = await rig.post(cardExecute(rig.scene, arabApprover, { kind: 'channel', channel }, refresh.action.verb, refresh.action.data, stored?.activityId));
    const arabView = (asArab.body as { value: Card }).value;
    expect(buttonTitles(arabView)).toEqual(['موافقة', 'رفض']);
    expectRightToLeft(arabView);
    const asGerman = await rig.post(cardExecute(rig.scene, germanApprover, { kind: 'channel', channel }, refresh.action.verb, refresh.action.data, stored?.activityId));
    expect(buttonTitles((asGerman.body as { value: Card }).value)).toEqual(['Genehmigen', 'Ablehnen']);

    // the Arabic approver switches Teams to German: their chat tells, and the next approval card follows
    const switched = speaking(arabApprover, 'de-DE');
    await new CardClient(rig, switched, { kind: 'personal' }).say('help');
    const { id: next } = await submitRequest(rig, german, 'graz-uat');
    expect(buttonTitles(approverClient(rig, arabApprover, next).card)).toEqual(expect.arrayContaining(['Genehmigen', 'Ablehnen']));
    // an update of a copy keeps the language it was drawn in: the requester's card stays German after the decision
    await approverClient(rig, germanApprover, next).click({ verb: 'request.reject' }, { comment: 'Bitte später' });
    await rig.app.settled();
    expect(cardText(lastCardIn(rig, personalChatOf(rig, german), next))).toContain(`${next} · Abgelehnt`);
    expect(cardText(lastCardIn(rig, channel.channelId, next))).toContain(`${next} · Rejected`);
  });
});
