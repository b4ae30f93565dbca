/**
 * Every card the bot sends, captured from the real bot: a whole conversation is played through
 * POST /api/messages (the test harness's Teams side: token issuer, Bot Connector stand-in, Key
 * Vault and Finance stand-ins), and each card is taken from the invoke response or from what
 * the connector stand-in received. So the pictures show exactly what Teams would get.
 */
import type { Activity } from 'botbuilder';
import type { ConnectionChecker } from '../../setup/model/verification.js';
import { domainMessage } from '../../setup/model/messages.js';
import { Translations } from '../../i18n/translations.js';
import { botAdded, speaking, teamChannel, teamsUser, type TeamsUser } from '../../test/harness/activities.js';
import { cardOf, cardText } from '../../test/harness/card-check.js';
import { CardClient } from '../../test/harness/card-client.js';
import { makeCa, makeLeaf, sasUrl, toDerBase64, toPkcs12Base64 } from '../../test/harness/certificates.js';
import { KeyVaultStandIn } from '../../test/harness/key-vault-standin.js';
import { ManualClock, approverClient, install } from '../../test/harness/scenarios.js';
import { TeamsRig } from '../../test/harness/test-bot.js';
import { standInVerifier } from '../../test/harness/vault-verifier.js';

export type CardJson = Record<string, unknown>;

export interface CapturedCard {
  /** File name without .png */
  name: string;
  /** What the picture shows, for docs/cards/README.md */
  caption: string;
  card: CardJson;
  /** Buttons (ShowCard, ToggleVisibility) to press before the picture is taken. */
  expand?: string[];
}

const DAY = 24 * 3600_000;
const VAULT = 'https://contoso-einvoicing.vault.azure.net/';
const FINANCE_URL = 'https://contoso-uat.sandbox.operations.dynamics.com';

/**
 * "Check connection" answers as a reachable Finance environment would, so the pictures show a
 * real-looking URL (the HTTPS check itself is exercised by the tests against a stand-in).
 * The Key Vault checks below are real, against the Key Vault stand-in.
 */
const reachableFinance: ConnectionChecker = {
  async check(url) {
    return { url, outcome: 'ok', status: 200, message: domainMessage('connection.answered', { status: 200, amount: 184, unit: 'ms', proxy: '', viaProxy: 'no' }) };
  },
};

export interface CaptureOptions {
  /**
   * The Teams locale every user of the conversation speaks, and the bot's SETUPBOT_DEFAULT_LOCALE
   * for the channel copies (en-US by default): the same conversation, in another language.
   */
  locale?: string;
}

