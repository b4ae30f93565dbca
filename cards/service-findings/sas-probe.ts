/**
 * The values of the messages for the findings of the SAS check (codes `sas.*`,
 * `cards.serviceFinding.sas.*`): what setupbot did with the SAS, what the storage account answered,
 * what that means for Electronic invoicing and what to do. The Azure CLI command that fixes it
 * travels beside the words (`finding.fix`), never inside them.
 */
import type { ServiceFinding } from '../../setup/model/verification.js';
import { param, yes, type FindingValues, type ServiceFindingCode } from './finding-values.js';

type SasCode = Extract<ServiceFindingCode, `sas.${string}`>;

/** An ISO date-time as the words show it, "2026-12-01 00:00" (then "UTC"). */
function day(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** Where: `{container}` of `{account}`. */
const where = (f: ServiceFinding) => ({ container: param(f, 'container'), account: param(f, 'account') });

/** What setupbot tried (`{step, select, list {list the container} …}`) and where. */
const stepWhere = (f: ServiceFinding) => ({ ...where(f), step: param(f, 'step') });

/** "HTTP 503 ServerBusy": the status, then the error code when Azure named one. */
const http = (f: ServiceFinding) => ({ status: param(f, 'status'), code: param(f, 'code'), hasCode: yes(param(f, 'code') !== '') });

export const sasProbeValues: Record<SasCode, FindingValues> = {
  'sas.usable': (f) => {
    const cleaned = Number(f.params.leftoversDeleted ?? 0);
    return { ...where(f), leftoversDeleted: cleaned > 0 ? cleaned : 0 };
  },
  'sas.signatureRejected': (f) => ({ account: param(f, 'account') }),
  'sas.expired': (f) => ({ account: param(f, 'account'), hasExpiry: yes(Boolean(f.params.expiresOn)), expiresOn: day(param(f, 'expiresOn')) }),
  'sas.notYetValid': (f) => ({ account: param(f, 'account'), hasStart: yes(Boolean(f.params.startsOn)), startsOn: day(param(f, 'startsOn')) }),
  'sas.permissionMissing': (f) => ({ ...stepWhere(f), permission: param(f, 'permission') }),
  'sas.containerMissing': where,
  'sas.networkRefused': (f) => ({ account: param(f, 'account') }),
  'sas.ipRangeRefused': (f) => ({ account: param(f, 'account') }),
  'sas.accountNotFound': (f) => ({ account: param(f, 'account'), host: param(f, 'host'), reason: param(f, 'reason') }),
  'sas.proxyRefused': (f) => ({ account: param(f, 'account'), host: param(f, 'host'), proxy: param(f, 'proxy'), status: param(f, 'status') }),
  'sas.unreachable': (f) => ({ host: param(f, 'host'), reason: param(f, 'reason'), hasProxy: yes(Boolean(f.params.proxy)), proxy: param(f, 'proxy') }),
  'sas.untrustedTls': (f) => ({ host: param(f, 'host'), reason: param(f, 'reason') }),
  'sas.timeout': (f) => ({ ...stepWhere(f), host: param(f, 'host'), hasSeconds: yes(Number(f.params.seconds) > 0), seconds: param(f, 'seconds') }),
  'sas.serviceBusy': (f) => ({ ...stepWhere(f), ...http(f) }),
  'sas.refused': (f) => ({ ...stepWhere(f), ...http(f) }),
  'sas.readBackMismatch': where,
  'sas.proxySettingInvalid': () => ({}),
  'sas.unexpected': (f) => ({ ...stepWhere(f), error: param(f, 'error') }),
};
