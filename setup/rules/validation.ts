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
import { domainMessage, type DomainMessage } from '../model/messages.js';

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

/** A URL problem followed by where to find a good one: `{problem} Use the Dataverse endpoint, like …` */
function withExample(problem: DomainMessage | undefined, address: 'dataverse' | 'finance', example: string): DomainMessage | undefined {
  return problem === undefined ? undefined : domainMessage('field.url.withExample', { problem, address, example });
}

const objectId = format((value) => (isGuid(value) ? undefined : domainMessage('field.objectId.format', { example: GUID_EXAMPLE })));
const email = format((value) => (isEmail(value) ? undefined : domainMessage('field.email.format')));
const keyVaultObjectName: readonly Rule[] = [
  maxLength(KEY_VAULT_OBJECT_NAME_MAX, 'keyVaultName'),
  format(keyVaultObjectNameFormatProblem),
];

// --- service environment ---

export function validateEnvironment(env: ServiceEnvironment, ctx: ValidationContext): FieldError[] {
  const errors = new ErrorList();
  checkField(errors, 'environment.name', env.name, {
    secret: secretIn('environmentName'),
    required: domainMessage('field.environmentName.required'),
    rules: [
      maxLength(ENVIRONMENT_NAME_MAX, 'name'),
      notTaken(
        ctx.existingEnvironmentNames,
        domainMessage('field.environmentName.taken'),
      ),
    ],
  });
  checkField(errors, 'environment.description', env.description, {
    secret: secretIn('description'),
    rules: [maxLength(ENVIRONMENT_DESCRIPTION_MAX, 'description')],
  });

  if (env.users.length === 0) {
    errors.add('environment.users', {
      code: 'required',
      message: domainMessage('field.users.required'),
    });
  }
  env.users.forEach((user, index) => {
    const path = `environment.users[${index}]`;
    checkField(errors, `${path}.userId`, user.userId, {
      secret: secretIn('userAlias'),
      required: domainMessage('field.userId.required'),
    });
    checkField(errors, `${path}.email`, user.email, {
      secret: secretIn('userEmail'),
      required: domainMessage('field.email.required'),
      rules: [email],
    });
  });
  flagDuplicates(
    errors,
    env.users.map((user) => user.userId),
    (index) => `environment.users[${index}].userId`,
    domainMessage('field.userId.duplicate'),
  );

  env.externalApplications.forEach((app, index) => {
    const path = `environment.externalApplications[${index}]`;
    checkField(errors, `${path}.name`, app.name, {
      secret: secretIn('applicationName'),
      required: domainMessage('field.externalApplicationName.required'),
    });
    checkField(errors, `${path}.objectId`, app.objectId, {
      secret: secretIn('applicationObjectId'),
      required: domainMessage('field.objectId.required', { example: GUID_EXAMPLE }),
      rules: [objectId],
    });
  });
  flagDuplicates(
    errors,
    env.externalApplications.map((app) => app.objectId),
    (index) => `environment.externalApplications[${index}].objectId`,
    domainMessage('field.objectId.duplicate'),
  );

  env.numberSequences.forEach((sequence, index) => {
    const path = `environment.numberSequences[${index}]`;
    checkField(errors, `${path}.name`, sequence.name, {
      secret: secretIn('numberSequenceName'),
      required: domainMessage('field.numberSequenceName.required'),
    });
    checkField(errors, `${path}.description`, sequence.description, { secret: secretIn('description') });
  });
  flagDuplicates(
    errors,
    env.numberSequences.map((sequence) => sequence.name),
    (index) => `environment.numberSequences[${index}].name`,
    domainMessage('field.numberSequenceName.duplicate'),
  );

  checkField(errors, 'environment.dataverseEndpointUri', env.dataverseEndpointUri, {
    secret: secretInUrl('endpoint'),
    rules: [format((value) => withExample(httpsUrlProblem(value), 'dataverse', DATAVERSE_EXAMPLE))],
  });
  return errors.items;
}

// --- Key Vault reference ---