export async function captureCards(log: (line: string) => void = () => undefined, options: CaptureOptions = {}): Promise<CapturedCard[]> {
  const locale = options.locale ?? 'en-US';
  const words = new Translations().for(locale);
  const user = (name: string): TeamsUser => speaking(teamsUser(name), locale);
  const cards: CapturedCard[] = [];
  const keep = (name: string, caption: string, card: CardJson | undefined, expand?: string[]): void => {
    if (!card) throw new Error(`no card for ${name}`);
    cards.push({ name, caption, card: structuredClone(card), expand });
    log(`captured ${name}`);
  };

  const vault = await KeyVaultStandIn.start();
  // the bot's clock starts now (like the Key Vault checks'), and is moved by hand for the expiry
  const clock = new ManualClock(new Date());
  const ops = teamChannel('Finance platform', 'e-invoicing ops');
  const riley = user('Riley Park');
  const ada = user('Ada Lovelace');
  const rig = new TeamsRig({
    clock,
    env: { SETUPBOT_APPROVERS: ada.aadObjectId, SETUPBOT_APPROVAL_CHANNEL: ops.channelId, SETUPBOT_DEFAULT_LOCALE: locale },
    keyVaultVerifier: standInVerifier(vault),
    connectionChecker: reachableFinance,
  });

  const root = makeCa('contoso-root-ca');
  const signing = makeLeaf('contoso-signing', root, { notAfter: new Date(Date.now() + 400 * DAY) });
  vault.addSecret('storage-sas-token', sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() + 200 * DAY) }));
  vault.addSecret('expired-sas-token', sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() - DAY) }));
  vault.addSecret('contoso-root-ca', toDerBase64(root));
  vault.addSecret('contoso-signing', toPkcs12Base64(signing, [root]), { contentType: 'application/x-pkcs12' });

  let stopped = false;
  try {
    await rig.start();
    const lastCardIn = (conversationId: string, operations: readonly string[] = ['send', 'reply', 'update']): CardJson | undefined => {
      const calls = rig.connector.calls.filter(
        (call) => operations.includes(call.operation) && call.conversationId === conversationId && call.status < 300 && call.activity?.attachments?.length,
      );
      const call = calls[calls.length - 1];
      return call ? cardOf(call.activity as Partial<Activity>) : undefined;
    };
    const cardsIn = (conversationId: string): CardJson[] =>
      rig.connector.calls
        .filter((call) => ['send', 'reply', 'update'].includes(call.operation) && call.conversationId === conversationId && call.status < 300 && call.activity?.attachments?.length)
        .map((call) => cardOf(call.activity as Partial<Activity>));
    const personalId = (user: TeamsUser): string => new CardClient(rig, user, { kind: 'personal' }).conversationId;
    /** The compact channel notification about this request (it links the request's status), told apart by its emoji. */
    const notification = (requestId: string, pattern: RegExp): CardJson | undefined =>
      cardsIn(ops.channelId)
        .reverse()
        .find((card) => cardText(card).includes(words.t('cards.notification.status', { requestId })) && pattern.test(cardText(card)));

    // installs: the welcome card
    await rig.post(botAdded(rig.scene, riley, { kind: 'personal' }));
    keep('help-welcome', 'Welcome: the help card the bot sends when it is installed', lastCardIn(personalId(riley)));
    await install(rig, ada);
    await install(rig, ada, { kind: 'channel', channel: ops });
    const opsClient = new CardClient(rig, ada, { kind: 'channel', channel: ops });
    await opsClient.say('notify here');

    const chat = new CardClient(rig, riley, { kind: 'personal' });
    await chat.say('help');
    keep('help', 'help: what the bot does, the commands and buttons', chat.card);
    await chat.say('what can you do');
    keep('help-unknown', 'An unknown command: "I didn\'t catch that" and the help card', chat.card);
    await chat.say('policy contoso-uat');
    keep('policy', 'policy contoso-uat: the approval rule, its approvers and why, approvals needed, expiry, reminders, escalation', chat.card);

    // the setup conversation, step by step, with each validation state
    await chat.say('setup');
    keep('setup-1-environment', 'Step 1 of 4 · Service environment, empty', chat.card);
    keep('setup-1-environment-more-options', 'Step 1 with "More options" open (external applications, number sequences, Dataverse)', chat.card, [words.t('cards.environmentStep.moreOptions')]);
    await chat.click({ verb: 'setup.add', list: 'users' }, { 'environment.name': 'contoso-uat', 'environment.description': 'UAT for Contoso Europe', 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice-at-contoso' });
    await chat.click({ verb: 'setup.next' }, { 'environment.users[1].userId': 'ALICE', 'environment.users[1].email': 'alice2@contoso.com', 'environment.dataverseEndpointUri': 'http://contoso.crm4.dynamics.com/api/data/v9.1/' });
    keep('setup-1-environment-errors', 'Step 1 refused: each problem under its field, everything typed kept (More options opens by itself when a problem is inside)', chat.card);
    await chat.click({ verb: 'setup.add', list: 'externalApplications' }, {
      'environment.users[0].email': 'alice@contoso.com',
      'environment.users[1].userId': 'bo',
      'environment.users[1].email': 'bo@contoso.com',
      'environment.dataverseEndpointUri': 'https://contoso.crm4.dynamics.com/api/data/v9.1/',
    });
    await chat.click({ verb: 'setup.add', list: 'numberSequences' }, { 'environment.externalApplications[0].name': 'Archive connector', 'environment.externalApplications[0].objectId': '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' });
    keep('setup-1-environment-filled', 'Step 1 filled in: two users, an external application, a number sequence', chat.card);
    await chat.click({ verb: 'setup.next' }, { 'environment.numberSequences[0].name': 'EINV-SEQ', 'environment.numberSequences[0].description': 'Submission numbers' });
    keep('setup-2-key-vault', 'Step 2 of 4 · Key Vault, empty', chat.card);
    await chat.click({ verb: 'setup.next' }, { 'keyVault.name': 'contoso-kv', 'keyVault.keyVaultUri': 'https://contoso-.vault.azure.net/', 'keyVault.storageSasSecretName': 'storage sas token' });
    keep('setup-2-key-vault-errors', 'Step 2 refused: a vault name ending with a hyphen, an item name Key Vault would refuse', chat.card);
    await chat.click({ verb: 'setup.add', list: 'items' }, { 'keyVault.keyVaultUri': VAULT, 'keyVault.storageSasSecretName': 'storage-sas-token' });
    await chat.click({ verb: 'setup.add', list: 'items' }, { 'keyVault.items[0].name': 'contoso-root-ca', 'keyVault.items[0].type': 'Certificate' });
    await chat.click({ verb: 'setup.add', list: 'chains' }, { 'keyVault.items[1].name': 'contoso-signing', 'keyVault.items[1].type': 'Certificate', 'keyVault.items[1].description': 'Signs invoices' });
    await chat.click({ verb: 'setup.add', list: 'chainCertificates', index: 0 }, { 'keyVault.chains[0].name': 'signing-chain', 'keyVault.chains[0].certificates[0]': 'contoso-root-ca' });
    await chat.click({ verb: 'setup.next' }, { 'keyVault.chains[0].certificates[1]': 'contoso-signing' });
    await chat.click({ verb: 'setup.back' });
    keep('setup-2-key-vault-filled', 'Step 2 filled in: two certificate items and a chain, root first', chat.card);
    await chat.click({ verb: 'setup.next' });
    keep('setup-3-connected-apps', 'Step 3 of 4 · Connected applications (optional), empty', chat.card);
    await chat.click({ verb: 'setup.add', list: 'connectedApplications' });
    await chat.click({ verb: 'setup.next' }, {
      'connectedApplications[0].name': 'Contoso Finance UAT',
      'connectedApplications[0].type': 'Dynamics 365 Finance',
      'connectedApplications[0].applicationUrl': 'http://contoso-uat.sandbox.operations.dynamics.com',
      'connectedApplications[0].tenant': 'contoso tenant',
    });
    keep('setup-3-connected-apps-errors', 'Step 3 refused: a URL that is not https, a tenant that is neither a GUID nor a domain', chat.card);
    await chat.click({ verb: 'setup.next' }, { 'connectedApplications[0].applicationUrl': FINANCE_URL, 'connectedApplications[0].tenant': 'contoso.onmicrosoft.com' });
    keep('setup-4-review', 'Step 4 of 4 · Review, with Edit per section and the dry-run toggle', chat.card);

    // a second admin's draft: resume offer and discard confirmation
    const other = new CardClient(rig, user('Sam Patel'), { kind: 'personal' });
    await other.say('setup');
    await other.say('setup');
    keep('draft-resume-offer', 'Typing setup with a draft open: resume or start over', other.card);
    await other.say('cancel');
    keep('draft-confirm-discard', 'cancel with a draft open: asks before discarding', other.card);
    await other.click({ verb: 'setup.discard' });
    keep('draft-discarded', 'The draft discarded (notice card)', other.card);

    // submit: the request card for the requester, the approver and the channel
    await chat.click({ verb: 'setup.submit' });
    await rig.app.settled();
    const id = /SR-\d{4}/.exec(cardText(chat.card))?.[0] ?? '';
    keep('request-pending-requester', 'Submitted: the requester’s request card, with Cancel request', chat.card);
    const approver = approverClient(rig, ada, id);
    keep('request-pending-approver', 'The approval card in the approver’s chat: Approve, Reject, a comment', approver.card);
    const channelAtSubmit = cardsIn(ops.channelId);
    keep('request-pending-channel', 'The copy in the approval channel, as anyone but an approver sees it (approvers get their own view by refresh)', channelAtSubmit.find((card) => cardText(card).includes(id) && cardText(card).includes(words.t('cards.request.status.submitted'))));
    keep('notification-submitted', 'Channel notification: a request was submitted', notification(id, /📝/));

    const pendingApproverCard = structuredClone(approver.card);
    // approve: executing, then succeeded
    await approver.click({ verb: 'request.approve' }, { comment: 'Checked with the Finance team' });
    keep('request-approved', 'The approver’s card right after Approve', approver.card);
    await rig.app.settled();
    const requesterCopies = cardsIn(personalId(riley)).filter((card) => cardText(card).includes(id));
    const executing = requesterCopies.find((card) => cardText(card).includes('⏳') && !cardText(card).includes(words.t('cards.request.status.submitted')));
    keep('request-executing', 'Setting up: one line per step, ⏳ until done', executing);
    keep('request-succeeded', 'Done: every step ✅ and what to set in Finance next', requesterCopies[requesterCopies.length - 1]);
    const channelCards = cardsIn(ops.channelId);
    keep('notification-approved', 'Channel notification: approved', notification(id, /✅/));
    keep('notification-result', 'Channel: the result card, once at the end', channelCards[channelCards.length - 1]);

    // a click on a decided request is refused with a message (a Teams pop-up), not a card
    const late = approverClient(rig, ada, id);
    late.card = pendingApproverCard;
    await late.click({ verb: 'request.approve' });
    if (!late.lastMessage) throw new Error('a click on a decided request should be answered with a message');
    log(`(a click on a decided request answers with a message, not a card: "${late.lastMessage}")`);

    // a failing setup: expired SAS
    const failing = await submitQuick(rig, riley, 'contoso-prod', 'expired-sas-token');
    await approverClient(rig, ada, failing).click({ verb: 'request.approve' });
    await rig.app.settled();
    const failed = cardsIn(personalId(riley)).filter((card) => cardText(card).includes(failing));
    keep('request-failed', 'Failed: the Key Vault step ❌ with the reason, later steps skipped', failed[failed.length - 1]);

    // rejected, cancelled, expired
    const rejected = await submitQuick(rig, riley, 'contoso-test', 'storage-sas-token');
    await approverClient(rig, ada, rejected).click({ verb: 'request.reject' }, { comment: 'Use the shared vault instead' });
    await rig.app.settled();
    keep('request-rejected', 'Rejected, with who, when and the comment', lastCardIn(personalId(riley)));
    keep('notification-rejected', 'Channel notification: rejected', notification(rejected, /❌/));
    const cancelled = await submitQuick(rig, riley, 'contoso-dev', 'storage-sas-token');
    await chat.say(`cancel ${cancelled}`);
    await rig.app.settled();
    keep('request-cancelled', 'Cancelled by the requester', lastCardIn(personalId(riley), ['update']));
    const expiring = await submitQuick(rig, riley, 'contoso-sandbox', 'storage-sas-token');
    clock.advance(73 * 3600_000);
    await rig.app.expiry.check();
    await rig.app.settled();
    keep('request-expired', 'Expired: no decision within the approval window', lastCardIn(personalId(riley), ['update']));
    keep('notification-expired', 'Channel notification: expired', notification(expiring, /⌛/));

    // lists and the registry
    await chat.say('requests');
    keep('my-requests', 'requests: your requests and their state', chat.card);
    await chat.say('environments');
    keep('environments', 'environments: what setupbot has set up', chat.card);
    await chat.say('show contoso-uat');
    keep('environment-detail', 'show contoso-uat: users, Key Vault items with their last verification, linked apps', chat.card);
    await chat.say('verify contoso-uat');
    keep('freshness-verified', 'verify contoso-uat: every Key Vault item checked again, with what it found', chat.card);

    // day two: a change with its diff, approved; the history; a retirement confirmation
    await chat.say('change contoso-uat');
    keep('change-1-environment', 'change contoso-uat: the recorded setup loaded into the dialog (the name is kept)', chat.card);
    await chat.click({ verb: 'setup.add', list: 'users' });
    await chat.click({ verb: 'setup.next' }, { 'environment.users[2].userId': 'carol', 'environment.users[2].email': 'carol@contoso.com', 'environment.description': 'UAT for Contoso Europe and Nordics' });
    await chat.click({ verb: 'setup.next' });
    await chat.click({ verb: 'setup.next' });
    keep('change-4-review', 'The review of a change: what it adds, removes and modifies in the recorded version', chat.card);
    await chat.click({ verb: 'setup.submit' });
    await rig.app.settled();
    const changeId = /SR-\d{4}/.exec(cardText(chat.card))?.[0] ?? '';
    const changeApprover = approverClient(rig, ada, changeId);
    keep('change-pending-approver', 'The approval card of a change: the diff against the version it was built on', changeApprover.card);
    await changeApprover.click({ verb: 'request.approve' }, { comment: 'Carol joins the UAT team' });
    await rig.app.settled();
    const changeCopies = cardsIn(personalId(riley)).filter((card) => cardText(card).includes(changeId));
    keep('change-succeeded', 'A change done: the version check, the change, the verification, each with its outcome', changeCopies[changeCopies.length - 1]);
    await chat.say('history contoso-uat');
    keep('history', 'history contoso-uat: every request and decision on the environment, newest first, with the audit chain checked', chat.card);
    await chat.say('retire contoso-uat');
    keep('retire-confirm', 'retire contoso-uat: what retiring would do, before anything is asked of an approver', chat.card);
    await rig.stop();
    stopped = true;
    cards.push(...(await captureStaleCard(vault, log, user)));
    cards.push(...(await captureReminderCard(vault, log, user)));
    return cards;
  } finally {
    if (!stopped) await rig.stop();
    await vault.close();
  }
}

/**
 * "This card is out of date — here is the current one": with a quorum of two, the second
 * approver's card is stale once the first has approved. A bot of its own, configured so.
 */
async function captureStaleCard(vault: KeyVaultStandIn, log: (line: string) => void, user: (name: string) => TeamsUser): Promise<CapturedCard[]> {
  const ada = user('Ada Lovelace');
  const bo = user('Bo Chen');
  const rig = new TeamsRig({
    clock: new ManualClock(),
    env: { SETUPBOT_APPROVERS: `${ada.aadObjectId},${bo.aadObjectId}`, SETUPBOT_APPROVALS_REQUIRED: '2', SETUPBOT_DEFAULT_LOCALE: ada.locale ?? 'en-US' },
    keyVaultVerifier: standInVerifier(vault),
    connectionChecker: reachableFinance,
  });
  try {
    await rig.start();
    await install(rig, ada);
    await install(rig, bo);
    const id = await submitQuick(rig, user('Riley Park'), 'contoso-uat', 'storage-sas-token');
    const second = approverClient(rig, bo, id);
    await approverClient(rig, ada, id).click({ verb: 'request.approve' });
    await rig.app.settled();
    await second.click({ verb: 'request.approve' }, { comment: 'fine by me' });
    log('captured request-stale-refusal');
    return [{ name: 'request-stale-refusal', caption: 'A click on an out-of-date card (quorum of two, the other approver was first): the current card, with a note for the clicker only', card: structuredClone(second.card ?? {}) }];
  } finally {
    await rig.stop();
  }
}

/**
 * The reminder an approver who has not decided gets at a reminder point of the rule (here the
 * default rule with SETUPBOT_APPROVAL_REMINDERS=24h): a bot of its own, its clock moved to the point.
 */
async function captureReminderCard(vault: KeyVaultStandIn, log: (line: string) => void, user: (name: string) => TeamsUser): Promise<CapturedCard[]> {
  const ada = user('Ada Lovelace');
  const clock = new ManualClock(new Date());
  const rig = new TeamsRig({
    clock,
    env: { SETUPBOT_APPROVERS: ada.aadObjectId, SETUPBOT_APPROVAL_REMINDERS: '24h', SETUPBOT_DEFAULT_LOCALE: ada.locale ?? 'en-US' },
    keyVaultVerifier: standInVerifier(vault),
    connectionChecker: reachableFinance,
  });
  try {
    await rig.start();
    await install(rig, ada);
    const id = await submitQuick(rig, user('Riley Park'), 'contoso-uat', 'storage-sas-token');
    clock.advance(50 * 3600_000);
    const sent = await rig.app.reminders.check();
    await rig.app.settled();
    if (sent === 0) throw new Error(`no reminder for ${id}`);
    const chatId = new CardClient(rig, ada, { kind: 'personal' }).conversationId;
    const reminders = rig.connector.calls
      .filter((call) => call.operation === 'send' && call.conversationId === chatId && call.status < 300 && call.activity?.attachments?.length)
      .map((call) => cardOf(call.activity as Partial<Activity>))
      .filter((card) => JSON.stringify(card).includes(`status ${id}`));
    const reminder = reminders[reminders.length - 1];
    if (!reminder) throw new Error(`no reminder card for ${id}`);
    log('captured approval-reminder');
    return [{ name: 'approval-reminder', caption: 'A reminder to an approver who has not decided: what is asked, how long is left, a button that brings up the approval card', card: structuredClone(reminder) }];
  } finally {
    await rig.stop();
  }
}

/** Submits a minimal request for the user (environment, vault with this SAS secret, no apps). */
async function submitQuick(rig: TeamsRig, user: TeamsUser, environment: string, sasSecret: string): Promise<string> {
  const client = new CardClient(rig, user, { kind: 'personal' });
  await client.say('setup');
  await client.click({ verb: 'setup.next' }, { 'environment.name': environment, 'environment.users[0].userId': 'alice', 'environment.users[0].email': 'alice@contoso.com' });
  await client.click({ verb: 'setup.next' }, { 'keyVault.name': `${environment}-kv`, 'keyVault.keyVaultUri': VAULT, 'keyVault.storageSasSecretName': sasSecret });
  await client.click({ verb: 'setup.skip' });
  await client.click({ verb: 'setup.submit' });
  await rig.app.settled();
  const id = /SR-\d{4}/.exec(cardText(client.card))?.[0];
  if (!id) throw new Error(`no request id after submitting ${environment}`);
  return id;
}
