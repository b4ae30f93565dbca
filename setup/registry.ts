/**
 * setupbot as system of record: the Key Vault references, service environments and connected
 * applications it has set up. Every write is idempotent per request (re-running a step after a
 * crash or a Retry finds its own record and changes nothing) and refuses to overwrite another
 * request's — except the records of the requests it replaces (Edit and resubmit), which it takes
 * over with its own content.
 */
import { updateExisting, upsert } from './compare-and-set.js';
import { SetupBotError } from './errors.js';
import type { ConnectedApplication, KeyVaultReference, ServiceEnvironment } from './model.js';
import type { Clock, CollectionSpec, Repository } from './ports.js';
import { nameKey } from './request.js';
import type { ConnectionCheck, KeyVaultVerification } from './verification.js';

export type EnvironmentStatus = 'Not published' | 'Published' | 'Changed' | 'Retired';

export interface RecordedKeyVaultReference {
  reference: KeyVaultReference;
  /** Latest verification: names, outcomes, dates — never values. */
  verification: KeyVaultVerification;
  recordedBy: string;
  recordedAt: string;
}

export interface RecordedEnvironment {
  environment: ServiceEnvironment;
  keyVaultReference: string;
  storageSasSecretName: string;
  status: EnvironmentStatus;
  connectedApplications: string[];
  recordedBy: string;
  recordedAt: string;
  publishedAt?: string;
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
  constructor(what: string, name: string, owner: string) {
    super('conflict', `${what} ${name} is already recorded by ${owner}`);
  }
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
      }),
      (current): RecordedEnvironment | undefined => {
        if (replaces.includes(current.recordedBy)) {
          return {
            ...current,
            environment,
            keyVaultReference: reference.name,
            storageSasSecretName: reference.storageSasSecretName,
            status: current.status === 'Not published' ? 'Not published' : 'Changed',
            recordedBy: requestId,
            recordedAt: now,
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
        throw new SetupBotError('not_found', `service environment ${name} is not recorded`);
      },
      (current): RecordedEnvironment | undefined => (current.status === 'Published' ? undefined : { ...current, status: 'Published', publishedAt: now }),
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
        throw new SetupBotError('not_found', `service environment ${environmentName} is not recorded`);
      },
      (current) =>
        current.connectedApplications.includes(application.name)
          ? undefined
          : { ...current, connectedApplications: [...current.connectedApplications, application.name] },
    );
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
