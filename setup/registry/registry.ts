/**
 * setupbot as system of record: the Key Vault references, service environments and connected
 * applications it has set up. Every write is idempotent per request (re-running a step after a
 * crash or a Retry finds its own record and changes nothing) and refuses to overwrite another
 * request's — except the records of the requests it replaces (Edit and resubmit), which it takes
 * over with its own content.
 */
import { domainMessage, type DomainMessage } from '../model/messages.js';
import { updateExisting, upsert } from '../coordination/compare-and-set.js';
import { SetupBotError } from '../errors.js';
import type { ConnectedApplication, KeyVaultReference, ServiceEnvironment, SetupContent } from '../model/content.js';
import type { Clock, CollectionSpec, Repository } from '../ports.js';
import { nameKey } from '../model/names.js';
import type { ConnectionCheck, KeyVaultVerification } from '../model/verification.js';
import { mergeVerification } from './verification-merge.js';

export type EnvironmentStatus = 'Not published' | 'Published' | 'Changed' | 'Retired';

const STATUS_CODES = {
  'Not published': 'environmentStatus.NotPublished',
  Published: 'environmentStatus.Published',
  Changed: 'environmentStatus.Changed',
  Retired: 'environmentStatus.Retired',
} as const;

/** The status as a finding says it: a message, so the reader gets the word Finance shows in their language. */
export function environmentStatusMessage(status: EnvironmentStatus): DomainMessage {
  return domainMessage(STATUS_CODES[status]);
}

export interface RecordedKeyVaultReference {
  reference: KeyVaultReference;
  /** Latest verification: names, outcomes, dates — never values. */
  verification: KeyVaultVerification;
  recordedBy: string;
  recordedAt: string;
}

/** One applied change or retirement: which request made which version. */
export interface EnvironmentRevision {
  revision: number;
  requestId: string;
  kind: 'change' | 'retire' | 'resubmit';
  at: string;
}

export interface RecordedEnvironment {
  environment: ServiceEnvironment;
  keyVaultReference: string;
  storageSasSecretName: string;
  status: EnvironmentStatus;
  connectedApplications: string[];
  /** The request that created it. */
  recordedBy: string;
  recordedAt: string;
  publishedAt?: string;
  /**
   * The version of its content: 1 when recorded, +1 per applied change or retirement (absent on
   * records older than change requests = 1). Not the store's record version, which publishing
   * and linking bump too. A change is built on one version and applies only to that version.
   */
  revision?: number;
  /** Every version after the first, oldest first: a re-run of a step finds its own entry here. */
  changes?: EnvironmentRevision[];
  lastChangedBy?: string;
  lastChangedAt?: string;
  retiredAt?: string;
}

/** The version of a recorded environment's content (1 for records older than change requests). */
export function revisionOf(environment: Pick<RecordedEnvironment, 'revision'>): number {
  return environment.revision ?? 1;
}

/** The requests that made the versions after `revision`, oldest first. */
export function changedSince(environment: RecordedEnvironment, revision: number): string[] {
  return (environment.changes ?? []).filter((entry) => entry.revision > revision).map((entry) => entry.requestId);
}

/** A change or retirement built on a version the environment is no longer at. */
export class EnvironmentVersionConflict extends SetupBotError {
  constructor(readonly current: RecordedEnvironment, baseRevision: number) {
    super('stale', `service environment ${current.environment.name} is at version ${revisionOf(current)}, not ${baseRevision}`, {
      said: domainMessage('registry.versionMoved', { environment: current.environment.name, version: revisionOf(current), base: baseRevision }),
    });
  }
}

export interface RecordedConnectedApplication {
  application: ConnectedApplication;
  environments: string[];
  lastCheck: ConnectionCheck;
  recordedBy: string;
  recordedAt: string;
}

export interface RegistryRepositories {
  keyVaultReferences: Repository<RecordedKeyVaultReference>;
  environments: Repository<RecordedEnvironment>;
  connectedApplications: Repository<RecordedConnectedApplication>;
}

export const registryKey = nameKey;

