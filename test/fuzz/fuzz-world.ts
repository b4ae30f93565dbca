import { LEASES, type Lease } from '../../setup/coordination/leases.js';
import { readStoreContents, type StoreContents } from '../../storage/journal/offline-reader.js';
import { teamsUser, type TeamsUser } from '../harness/activities.js';
import { CardClient } from '../harness/card-client.js';
import { approverClient, install, submitRequest } from '../harness/scenarios.js';
import { TeamsRig } from '../harness/test-bot.js';

/** Everything one stored record is: its version and value. */
export type StoreSnapshot = StoreContents['collections'];

/** One record the fuzz run added, changed or removed. */
export interface StoreChange {
  collection: string;
  id: string;
  kind: 'added' | 'changed' | 'removed';
  value: unknown;
}

/**
 * A lease its holder renewed: the same owner since the same moment, a later expiry. The bot renews
 * its held leases (the outbox's) on real timers, so one may land between any two snapshots; it is
 * bookkeeping of who does the work, not data an input could change.
 */
function isRenewal(collection: string, old: unknown, now: unknown): boolean {
  if (collection !== LEASES.name) return false;
  const [before, after] = [old, now].map((record) => (record as { value?: Partial<Lease> }).value);
  return before?.owner !== undefined && before.owner === after?.owner && before.acquiredAt === after?.acquiredAt && (after?.expiresAt ?? 0) >= (before.expiresAt ?? 0);
}

/** Every difference between two snapshots, record by record; a lease renewal is none. */
export function storeChanges(before: StoreSnapshot, after: StoreSnapshot): StoreChange[] {
  const changes: StoreChange[] = [];
  for (const collection of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[collection] ?? {};
    const now = after[collection] ?? {};
    for (const id of new Set([...Object.keys(old), ...Object.keys(now)])) {
      if (!(id in old)) changes.push({ collection, id, kind: 'added', value: now[id].value });
      else if (!(id in now)) changes.push({ collection, id, kind: 'removed', value: old[id].value });
      else if (JSON.stringify(old[id]) !== JSON.stringify(now[id]) && !isRenewal(collection, old[id], now[id])) changes.push({ collection, id, kind: 'changed', value: now[id].value });
    }
  }
  return changes;
}

/**
 * A bot in authenticated mode with real records made through the real dialogs, for hostile input
 * to aim at:
 * - Riley's request `riley-prod` waits for Ada's approval (Ada approves; her approval card is in her chat),
 * - Quinn's request `quinn-uat` was rejected by Ada,
 * - Quinn has a setup draft in progress (past the environment step).
 * Nobody else may change any of it.
 */
export class FuzzWorld {
  readonly riley = teamsUser('Riley Requester');
  readonly quinn = teamsUser('Quinn Requester');
  readonly ada = teamsUser('Ada Approver');
  readonly rig: TeamsRig;
  ids = { pending: '', rejected: '' };
  /** The request version Ada's approval card of the pending request carries. */
  pendingVersion = 0;
  /** Card data of real cards (request cards, Quinn's draft card), for forged clicks to reuse. */
  realCardData: Record<string, unknown>[] = [];
  quinnDraft!: CardClient;

  /** `rileyApproves`: Riley is an approver too (to try approving his own request). */
  constructor(env: Record<string, string> = {}, options: { rileyApproves?: boolean } = {}) {
    const approvers = options.rileyApproves ? [this.ada, this.riley] : [this.ada];
    this.rig = new TeamsRig({ env: { SETUPBOT_APPROVERS: approvers.map((user) => user.aadObjectId).join(','), ...env } });
  }

  get seededUsers(): TeamsUser[] {
    return [this.riley, this.quinn, this.ada];
  }

  async start(): Promise<this> {
    await this.rig.start();
    await install(this.rig, this.ada);
    await install(this.rig, this.riley);
    await install(this.rig, this.quinn);
    this.ids.pending = (await submitRequest(this.rig, this.riley, 'riley-prod')).id;
    this.ids.rejected = (await submitRequest(this.rig, this.quinn, 'quinn-uat')).id;
    const ada = approverClient(this.rig, this.ada, this.ids.rejected);
    await ada.click({ verb: 'request.reject' }, { comment: 'Wrong vault' });
    await this.rig.app.settled();
    const pendingCard = this.cardDataOf(approverClient(this.rig, this.ada, this.ids.pending).card);
    this.pendingVersion = Number(pendingCard.find((data) => typeof data.v === 'number')?.v);
    this.realCardData.push(...pendingCard);
    this.quinnDraft = new CardClient(this.rig, this.quinn, { kind: 'personal' });
    await this.quinnDraft.say('setup');
    await this.quinnDraft.click({ verb: 'setup.next' }, { 'environment.name': 'quinn-prod', 'environment.users[0].userId': 'quinn', 'environment.users[0].email': 'quinn@contoso.com' });
    this.realCardData.push(...this.cardDataOf(this.quinnDraft.card));
    await this.rig.app.settled();
    return this;
  }

  /** The data of every button on a card. */
  private cardDataOf(card: unknown): Record<string, unknown>[] {
    const found: Record<string, unknown>[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (record.type === 'Action.Execute' && typeof record.data === 'object' && record.data !== null) found.push({ ...(record.data as Record<string, unknown>), verb: record.verb });
      Object.values(record).forEach(walk);
    };
    walk(card);
    return found;
  }

  async snapshot(): Promise<StoreSnapshot> {
    await this.rig.app.settled();
    return (await readStoreContents(this.rig.dataFile)).collections;
  }

  stop(): Promise<void> {
    return this.rig.stop();
  }
}
