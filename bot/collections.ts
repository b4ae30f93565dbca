import { AUDIT_ENTRIES, AUDIT_HEAD, AUDIT_KEYS } from '../setup/audit/audit.js';
import { COUNTERS } from '../setup/coordination/counter.js';
import { DRAFTS } from '../setup/requests/drafts.js';
import { FRESHNESS_NOTICES } from '../setup/registry/freshness.js';
import { LEASES } from '../setup/coordination/leases.js';
import { REGISTRY_COLLECTIONS } from '../setup/registry/registry.js';
import { REQUESTS } from '../setup/model/request.js';
import { DELEGATIONS } from '../setup/requests/delegations.js';
import type { AnyCollectionSpec } from '../setup/ports.js';
import { INSTALLATIONS } from './installations.js';
import { NOTIFY_SUBSCRIPTIONS } from './notifications/subscriptions.js';
import { OUTBOX, OUTBOX_WINDOWS } from '../outbox/outbox.js';

/** Every collection the bot stores, with the indexes its keyed queries use. */
export const COLLECTIONS: readonly AnyCollectionSpec[] = [
  REQUESTS,
  AUDIT_ENTRIES,
  AUDIT_HEAD,
  AUDIT_KEYS,
  DRAFTS,
  COUNTERS,
  LEASES,
  FRESHNESS_NOTICES,
  REGISTRY_COLLECTIONS.keyVaultReferences,
  REGISTRY_COLLECTIONS.environments,
  REGISTRY_COLLECTIONS.connectedApplications,
  INSTALLATIONS,
  NOTIFY_SUBSCRIPTIONS,
  OUTBOX,
  OUTBOX_WINDOWS,
  DELEGATIONS,
] as readonly AnyCollectionSpec[];