/** The registry's collections (a few records per environment: listed whole). */
export const REGISTRY_COLLECTIONS: {
  keyVaultReferences: CollectionSpec<RecordedKeyVaultReference>;
  environments: CollectionSpec<RecordedEnvironment>;
  connectedApplications: CollectionSpec<RecordedConnectedApplication>;
} = {
  keyVaultReferences: { name: 'keyVaultReferences' },
  environments: { name: 'environments' },
  connectedApplications: { name: 'connectedApplications' },
};

class TakenError extends SetupBotError {
  constructor(what: 'Key Vault reference' | 'Service environment', name: string, owner: string) {
    super('conflict', `${what} ${name} is already recorded by ${owner}`, {
      said: domainMessage('registry.taken', { what: what === 'Key Vault reference' ? 'keyVaultReference' : 'environment', name, owner }),
    });
  }
}


function emptyVerification(reference: KeyVaultReference, checkedAt: string): KeyVaultVerification {
  return { vaultUri: reference.keyVaultUri, outcome: 'ok', messages: [], items: [], chains: [], checkedAt };
}

export class Registry {
  constructor(
    private readonly repos: RegistryRepositories,
    private readonly clock: Clock,
  ) {}


  /** `replaces`: the requests this one replaces (Edit and resubmit), whose records it may take over. */
  async recordKeyVaultReference(requestId: string, reference: KeyVaultReference, verification: KeyVaultVerification, replaces: readonly string[] = []): Promise<void> {
    const now = this.clock.now().toISOString();
    await upsert(
      this.repos.keyVaultReferences,
      registryKey(reference.name),
      () => ({ reference, verification, recordedBy: requestId, recordedAt: now }),
      (current) => {
        if (replaces.includes(current.recordedBy)) return { reference, verification, recordedBy: requestId, recordedAt: now };
        if (current.recordedBy !== requestId) throw new TakenError('Key Vault reference', reference.name, current.recordedBy);
        return { ...current, verification };
      },
    );
  }

  /**
   * Records the environment as Not published (a re-run by the same request changes nothing). A
   * request that replaces the recorder takes it over with its own content; a published
   * environment is then Changed until it is published again.
   */
  async recordEnvironment(requestId: string, environment: ServiceEnvironment, reference: KeyVaultReference, replaces: readonly string[] = []): Promise<RecordedEnvironment> {
    const now = this.clock.now().toISOString();
    const record = await upsert(
      this.repos.environments,
      registryKey(environment.name),
      () => ({
        environment,
        keyVaultReference: reference.name,
        storageSasSecretName: reference.storageSasSecretName,
        status: 'Not published' as EnvironmentStatus,
        connectedApplications: [],
        recordedBy: requestId,
        recordedAt: now,
        revision: 1,
      }),
      (current): RecordedEnvironment | undefined => {
        if (replaces.includes(current.recordedBy)) {
          // new content: a new version (a change built on the old content conflicts with it)
          const revision = revisionOf(current) + 1;
          return {
            ...current,
            environment,
            keyVaultReference: reference.name,
            storageSasSecretName: reference.storageSasSecretName,
            status: current.status === 'Not published' ? 'Not published' : 'Changed',
            recordedBy: requestId,
            recordedAt: now,
            revision,
            changes: [...(current.changes ?? []), { revision, requestId, kind: 'resubmit', at: now }],
          };
        }
        if (current.recordedBy !== requestId) throw new TakenError('Service environment', environment.name, current.recordedBy);
        return undefined;
      },
    );
    return record.value;
  }

  /** Not published / Changed → Published; publishing a published environment changes nothing. */
  async publishEnvironment(name: string): Promise<RecordedEnvironment> {
    const now = this.clock.now().toISOString();
    const record = await upsert(
      this.repos.environments,
      registryKey(name),
      () => {
        throw new SetupBotError('not_found', `service environment ${name} is not recorded`, { said: domainMessage('registry.notRecorded', { environment: name }) });
      },
      (current): RecordedEnvironment | undefined => {
        if (current.status === 'Retired') throw new SetupBotError('conflict', `service environment ${name} is retired`, { said: domainMessage('registry.retired', { environment: name }) });
        return current.status === 'Published' ? undefined : { ...current, status: 'Published', publishedAt: now };
      },
    );
    return record.value;
  }

