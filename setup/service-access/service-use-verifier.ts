/**
 * A KeyVaultVerifier that adds, to what setupbot itself read, whether Electronic invoicing can use
 * it (`serviceUse` on the vault and on each item). The vault's outcome then counts both: a failed
 * service check fails it, one setupbot could not make (⚠️ not checked) warns; each item's own
 * outcome stays "setupbot can read it", its `serviceUse` says "Electronic invoicing can use it".
 */
import type { Logger } from '../ports.js';
import { combineServiceUse, stepOutcomeOf, type ServiceAccessChecker, type ServiceAccessRequest } from './index.js';
import { worstOutcome } from '../rules/sas-url.js';
import type { KeyVaultVerification, KeyVaultVerifier, VerificationScope } from '../model/verification.js';
import type { KeyVaultReference } from '../model/content.js';
import { vaultNameOf } from '../rules/validation.js';

/** The vault's outcome with Electronic invoicing's use counted in (items' own outcomes unchanged). */
export function overallOutcome(verification: KeyVaultVerification): KeyVaultVerification['outcome'] {
  const uses = [verification.serviceUse, ...verification.items.map((item) => item.serviceUse)].flatMap((use) => (use ? [stepOutcomeOf(use.outcome)] : []));
  return worstOutcome([verification.outcome, ...uses]);
}

function accessRequest(reference: KeyVaultReference, verification: KeyVaultVerification): ServiceAccessRequest {
  const sasItem = verification.items.find((item) => item.isStorageSas && item.sas);
  return {
    vaultUri: reference.keyVaultUri,
    items: verification.items.map((item) => ({ name: item.name, type: item.type })),
    ...(sasItem?.sas
      ? {
          sas: {
            secretName: sasItem.name,
            account: sasItem.sas.account,
            container: sasItem.sas.container,
            ...(sasItem.sas.startsOn ? { startsOn: sasItem.sas.startsOn } : {}),
            ...(sasItem.sas.expiresOn ? { expiresOn: sasItem.sas.expiresOn } : {}),
          },
        }
      : {}),
  };
}

export class ServiceUseVerifier implements KeyVaultVerifier {
  constructor(
    private readonly inner: KeyVaultVerifier,
    private readonly checker: ServiceAccessChecker,
    private readonly logger?: Logger,
  ) {}

  async verify(reference: KeyVaultReference, scope?: VerificationScope): Promise<KeyVaultVerification> {
    const verification = await this.inner.verify(reference, scope);
    // a URI that names no vault already failed the check; there is nothing to look up
    if (vaultNameOf(reference.keyVaultUri) === undefined) return verification;
    let access;
    try {
      access = await this.checker.check(accessRequest(reference, verification));
    } catch (error) {
      // a checker bug must not turn into ✅: the vault says "not checked"
      this.logger?.warn({ event: 'service_access_check_failed', err: error }, 'the check of Electronic invoicing access failed unexpectedly');
      access = { vault: { outcome: 'notChecked' as const, findings: [{ code: 'access.checkFailed', outcome: 'notChecked' as const, params: {} }] }, items: {} };
    }
    const items = verification.items.map((item) => {
      const serviceUse = combineServiceUse(item.serviceUse, access.items[item.name.trim().toLowerCase()]);
      return serviceUse ? { ...item, serviceUse } : item;
    });
    this.logger?.info(
      {
        event: 'service_access_checked',
        vault: vaultNameOf(reference.keyVaultUri),
        outcome: access.vault.outcome,
        findings: access.vault.findings.filter((finding) => finding.outcome !== 'ok').map((finding) => `${finding.code}:${finding.outcome}`),
      },
      "Electronic invoicing's access to the vault checked",
    );
    const combined: KeyVaultVerification = { ...verification, items, serviceUse: combineServiceUse(verification.serviceUse, access.vault) ?? access.vault };
    return { ...combined, outcome: overallOutcome(combined) };
  }
}
