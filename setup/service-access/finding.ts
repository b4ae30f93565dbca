/** Building findings: the coded result of one check, with its fix. */
import type { ServiceFinding, ServiceUseOutcome } from '../model/verification.js';
import { E_INVOICING_APP_ID, type NotReadable, type PrincipalFact } from './model.js';

export function finding(code: string, outcome: ServiceUseOutcome, params: ServiceFinding['params'], fix?: string): ServiceFinding {
  return fix ? { code, outcome, params, fix } : { code, outcome, params };
}

export const PRINCIPAL_FIX = `az ad sp create --id ${E_INVOICING_APP_ID}`;

/** What setupbot's identity needs on a vault or an account to read what a check reads. */
export const READER_GRANT = 'Reader';

/** A fact setupbot could not read: ⚠️ not checked, with the reason. */
export function notReadableFinding(code: string, fact: NotReadable, params: ServiceFinding['params']): ServiceFinding {
  return finding(code, 'notChecked', { ...params, reason: fact.reason });
}

export function principalFindings(principal: PrincipalFact): ServiceFinding[] {
  if (!principal.readable) return [notReadableFinding('principal.notChecked', principal, { appId: E_INVOICING_APP_ID })];
  if ('missing' in principal) return [finding('principal.missing', 'failed', { appId: E_INVOICING_APP_ID }, PRINCIPAL_FIX)];
  return [finding('principal.found', 'ok', { appId: E_INVOICING_APP_ID, objectId: principal.objectId })];
}