  /** Records the application and links it with the environment, both ways. */
  async recordConnectedApplication(requestId: string, application: ConnectedApplication, environmentName: string, check: ConnectionCheck, replaces: readonly string[] = []): Promise<void> {
    const now = this.clock.now().toISOString();
    await upsert(
      this.repos.connectedApplications,
      registryKey(application.name),
      () => ({ application, environments: [environmentName], lastCheck: check, recordedBy: requestId, recordedAt: now }),
      (current) => {
        const environments = current.environments.includes(environmentName) ? current.environments : [...current.environments, environmentName];
        if (replaces.includes(current.recordedBy)) return { ...current, application, environments, lastCheck: check, recordedBy: requestId, recordedAt: now };
        return { ...current, application: current.recordedBy === requestId ? application : current.application, environments, lastCheck: check };
      },
    );
    await upsert(
      this.repos.environments,
      registryKey(environmentName),
      () => {
        throw new SetupBotError('not_found', `service environment ${environmentName} is not recorded`, { said: domainMessage('registry.notRecorded', { environment: environmentName }) });
      },
      (current) =>
        current.connectedApplications.includes(application.name)
          ? undefined
          : { ...current, connectedApplications: [...current.connectedApplications, application.name] },
    );
  }

  /**
   * The recorded setup of an environment, as a change starts from it: the environment, its Key
   * Vault reference and its linked applications. Undefined when not recorded.
   */
  async recordedContent(name: string): Promise<{ record: RecordedEnvironment; content: SetupContent } | undefined> {
    const record = await this.environment(name);
    if (!record) return undefined;
    const reference = await this.keyVaultReference(record.keyVaultReference);
    const applications: ConnectedApplication[] = [];
    for (const appName of record.connectedApplications) {
      const app = await this.connectedApplication(appName);
      if (app) applications.push(app.application);
    }
    const keyVault: KeyVaultReference = reference?.reference ?? {
      name: record.keyVaultReference,
      description: '',
      keyVaultUri: '',
      storageSasSecretName: record.storageSasSecretName,
      items: [],
      chains: [],
    };
    return { record, content: structuredClone({ environment: record.environment, keyVault, connectedApplications: applications }) };
  }

  /**
   * Applies a change's content to the environment built on `baseRevision`: the new content, the
   * next version, and — unless `keepStatus` (number sequences only) — a published environment
   * becomes Changed until it is published again. A re-run by the same request finds its own
   * version and changes nothing; a later version raises EnvironmentVersionConflict.
   */
  async applyEnvironmentChange(requestId: string, baseRevision: number, content: SetupContent, options: { keepStatus: boolean }): Promise<RecordedEnvironment> {
    const now = this.clock.now().toISOString();
    const record = await this.updateVersioned(content.environment.name, requestId, baseRevision, (current) => {
      const revision = revisionOf(current) + 1;
      return {
        ...current,
        environment: content.environment,
        storageSasSecretName: content.keyVault.storageSasSecretName,
        status: options.keepStatus || current.status !== 'Published' ? current.status : 'Changed',
        revision,
        changes: [...(current.changes ?? []), { revision, requestId, kind: 'change' as const, at: now }],
        lastChangedBy: requestId,
        lastChangedAt: now,
      };
    });
    return record;
  }

  /** Marks the environment Retired (never deleted), built on `baseRevision`; idempotent per request. */
  async retireEnvironment(requestId: string, name: string, baseRevision: number): Promise<RecordedEnvironment> {
    const now = this.clock.now().toISOString();
    return this.updateVersioned(name, requestId, baseRevision, (current) => {
      const revision = revisionOf(current) + 1;
      return {
        ...current,
        status: 'Retired',
        retiredAt: now,
        revision,
        changes: [...(current.changes ?? []), { revision, requestId, kind: 'retire' as const, at: now }],
        lastChangedBy: requestId,
        lastChangedAt: now,
      };
    });
  }

