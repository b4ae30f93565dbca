/**
 * Generated activities for the property-based suite: message, Action.Submit, adaptiveCard/action
 * (known and unknown verbs, other names), conversationUpdate and installationUpdate, sent by
 * strangers, aimed at real records, then bent by up to three hostile field values.
 */
import fc from 'fast-check';
import { botAdded, botRemoved, cardExecute, cardSubmit, installationUpdate, personalMessage, teamChannel, teamsUser, type Scene, type TeamChannel, type TeamsUser, type Where } from '../harness/activities.js';
import { defineOwn, hostileValue, MISSING, protoObject, weirdString, type Hostile, type Json } from './hostile-values.js';

/** What the generators aim at: the bot's scene and the real records seeded before the run. */
export interface FuzzTargets {
  scene: Scene;
  bodyLimit: number;
  requestIds: string[];
  /** Data of real card buttons (request cards, a draft card of another user). */
  cardData: Record<string, unknown>[];
}

const SETUP_VERBS = [
  'setup.next', 'setup.back', 'setup.skip', 'setup.cancel', 'setup.add', 'setup.remove', 'setup.move', 'setup.edit', 'setup.submit',
  'setup.discard', 'setup.keep', 'setup.resume', 'setup.startOver', 'setup.loop',
];
const REQUEST_VERBS = ['request.approve', 'request.reject', 'request.cancel', 'request.refresh', 'request.retry', 'request.resubmit', 'request.rebuild'];
const OTHER_VERBS = ['environment.change', 'environment.retire', 'environment.keep', 'history.page'];
const UNKNOWN_VERBS = ['request.delete', 'setup.approve', 'admin.grant', '', ' request.approve', 'REQUEST.APPROVE', 'request.approve\u200b', '__proto__', 'constructor', 'toString'];
const INVOKE_NAMES = ['adaptiveCard/action', 'adaptiveCard/action', 'adaptiveCard/action', 'task/fetch', 'task/submit', 'composeExtension/query', 'signin/verifyState', 'config/fetch', 'healthCheck', 'unknown/name', '', 'ADAPTIVECARD/ACTION'];
const TEXTS = ['help', 'setup', 'status', 'cancel', 'history', 'my requests', 'notify on', 'notify off', 'registry', 'environments', 'change riley-prod', 'retire riley-prod', 'freshness', 'approve SR-0001', 'resume', 'start over'];

/** Strangers: none of them owns, requested or approves anything seeded. */
const STRANGERS: TeamsUser[] = [teamsUser('Mallory Stranger'), teamsUser('Eve Eavesdropper')];
const STRANGER_CHANNEL: TeamChannel = teamChannel('Strangers team');
export const STRANGER_IDS: ReadonlySet<string> = new Set(STRANGERS.map((user) => user.aadObjectId));

const requestIdArb = (targets: FuzzTargets): fc.Arbitrary<Hostile> =>
  fc.oneof(fc.constantFrom<Hostile>(...targets.requestIds), fc.constantFrom<Hostile>('SR-9999', 'SR-0000', 'SR-1', 'SR-00001', 'sr-0001', 'SR-0001 ', MISSING, null, 7), weirdString);
