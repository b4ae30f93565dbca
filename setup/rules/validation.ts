/**
 * Validation of a setup request, field by field, with messages an admin reads on the card under
 * the field. Pure: no I/O. At most one error per field path: a pasted secret first, then a missing
 * value, then format, then uniqueness. Values are judged trimmed (the cards trim what they read).
 * The rules follow the shared domain notes; where the docs are silent nothing is enforced.
 */
import {
  checkField,
  ErrorList,
  fixedChoice,
  flagDuplicates,
  format,
  httpsUrlProblem,
  isDomainName,
  isEmail,
  isGuid,
  KEY_VAULT_OBJECT_NAME_MAX,
  KEY_VAULT_URI_EXAMPLE,
  keyVaultObjectNameFormatProblem,
  keyVaultUriProblem,
  maxLength,
  notTaken,
  oneOf,
  secretIn,
  secretInKeyVaultName,
  secretInUrl,
  type FieldError,
  type Rule,
} from './field-rules.js';
import {
  CONNECTED_APPLICATION_TYPES,
  ITEM_TYPES,
  type ConnectedApplication,
  type ItemType,
  type KeyVaultReference,
  type ServiceEnvironment,
  type SetupContent,
} from '../model/content.js';

export type { FieldError, FieldErrorCode } from './field-rules.js';
export {
  httpsUrlProblem,
  isDomainName,
  isEmail,
  isGuid,
  isHttpsUrl,
  isKeyVaultObjectName,
  keyVaultUriProblem,
  looksLikeFinanceUrl,
  normalizeKeyVaultUri,
  vaultNameOf,
  vaultNameProblems,
} from './field-rules.js';
import { nameKey } from '../model/names.js';

export interface ValidationContext {
  /** Names of environments already recorded or requested; compared case-insensitively. */
  existingEnvironmentNames: readonly string[];
  /** Names of Key Vault references already recorded or requested; compared case-insensitively. */
  existingKeyVaultReferenceNames: readonly string[];
}

export const ENVIRONMENT_NAME_MAX = 100;
export const ENVIRONMENT_DESCRIPTION_MAX = 500;
const GUID_EXAMPLE = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const FINANCE_URL_EXAMPLE = 'https://contoso.operations.dynamics.com';
const DATAVERSE_EXAMPLE = 'https://contoso.crm.dynamics.com/api/data/v9.1/';

function withExample(problem: string | undefined, example: string): string | undefined {
  return problem === undefined ? undefined : `${problem} ${example}`;
}

const objectId = format((value) =>
  isGuid(value) ? undefined : `Use the application's Object ID from Entra ID: a GUID like ${GUID_EXAMPLE}.`,
);
const email = format((value) => (isEmail(value) ? undefined : 'This is not an email address. Use one like name@contoso.com.'));
const keyVaultObjectName: readonly Rule[] = [
  maxLength(KEY_VAULT_OBJECT_NAME_MAX, 'Key Vault name'),
  format(keyVaultObjectNameFormatProblem),
];

// --- service environment ---

