/**
 * A SasProbe double for tests about something else than the SAS's use (approvals, recovery,
 * changes, freshness, the read API): it answers what it is told and records what it was asked
 * (names only, never the SAS URL). The
 * SAS use itself is tested against Azurite (test/integration/sas-probe.test.ts and the verifier's
 * tests).
 */
import type { SasProbe, SasProbeTarget } from '../../azure/sas-probe.js';
import type { ServiceUse } from '../../setup/model/verification.js';

export class AnsweringSasProbe implements SasProbe {
  readonly asked: { account: string; container: string; vaultName: string; secretName: string; withSasUrl: boolean }[] = [];

  constructor(private readonly answer: (target: SasProbeTarget) => ServiceUse = usable) {}

  async probe(target: SasProbeTarget): Promise<ServiceUse> {
    this.asked.push({ account: target.account, container: target.container, vaultName: target.vaultName, secretName: target.secretName, withSasUrl: target.sasUrl !== '' });
    return this.answer(target);
  }
}

/** What BlobSasProbe answers when the SAS works. */
export function usable(target: SasProbeTarget): ServiceUse {
  return { outcome: 'ok', findings: [{ code: 'sas.usable', outcome: 'ok', params: { account: target.account, container: target.container, leftoversDeleted: 0 } }] };
}