const versionArb: fc.Arbitrary<Hostile> = fc.oneof(
  fc.constantFrom<Hostile>(1, 2, 3, 4, 0, -1, -(2 ** 31), 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e308, '1', '2', null, MISSING, true),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const verbArb: fc.Arbitrary<string> = fc.constantFrom(...SETUP_VERBS, ...REQUEST_VERBS, ...OTHER_VERBS, ...UNKNOWN_VERBS);

/** Half the time a forged field keeps the real card's value, so forged clicks also hit live records at their live version. */
const KEEP_REAL = { nil: undefined, freq: 2 } as const;

/** Card data: a real button's data, with the ids, revisions, verb and inputs forged. */
const cardDataArb = (targets: FuzzTargets): fc.Arbitrary<{ verb: string; data: Record<string, Json> }> =>
  fc
    .record({
      base: fc.constantFrom(...targets.cardData),
      verb: fc.option(verbArb, KEEP_REAL),
      requestId: fc.option(requestIdArb(targets), KEEP_REAL),
      v: fc.option(versionArb, KEEP_REAL),
      rev: fc.option(versionArb, KEEP_REAL),
      draft: fc.option(fc.oneof(fc.constantFrom<Hostile>('0b7d3d6e-3c1f-4a55-9c3e-5f0f7a1d2e11', MISSING, null, '', '*'), weirdString), KEEP_REAL),
      comment: fc.option(fc.oneof(weirdString, fc.constant('Looks fine')), { nil: undefined }),
      extra: fc.option(fc.tuple(fc.constantFrom('environment.name', 'keyVault.keyVaultUri', 'list', 'index', 'member', 'section', 'card', 'dryRun'), fc.oneof(weirdString, fc.integer(), fc.constant<Json>(null))), { nil: undefined }),
    })
    .map(({ base, verb, requestId, v, rev, draft, comment, extra }) => {
      const data: Record<string, Json> = {};
      for (const [key, value] of Object.entries(base)) if (key !== 'verb') defineOwn(data, key, value as Json);
      const put = (key: string, value: Hostile | undefined): void => {
        if (value === undefined) return;
        if (value === MISSING) delete data[key];
        else defineOwn(data, key, value);
      };
      put('requestId', requestId);
      put('v', v);
      put('rev', rev);
      put('draft', draft);
      put('comment', comment);
      if (extra) put(extra[0], extra[1]);
      const chosen = verb ?? (typeof base.verb === 'string' ? base.verb : 'request.approve');
      put('verb', chosen);
      return { verb: chosen, data };
    });

/** Field paths the hostile values go into (the last key may be a prototype key). */
const PATHS: readonly (readonly string[])[] = [
  ['type'], ['id'], ['text'], ['name'], ['action'], ['locale'], ['replyToId'], ['timestamp'], ['channelId'], ['serviceUrl'], ['textFormat'],
  ['from'], ['from', 'id'], ['from', 'aadObjectId'], ['from', 'name'], ['recipient'], ['recipient', 'id'],
  ['conversation'], ['conversation', 'id'], ['conversation', 'conversationType'], ['conversation', 'tenantId'], ['conversation', 'isGroup'],
  ['channelData'], ['channelData', 'tenant'], ['channelData', 'tenant', 'id'], ['channelData', 'team'], ['channelData', 'team', 'id'], ['channelData', 'team', 'name'],
  ['channelData', 'channel'], ['channelData', 'eventType'], ['channelData', 'settings'], ['channelData', '__proto__'], ['channelData', 'constructor'], ['channelData', 'prototype'],
  ['channelData', 'tenant', '__proto__'], ['channelData', 'team', 'constructor'],
  ['value'], ['value', 'action'], ['value', 'action', 'type'], ['value', 'action', 'verb'], ['value', 'action', 'data'], ['value', 'trigger'],
  ['value', '__proto__'], ['value', 'constructor'], ['value', 'prototype'], ['value', 'action', '__proto__'], ['value', 'action', 'constructor'],
  ['value', 'action', 'data', '__proto__'], ['value', 'action', 'data', 'constructor'], ['value', 'action', 'data', 'prototype'],
  ['value', 'action', 'data', 'requestId'], ['value', 'action', 'data', 'v'], ['value', 'action', 'data', 'draft'], ['value', 'action', 'data', 'rev'],
  ['value', 'action', 'data', 'comment'], ['value', 'action', 'data', 'list'], ['value', 'action', 'data', 'index'], ['value', 'requestId'], ['value', 'verb'],
  ['membersAdded'], ['membersRemoved'], ['entities'], ['attachments'], ['membersAdded', '0'], ['membersRemoved', '0', 'id'], ['entities', '0', 'mentioned'],
];

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `path` to `value` with own properties only (never through an inherited `__proto__`). */
export function setPath(target: Record<string, Json>, path: readonly string[], value: Hostile): void {
  let current: Record<string, Json> | Json[] = target;
  for (const [depth, key] of path.entries()) {
    const last = depth === path.length - 1;
    if (Array.isArray(current)) {
      const index = Number(key);
      if (last) {
        if (value === MISSING) current.splice(index, 1);
        else current[index] = value;
        return;
      }
      const next: Json | undefined = current[index];
      if (!isRecord(next) && !Array.isArray(next)) current[index] = {};
      current = current[index] as Record<string, Json> | Json[];
      continue;
    }
    if (last) {
      if (value === MISSING) delete current[key];
      else defineOwn(current, key, value);
      return;
    }
    const next: Json | undefined = Object.hasOwn(current, key) ? current[key] : undefined;
    if (!isRecord(next) && !Array.isArray(next)) defineOwn(current, key, {});
    current = current[key] as Record<string, Json> | Json[];
  }
}

/** One generated activity, as a JSON-ready object. */
export interface FuzzActivity {
  kind: string;
  body: Record<string, Json>;
}

const asJson = (activity: object): Record<string, Json> => JSON.parse(JSON.stringify(activity)) as Record<string, Json>;

export function hostileActivity(targets: FuzzTargets): fc.Arbitrary<FuzzActivity> {
  const { scene } = targets;
  const sender = fc.oneof(fc.constantFrom(...STRANGERS), fc.uuid({ version: 4 }).map((id) => teamsUser('Fresh Stranger', id)));
  const where: fc.Arbitrary<Where> = fc.constantFrom<Where>({ kind: 'personal' }, { kind: 'channel', channel: STRANGER_CHANNEL });
  const base = fc.oneof(
    fc.record({ user: sender, text: fc.oneof(fc.constantFrom(...TEXTS), weirdString) }).map(({ user, text }) => ({ kind: 'message', body: asJson(personalMessage(scene, user, text)) })),
    fc.record({ user: sender, where, card: cardDataArb(targets) }).map(({ user, where: place, card }) => {
      const body = asJson(cardExecute(scene, user, place, card.verb, {}));
      setPath(body, ['value', 'action', 'data'], card.data);
      return { kind: 'invoke', body };
    }),
    fc.record({ user: sender, where, card: cardDataArb(targets) }).map(({ user, where: place, card }) => {
      const body = asJson(cardSubmit(scene, user, place, {}));
      setPath(body, ['value'], card.data);
      return { kind: 'submit', body };
    }),
    fc.record({ user: sender, where, name: fc.constantFrom(...INVOKE_NAMES), value: fc.oneof(protoObject, fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>) }).map(({ user, where: place, name, value }) => {
      const body = asJson(cardExecute(scene, user, place, 'request.approve', {}));
      setPath(body, ['name'], name);
      setPath(body, ['value'], value);
      return { kind: 'invoke-other', body };
    }),
    fc.record({ user: sender, where, added: fc.boolean(), eventType: fc.constantFrom<Hostile>(MISSING, 'teamRenamed', 'teamDeleted', 'teamRestored', 'channelDeleted', 'channelCreated', 'teamArchived', 'teamMemberAdded', 'teamMemberRemoved', 'weird') }).map(({ user, where: place, added, eventType }) => {
      const body = asJson((added ? botAdded : botRemoved)(scene, user, place));
      setPath(body, ['channelData', 'eventType'], eventType);
      return { kind: 'conversationUpdate', body };
    }),
    fc.record({ user: sender, where, action: fc.constantFrom<Hostile>('add', 'remove', 'add-upgrade', 'remove-upgrade', MISSING, 7, '') }).map(({ user, where: place, action }) => {
      const body = asJson(installationUpdate(scene, user, place, 'add'));
      setPath(body, ['action'], action);
      return { kind: 'installationUpdate', body };
    }),
  );
  const mutation = fc.tuple(fc.constantFrom(...PATHS), hostileValue(targets.bodyLimit));
  return fc.tuple(base, fc.array(mutation, { maxLength: 3 })).map(([activity, mutations]) => {
    for (const [path, value] of mutations) setPath(activity.body, path, value);
    return activity;
  });
}

/** A whole run: one to three activities posted at the same time. */
export const hostileBatch = (targets: FuzzTargets): fc.Arbitrary<FuzzActivity[]> => fc.array(hostileActivity(targets), { minLength: 1, maxLength: 3 });
