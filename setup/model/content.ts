/**
 * The setup request as the admin describes it: the three steps of the Electronic invoicing
 * service configuration (see shared domain notes). Plain data, no behaviour; validation lives in
 * validation.ts. Key Vault items are referenced by *name*: no secret value is ever part of it.
 */

export type ItemType = 'Secret' | 'Certificate';
export const ITEM_TYPES: readonly ItemType[] = ['Secret', 'Certificate'];

/** A row of the Certificates grid: an object in the vault, by its name there. */
export interface KeyVaultItem {
  name: string;
  description: string;
  type: ItemType;
}

/** Certificate items by name, root CA first, end-user certificate last. */
export interface CertificateChain {
  name: string;
  description: string;
  certificates: string[];
}

export interface KeyVaultReference {
  name: string;
  description: string;
  /** https://<vault>.vault.azure.net/ (or a sovereign cloud's vault suffix). */
  keyVaultUri: string;
  /** Name of the Secret item holding the Blob SAS URL the service environment uses. */
  storageSasSecretName: string;
  /** Further items beyond the SAS secret. */
  items: KeyVaultItem[];
  chains: CertificateChain[];
}

/** A user who may deploy Globalization features to the environment. */
export interface EnvironmentUser {
  userId: string;
  email: string;
}

/** An application other than Finance/SCM that calls the service (Microsoft must approve it). */
export interface ExternalApplication {
  name: string;
  /** Entra ID object id (GUID). */
  objectId: string;
}

export interface NumberSequence {
  name: string;
  description: string;
}

export interface ServiceEnvironment {
  name: string;
  description: string;
  users: EnvironmentUser[];
  externalApplications: ExternalApplication[];
  numberSequences: NumberSequence[];
  /** Optional: https://<org>/api/data/v9.1/ ; empty string when not set. */
  dataverseEndpointUri: string;
}

export type ConnectedApplicationType = 'Dynamics 365 Finance' | 'Dynamics 365 Supply Chain Management';
export const CONNECTED_APPLICATION_TYPES: readonly ConnectedApplicationType[] = [
  'Dynamics 365 Finance',
  'Dynamics 365 Supply Chain Management',
];

export interface ConnectedApplication {
  name: string;
  type: ConnectedApplicationType;
  /** The Finance/SCM environment URL, e.g. https://contoso.operations.dynamics.com */
  applicationUrl: string;
  /** Tenant of the environment: GUID or domain. */
  tenant: string;
}

/** Everything one setup request asks for. */
export interface SetupContent {
  environment: ServiceEnvironment;
  keyVault: KeyVaultReference;
  connectedApplications: ConnectedApplication[];
}

export function emptySetupContent(): SetupContent {
  return {
    environment: {
      name: '',
      description: '',
      users: [{ userId: '', email: '' }],
      externalApplications: [],
      numberSequences: [],
      dataverseEndpointUri: '',
    },
    keyVault: {
      name: '',
      description: '',
      keyVaultUri: '',
      storageSasSecretName: '',
      items: [],
      chains: [],
    },
    connectedApplications: [],
  };
}
