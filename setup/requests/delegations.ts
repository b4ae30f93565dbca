/**
 * The delegations of approvers who are away: one record per approver (their latest `away`),
 * found by the approver's id or, through an index, by the delegate's. `back` removes it; one
 * whose `until` has passed simply no longer counts (see isActive).
 */
import { removeExisting, upsert } from '../coordination/compare-and-set.js';
import type { Clock, CollectionSpec, Repository } from '../ports.js';
import { isActive } from '../policy/delegation.js';
import type { Delegation } from '../policy/policy-model.js';

export type DelegationIndex = 'delegate';

export const DELEGATIONS: CollectionSpec<Delegation, DelegationIndex> = {
  name: 'delegations',
  indexes: { delegate: (delegation) => [delegation.delegateId] },
};

export class DelegationStore {
  constructor(
    private readonly repository: Repository<Delegation, DelegationIndex>,
    private readonly clock: Clock,
  ) {}

  /** The time the store judges delegations by. */
  now(): Date {
    return this.clock.now();
  }

  /** Records (or replaces) the approver's delegation. */
  async set(delegation: Omit<Delegation, 'createdAt'>): Promise<Delegation> {
    const value: Delegation = { ...delegation, createdAt: this.clock.now().toISOString() };
    return (await upsert(this.repository, delegation.approverId, () => value, () => value)).value;
  }

  /** Ends the approver's delegation; the one that ended, if any was running. */
  async end(approverId: string): Promise<Delegation | undefined> {
    const current = await this.repository.get(approverId);
    if (!current) return undefined;
    await removeExisting(this.repository, approverId);
    return isActive(current.value, this.clock.now()) ? current.value : undefined;
  }

  /** The approver's running delegation, if any. */
  async of(approverId: string): Promise<Delegation | undefined> {
    const record = await this.repository.get(approverId);
    return record && isActive(record.value, this.clock.now()) ? record.value : undefined;
  }

  /** The running delegations of these approvers (keyed reads, one per approver). */
  async ofApprovers(approverIds: readonly string[]): Promise<Delegation[]> {
    const found = await Promise.all([...new Set(approverIds)].map((id) => this.of(id)));
    return found.filter((delegation): delegation is Delegation => delegation !== undefined);
  }

  /** The running delegations made to this person. */
  async to(delegateId: string): Promise<Delegation[]> {
    const now = this.clock.now();
    return (await this.repository.find('delegate', delegateId)).map((record) => record.value).filter((delegation) => isActive(delegation, now));
  }
}