export function validateKeyVault(kv: KeyVaultReference, ctx: ValidationContext): FieldError[] {
  const errors = new ErrorList();
  checkField(errors, 'keyVault.name', kv.name, {
    secret: secretIn('keyVaultReferenceName'),
    required: domainMessage('field.keyVaultReferenceName.required'),
    rules: [
      notTaken(
        ctx.existingKeyVaultReferenceNames,
        domainMessage('field.keyVaultReferenceName.taken'),
      ),
    ],
  });
  checkField(errors, 'keyVault.description', kv.description, { secret: secretIn('description') });
  checkField(errors, 'keyVault.keyVaultUri', kv.keyVaultUri, {
    secret: secretInUrl('keyVaultUri'),
    required: domainMessage('field.vaultUri.required', { example: KEY_VAULT_URI_EXAMPLE }),
    rules: [format(keyVaultUriProblem)],
  });
  checkField(errors, 'keyVault.storageSasSecretName', kv.storageSasSecretName, {
    secret: secretInKeyVaultName,
    required: domainMessage('field.sasSecretName.required'),
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
      required: domainMessage('field.itemName.required'),
      rules: keyVaultObjectName,
    });
    checkField(errors, `${path}.description`, item.description, { secret: secretIn('description') });
    checkField(errors, `${path}.type`, item.type, {
      secret: fixedChoice,
      required: domainMessage('field.itemType.choose'),
      rules: [oneOf(ITEM_TYPES, domainMessage('field.itemType.choose'))],
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
        message: domainMessage('field.item.sasNotCertificate'),
      });
    } else if (name === sasName) {
      errors.add(`${path}.name`, { code: 'duplicate', message: domainMessage('field.item.repeatsSas') });
    } else if (seen.has(name)) {
      errors.add(`${path}.name`, { code: 'duplicate', message: domainMessage('field.item.duplicate') });
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
      return { code: 'type', message: domainMessage('field.chainMember.isSas') };
    }
    const type = typeOf.get(name);
    if (type === undefined) {
      return {
        code: 'reference',
        message: domainMessage('field.chainMember.unknown'),
      };
    }
    if (type !== 'Certificate') return { code: 'type', message: domainMessage('field.chainMember.secret') };
    return undefined;
  };
}

function validateChains(errors: ErrorList, kv: KeyVaultReference): void {
  const member = chainMember(kv);
  kv.chains.forEach((chain, index) => {
    const path = `keyVault.chains[${index}]`;
    checkField(errors, `${path}.name`, chain.name, {
      secret: secretIn('chainName'),
      required: domainMessage('field.chainName.required'),
    });
    checkField(errors, `${path}.description`, chain.description, { secret: secretIn('description') });
    if (chain.certificates.length === 0) {
      errors.add(`${path}.certificates`, {
        code: 'required',
        message: domainMessage('field.chain.certificatesRequired'),
      });
    }
    chain.certificates.forEach((certificate, position) => {
      checkField(errors, `${path}.certificates[${position}]`, certificate, {
        secret: secretInKeyVaultName,
        required: domainMessage('field.chainMember.required'),
        rules: [member],
      });
    });
    flagDuplicates(
      errors,
      chain.certificates,
      (position) => `${path}.certificates[${position}]`,
      domainMessage('field.chainMember.duplicate'),
    );
  });
  flagDuplicates(
    errors,
    kv.chains.map((chain) => chain.name),
    (index) => `keyVault.chains[${index}].name`,
    domainMessage('field.chainName.duplicate'),
  );
}

// --- connected applications ---

export function validateConnectedApplications(apps: ConnectedApplication[]): FieldError[] {
  const errors = new ErrorList();
  const typeMessage = domainMessage('field.applicationType.choose', { finance: CONNECTED_APPLICATION_TYPES[0], supplyChain: CONNECTED_APPLICATION_TYPES[1] });
  const tenantMessage = domainMessage('field.tenant.format', { example: GUID_EXAMPLE });
  apps.forEach((app, index) => {
    const path = `connectedApplications[${index}]`;
    checkField(errors, `${path}.name`, app.name, {
      secret: secretIn('applicationName'),
      required: domainMessage('field.connectedApplicationName.required'),
    });
    checkField(errors, `${path}.type`, app.type, {
      secret: fixedChoice,
      required: typeMessage,
      rules: [oneOf(CONNECTED_APPLICATION_TYPES, typeMessage)],
    });
    checkField(errors, `${path}.applicationUrl`, app.applicationUrl, {
      secret: secretInUrl('environmentAddress'),
      required: domainMessage('field.applicationUrl.required', { example: FINANCE_URL_EXAMPLE }),
      rules: [format((value) => withExample(httpsUrlProblem(value), 'finance', FINANCE_URL_EXAMPLE))],
    });
    checkField(errors, `${path}.tenant`, app.tenant, {
      secret: secretIn('tenant'),
      required: domainMessage('field.tenant.required', { example: GUID_EXAMPLE }),
      rules: [format((value) => (isGuid(value) || isDomainName(value) ? undefined : tenantMessage))],
    });
  });
  flagDuplicates(
    errors,
    apps.map((app) => app.name),
    (index) => `connectedApplications[${index}].name`,
    domainMessage('field.connectedApplicationName.duplicate'),
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
