/**
 * Minimal reproducers fast-check shrank from failing fuzz runs: each row is a batch of activity
 * bodies (posted at once, with a valid channel token) that once broke the promise, replayed by
 * activity-fuzz.test.ts before the generated runs. Add a row for every new finding.
 */
import { botAdded, cardExecute, cardSubmit, personalMessage, teamsUser, type Scene } from '../harness/activities.js';
import type { Json } from './hostile-values.js';

export interface FuzzRegression {
  name: string;
  /** The defect it found and the commit that fixed it. */
  found: string;
  bodies: (scene: Scene, ids: { pending: string; rejected: string }) => Record<string, Json>[];
}

const stranger = teamsUser('Regression Stranger', '0c0c0c0c-1111-4222-8333-444444444444');
const plain = (activity: object): Record<string, Json> => JSON.parse(JSON.stringify(activity)) as Record<string, Json>;

export const FUZZ_REGRESSIONS: FuzzRegression[] = [
  {
    name: 'an invoke the bot does not handle (composeExtension/query)',
    found: 'answered 501 with no body (botbuilder default for unhandled invokes); now 400 UnsupportedInvoke',
    bodies: (scene) => [{ ...plain(cardExecute(scene, stranger, { kind: 'personal' }, 'request.approve', {})), name: 'composeExtension/query', value: {} }],
  },
  {
    name: 'an unhandled invoke whose channelData.tenant.id is a number',
    found: 'tenantOf called toLowerCase() on the number: the turn threw, and an unhandled invoke got no answer (501); ids are now read as strings only',
    bodies: (scene) => [{ ...plain(cardExecute(scene, stranger, { kind: 'personal' }, 'request.approve', {})), name: 'task/fetch', channelData: { tenant: { id: -107899921 } }, value: {} }],
  },
  {
    name: 'setup typed by a sender whose aadObjectId and name are numbers',
    found: 'requesterOf / the form dialogs / installations called toLowerCase() on from.aadObjectId (turn_failed); a number name would have been stored',
    bodies: (scene) => [{ ...plain(personalMessage(scene, stranger, 'setup')), from: { id: stranger.id, aadObjectId: 12345, name: 67 } }],
  },
  {
    name: 'install in a conversation whose tenantId is a number',
    found: 'the tenant guard threw on conversation.tenantId.toLowerCase() when channelData had no tenant',
    bodies: (scene) => [{ ...plain(botAdded(scene, stranger, { kind: 'personal' })), channelData: {}, conversation: { id: 'a:1regression-conversation', conversationType: 'personal', tenantId: 4 } }],
  },
  {
    name: 'a sender whose aadObjectId is a number, typing help (the reply copies it back)',
    found: "botbuilder's serializer refused the reply ('activity.recipient.aadObjectId must be of type string'): turn_failed; now 400 at the shape check",
    bodies: (scene) => [{ ...plain(personalMessage(scene, stranger, 'help')), from: { id: stranger.id, name: 'x', aadObjectId: -2058723180 } }],
  },
  {
    name: 'a message whose entities is a string',
    found: "botbuilder's getMentions walked the string's characters and threw (reading 'toLowerCase'): turn_failed; now 400 at the shape check",
    bodies: (scene) => [{ ...plain(personalMessage(scene, stranger, '')), entities: 'approve' }],
  },
  {
    name: 'a mention entity without mentioned',
    found: 'removeRecipientMention read mentioned.id of undefined: turn_failed; now 400 at the shape check',
    bodies: (scene) => [{ ...plain(personalMessage(scene, stranger, 'help')), entities: [{ type: 'mention', text: '<at>x</at>' }] }],
  },
  {
    name: 'an install in a conversation whose id holds control and non-ASCII characters',
    found: "the greeting's send put the id in the x-ms-conversation-id header: ERR_INVALID_CHAR, turn_failed; now 400 at the shape check",
    bodies: (scene) => [{ ...plain(botAdded(scene, stranger, { kind: 'personal' })), conversation: { id: 'retire\u202dnotify\u001b', conversationType: 'personal', tenantId: scene.tenantId } }],
  },
  {
    name: 'a card click whose activity id holds a lone surrogate',
    found: "the reply's URL path encodes the activity id: encodeURIComponent threw URIError (URI malformed), turn_failed; now 400 at the shape check",
    bodies: (scene) => [{ ...plain(cardSubmit(scene, stranger, { kind: 'personal' }, { verb: 'request.refresh', requestId: 'SR-0001', v: 1 })), id: 'cancel\ud83d\b' }],
  },
  {
    name: 'a teamDeleted event without channelData.team',
    found: "the teamDeleted handler read teamInfo.id of undefined (botbuilder passes channelData.team as it is): turn_failed; now 400 at the shape check",
    bodies: (scene) => [{ ...plain(botAdded(scene, stranger, { kind: 'personal' })), membersAdded: [], channelData: { tenant: { id: scene.tenantId }, eventType: 'teamDeleted' } }],
  },
  {
    name: 'a channelDeleted event without channelData.channel',
    found: 'the channelDeleted handler read channelInfo.id of undefined: turn_failed; now 400 at the shape check',
    bodies: (scene) => [{ ...plain(botAdded(scene, stranger, { kind: 'personal' })), membersAdded: [], channelData: { tenant: { id: scene.tenantId }, eventType: 'channelDeleted', team: { id: '19:team@thread.tacv2' } } }],
  },
];