  /** Whether the environment is at `baseRevision`, or this request already made its next version. */
  async versionCheck(name: string, requestId: string, baseRevision: number): Promise<{ ok: true; record: RecordedEnvironment } | { ok: false; record?: RecordedEnvironment }> {
    const record = await this.environment(name);
    if (!record) return { ok: false };
    const mine = (record.changes ?? []).some((entry) => entry.requestId === requestId);
    return mine || revisionOf(record) === baseRevision ? { ok: true, record } : { ok: false, record };
  }

  /**
   * The Key Vault reference after a change: its new content (items, chains, SAS secret name),
   * with the fresh verification of what the change added or changed merged into the recorded one.
   */
  async changeKeyVaultReference(requestId: string, reference: KeyVaultReference, fresh: KeyVaultVerification | undefined): Promise<void> {
    const now = this.clock.now().toISOString();
    await upsert(
      this.repos.keyVaultReferences,
      registryKey(reference.name),
      () => ({ reference, verification: fresh ? mergeVerification(undefined, fresh, reference) : emptyVerification(reference, now), recordedBy: requestId, recordedAt: now }),
      (current) => ({
        ...current,
        reference,
        verification: fresh ? mergeVerification(current.verification, fresh, reference) : mergeVerification(current.verification, emptyVerification(reference, current.verification.checkedAt), reference),
      }),
    );
  }

  /** Unlinks an application from an environment, both ways (the application stays recorded). */
  async unlinkConnectedApplication(applicationName: string, environmentName: string): Promise<void> {
    const environmentKey = registryKey(environmentName);
    await updateExisting(this.repos.connectedApplications, registryKey(applicationName), (current) => {
      const environments = current.environments.filter((name) => registryKey(name) !== environmentKey);
      return environments.length === current.environments.length ? undefined : { ...current, environments };
    });
    await updateExisting(this.repos.environments, environmentKey, (current) => {
      const applications = current.connectedApplications.filter((name) => registryKey(name) !== registryKey(applicationName));
      return applications.length === current.connectedApplications.length ? undefined : { ...current, connectedApplications: applications };
    });
  }

  /** Compare-and-set on the environment's content version, idempotent per request. */
  private async updateVersioned(name: string, requestId: string, baseRevision: number, change: (current: RecordedEnvironment) => RecordedEnvironment): Promise<RecordedEnvironment> {
    const record = await upsert(
      this.repos.environments,
      registryKey(name),
      () => {
        throw new SetupBotError('not_found', `service environment ${name} is not recorded`, { said: domainMessage('registry.notRecorded', { environment: name }) });
      },
      (current): RecordedEnvironment | undefined => {
        if ((current.changes ?? []).some((entry) => entry.requestId === requestId)) return undefined;
        if (revisionOf(current) !== baseRevision) throw new EnvironmentVersionConflict(current, baseRevision);
        return change(current);
      },
    );
    return record.value;
  }

  /** A later verification of a recorded reference (the daily freshness check, `verify`). */
  async updateVerification(name: string, verification: KeyVaultVerification): Promise<void> {
    await updateExisting(this.repos.keyVaultReferences, registryKey(name), (current) => ({ ...current, verification }));
  }

  async environments(): Promise<RecordedEnvironment[]> {
    return (await this.repos.environments.list()).map((record) => record.value);
  }

  async environment(name: string): Promise<RecordedEnvironment | undefined> {
    return (await this.repos.environments.get(registryKey(name)))?.value;
  }

  async keyVaultReference(name: string): Promise<RecordedKeyVaultReference | undefined> {
    return (await this.repos.keyVaultReferences.get(registryKey(name)))?.value;
  }

  async connectedApplication(name: string): Promise<RecordedConnectedApplication | undefined> {
    return (await this.repos.connectedApplications.get(registryKey(name)))?.value;
  }
}