export function validateEnvironment(env: ServiceEnvironment, ctx: ValidationContext): FieldError[] {
  const errors = new ErrorList();
  checkField(errors, 'environment.name', env.name, {
    secret: secretIn("the environment's name"),
    required: 'Give the service environment a name, like Contoso-UAT or Contoso-PROD.',
    rules: [
      maxLength(ENVIRONMENT_NAME_MAX, 'name'),
      notTaken(
        ctx.existingEnvironmentNames,
        'A service environment with this name is already recorded or requested. Choose another name, like Contoso-UAT-2.',
      ),
    ],
  });
  checkField(errors, 'environment.description', env.description, {
    secret: secretIn('a description'),
    rules: [maxLength(ENVIRONMENT_DESCRIPTION_MAX, 'description')],
  });

  if (env.users.length === 0) {
    errors.add('environment.users', {
      code: 'required',
      message: 'Add at least one user (User ID and email) who may deploy Globalization features to this environment.',
    });
  }
  env.users.forEach((user, index) => {
    const path = `environment.users[${index}]`;
    checkField(errors, `${path}.userId`, user.userId, {
      secret: secretIn("the user's alias"),
      required: "Give the user's User ID (alias), like jdoe.",
    });
    checkField(errors, `${path}.email`, user.email, {
      secret: secretIn("the user's email address"),
      required: "Give the user's email address, like name@contoso.com.",
      rules: [email],
    });
  });
  flagDuplicates(
    errors,
    env.users.map((user) => user.userId),
    (index) => `environment.users[${index}].userId`,
    'This User ID is already listed above. Remove this row or give another user.',
  );

  env.externalApplications.forEach((app, index) => {
    const path = `environment.externalApplications[${index}]`;
    checkField(errors, `${path}.name`, app.name, {
      secret: secretIn("the application's name"),
      required: 'Give the application a name, like Contoso invoice gateway.',
    });
    checkField(errors, `${path}.objectId`, app.objectId, {
      secret: secretIn("the application's Object ID"),
      required: `Give the application's Object ID from Entra ID, like ${GUID_EXAMPLE}.`,
      rules: [objectId],
    });
  });
  flagDuplicates(
    errors,
    env.externalApplications.map((app) => app.objectId),
    (index) => `environment.externalApplications[${index}].objectId`,
    'This Object ID is already listed above. List each application once.',
  );

  env.numberSequences.forEach((sequence, index) => {
    const path = `environment.numberSequences[${index}]`;
    checkField(errors, `${path}.name`, sequence.name, {
      secret: secretIn("the number sequence's name"),
      required: 'Give the number sequence a name, like INV-NO.',
    });
    checkField(errors, `${path}.description`, sequence.description, { secret: secretIn('a description') });
  });
  flagDuplicates(
    errors,
    env.numberSequences.map((sequence) => sequence.name),
    (index) => `environment.numberSequences[${index}].name`,
    'A number sequence with this name is already listed above. Give each sequence its own name.',
  );

  checkField(errors, 'environment.dataverseEndpointUri', env.dataverseEndpointUri, {
    secret: secretInUrl('give the endpoint address only.'),
    rules: [format((value) => withExample(httpsUrlProblem(value), `Use the Dataverse endpoint, like ${DATAVERSE_EXAMPLE}`))],
  });
  return errors.items;
}

// --- Key Vault reference ---

export function validateKeyVault(kv: KeyVaultReference, ctx: ValidationContext): FieldError[] {
  const errors = new ErrorList();
  checkField(errors, 'keyVault.name', kv.name, {
    secret: secretIn("the Key Vault reference's name"),
    required: 'Give the Key Vault reference a name, like Contoso-einvoicing-KV.',
    rules: [
      notTaken(
        ctx.existingKeyVaultReferenceNames,
        'A Key Vault reference with this name is already recorded or requested. Choose another name.',
      ),
    ],
  });
  checkField(errors, 'keyVault.description', kv.description, { secret: secretIn('a description') });
  checkField(errors, 'keyVault.keyVaultUri', kv.keyVaultUri, {
    secret: secretInUrl(
      "store the SAS URL as a secret in Key Vault and give that secret's name under Storage SAS token secret. Here, give only the vault's URI.",
    ),
    required: `Give the vault's URI, like ${KEY_VAULT_URI_EXAMPLE}`,
    rules: [format(keyVaultUriProblem)],
  });
  checkField(errors, 'keyVault.storageSasSecretName', kv.storageSasSecretName, {
    secret: secretInKeyVaultName,
    required: 'Give the name of the secret in Key Vault that holds the storage SAS URL, like contoso-storage-sas-token.',
    rules: keyVaultObjectName,
  });
  validateItems(errors, kv);
  validateChains(errors, kv);
  return errors.items;
}

function validateItems(errors: ErrorList, kv: KeyVaultReference): void {
  kv.items.forEach((item, index) => {
    const path = `keyVault.items[${index}]`;
    checkField(errors, `${path}.name`, item.name, {
      secret: secretInKeyVaultName,
      required: "Give the item's name in Key Vault, like contoso-signing-certificate.",
      rules: keyVaultObjectName,
    });
    checkField(errors, `${path}.description`, item.description, { secret: secretIn('a description') });
    checkField(errors, `${path}.type`, item.type, {
      secret: fixedChoice,
      required: 'Choose Secret or Certificate.',
      rules: [oneOf(ITEM_TYPES, 'Choose Secret or Certificate.')],
    });
  });

  // Key Vault names ignore case; the SAS secret counts as the first item.
  const sasName = errors.has('keyVault.storageSasSecretName') ? '' : nameKey(kv.storageSasSecretName);
  const seen = new Set<string>();
  kv.items.forEach((item, index) => {
    const path = `keyVault.items[${index}]`;
    const name = nameKey(item.name);
    if (name === '' || errors.has(`${path}.name`)) return;
    if (name === sasName && item.type === 'Certificate') {
      errors.add(`${path}.type`, {
        code: 'type',
        message: "The storage SAS token item must be a Secret. This row repeats the SAS secret's name: remove it, or give the certificate's own name.",
      });
    } else if (name === sasName) {
      errors.add(`${path}.name`, { code: 'duplicate', message: 'This is the storage SAS token secret, already named above. Remove this row.' });
    } else if (seen.has(name)) {
      errors.add(`${path}.name`, { code: 'duplicate', message: 'This item is already listed above (Key Vault names ignore case). Remove this row.' });
    }
    seen.add(name);
  });
}

/** A chain member must name a Certificate item of this reference (not the SAS secret). */
function chainMember(kv: KeyVaultReference): Rule {
  const sasName = nameKey(kv.storageSasSecretName);
  const typeOf = new Map<string, ItemType>();
  for (const item of kv.items) if (!typeOf.has(nameKey(item.name))) typeOf.set(nameKey(item.name), item.type);
  return (value) => {
    const name = nameKey(value);
    if (name === sasName) {
      return { code: 'type', message: 'This is the storage SAS token secret, not a certificate. Choose a Certificate item.' };
    }
    const type = typeOf.get(name);
    if (type === undefined) {
      return {
        code: 'reference',
        message: 'No item of this Key Vault reference has this name. Add it as a Certificate item first, or choose a listed certificate.',
      };
    }
    if (type !== 'Certificate') return { code: 'type', message: 'This item is a Secret. A chain lists Certificate items only.' };
    return undefined;
  };
}

function validateChains(errors: ErrorList, kv: KeyVaultReference): void {
  const member = chainMember(kv);
  kv.chains.forEach((chain, index) => {
    const path = `keyVault.chains[${index}]`;
    checkField(errors, `${path}.name`, chain.name, {
      secret: secretIn("the chain's name"),
      required: 'Give the certificate chain a name, like Contoso signing chain.',
    });
    checkField(errors, `${path}.description`, chain.description, { secret: secretIn('a description') });
    if (chain.certificates.length === 0) {
      errors.add(`${path}.certificates`, {
        code: 'required',
        message: "Add the chain's certificates: root CA first, end-user certificate last.",
      });
    }
    chain.certificates.forEach((certificate, position) => {
      checkField(errors, `${path}.certificates[${position}]`, certificate, {
        secret: secretInKeyVaultName,
        required: 'Choose a Certificate item for this position, or remove it.',
        rules: [member],
      });
    });
    flagDuplicates(
      errors,
      chain.certificates,
      (position) => `${path}.certificates[${position}]`,
      'This certificate is already in this chain. List each certificate once, root CA first.',
    );
  });
  flagDuplicates(
    errors,
    kv.chains.map((chain) => chain.name),
    (index) => `keyVault.chains[${index}].name`,
    'Another chain already has this name. Give each chain its own name.',
  );
}

// --- connected applications ---

export function validateConnectedApplications(apps: ConnectedApplication[]): FieldError[] {
  const errors = new ErrorList();
  const typeMessage = `Choose the application type: ${CONNECTED_APPLICATION_TYPES.join(' or ')}.`;
  const tenantMessage = `Use the tenant ID (a GUID like ${GUID_EXAMPLE}) or the tenant's domain, like contoso.onmicrosoft.com.`;
  apps.forEach((app, index) => {
    const path = `connectedApplications[${index}]`;
    checkField(errors, `${path}.name`, app.name, {
      secret: secretIn("the application's name"),
      required: 'Give the connected application a name, like Contoso Finance PROD.',
    });
    checkField(errors, `${path}.type`, app.type, {
      secret: fixedChoice,
      required: typeMessage,
      rules: [oneOf(CONNECTED_APPLICATION_TYPES, typeMessage)],
    });
    checkField(errors, `${path}.applicationUrl`, app.applicationUrl, {
      secret: secretInUrl("give the environment's address only."),
      required: `Give the Finance environment's URL, like ${FINANCE_URL_EXAMPLE}`,
      rules: [format((value) => withExample(httpsUrlProblem(value), `Use the environment's URL, like ${FINANCE_URL_EXAMPLE}`))],
    });
    checkField(errors, `${path}.tenant`, app.tenant, {
      secret: secretIn("the tenant's ID or domain"),
      required: `Give the environment's tenant. ${tenantMessage}`,
      rules: [format((value) => (isGuid(value) || isDomainName(value) ? undefined : tenantMessage))],
    });
  });
  flagDuplicates(
    errors,
    apps.map((app) => app.name),
    (index) => `connectedApplications[${index}].name`,
    'Another connected application already has this name. Give each its own name.',
  );
  return errors.items;
}

// --- everything ---

/** The three steps together, in their order on the cards. */
export function validateSetupContent(content: SetupContent, ctx: ValidationContext): FieldError[] {
  return [
    ...validateEnvironment(content.environment, ctx),
    ...validateKeyVault(content.keyVault, ctx),
    ...validateConnectedApplications(content.connectedApplications),
  ];
}
