/**
 * The mapping from what a use of the SAS met to a `sas.*` finding, for the shapes real Azure
 * Storage answers with (Azurite answers some of them differently: those are covered against
 * Azurite in test/integration/sas-probe.test.ts). The errors are built as @azure/storage-blob
 * throws them: a RestError with statusCode, code and details parsed from the XML body.
 */
import { RestError } from '@azure/core-rest-pipeline';
import { probeFailureFinding, renewSasCommand, type ProbeFailure, type ProbeStep, type SasProbeSubject } from '../../../azure/sas-probe-findings.js';
import { serviceFindingText } from '../../../cards/service-findings/index.js';
import { sasProbeValues } from '../../../cards/service-findings/sas-probe.js';
import { ENGLISH } from '../../../i18n/translations.js';

const now = new Date('2026-12-07T12:00:00Z');
const subject: SasProbeSubject = {
  account: 'contosoinvoicing',
  container: 'einvoicing',
  host: 'contosoinvoicing.blob.core.windows.net',
  vaultName: 'contoso-einvoicing',
  secretName: 'storage-sas-token',
  startsOn: new Date('2026-01-01T00:00:00Z'),
  expiresOn: new Date('2027-06-01T00:00:00Z'),
};
const SIG = 'c2lnbmF0dXJlLXNlbnRpbmVsLXZhbHVl';
/** What Azure puts in a refusal: it may quote the request (and with it the SAS). */
const QUOTED = `https://contosoinvoicing.blob.core.windows.net/einvoicing?sv=2022-11-02&sp=racwdl&sig=${SIG}`;

function storageError(statusCode: number, code: string, message: string, authenticationErrorDetail?: string): RestError {
  const error = new RestError(`${message}\n${QUOTED}`, { statusCode, code });
  error.details = { errorCode: code, message: `${message}\nRequestId:1\nTime:x`, ...(authenticationErrorDetail ? { authenticationErrorDetail } : {}) };
  return error;
}

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} ${QUOTED}`), { code });
}

const error = (step: ProbeStep, thrown: unknown): ProbeFailure => ({ kind: 'error', step, error: thrown });

describe('probeFailureFinding', () => {
  test.each([
    ['signature did not match (a rotated key)', 403, 'AuthenticationFailed', 'Server failed to authenticate the request.', 'Signature did not match. String to sign used was racwdl\n...', 'sas.signatureRejected'],
    ['outside the time frame (Azure says so)', 403, 'AuthenticationFailed', 'Server failed to authenticate the request.', 'Signature not valid in the specified time frame: Start [..] - Expiry [..] - Current [..]', 'sas.expired'],
    ['signed expiry before start', 403, 'AuthenticationFailed', 'Server failed to authenticate the request.', 'Signed expiry time [..] must be after signed start time [..]', 'sas.expired'],
    ["Azurite's refusal within the SAS's window: the signature", 403, 'AuthorizationFailure', 'Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.', undefined, 'sas.signatureRejected'],
    ['network rules (firewall)', 403, 'AuthorizationFailure', 'This request is not authorized to perform this operation.', undefined, 'sas.networkRefused'],
    ['a SAS restricted to other IP addresses', 403, 'AuthorizationSourceIPMismatch', 'This request is not authorized to perform this operation using this source IP 203.0.113.9.', undefined, 'sas.ipRangeRefused'],
    ['container missing', 404, 'ContainerNotFound', 'The specified container does not exist.', undefined, 'sas.containerMissing'],
    ['service busy', 503, 'ServerBusy', 'Ingress is over the account limit.', undefined, 'sas.serviceBusy'],
    ['throttled', 429, 'TooManyRequests', 'Too many requests.', undefined, 'sas.serviceBusy'],
    ['anything else', 409, 'LeaseIdMissing', 'There is currently a lease on the blob.', undefined, 'sas.refused'],
  ])('%s → %s', (_what, status, code, message, detail, expected) => {
    const finding = probeFailureFinding(error('list', storageError(status, code, message, detail)), subject, now);
    expect(finding.code).toBe(expected);
    expect(finding.outcome).toBe('failed');
  });

  test('the step that was refused names the missing permission', () => {
    const mismatch = (): RestError => storageError(403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.');
    expect(probeFailureFinding(error('list', mismatch()), subject, now).params).toMatchObject({ step: 'list', permission: 'l' });
    expect(probeFailureFinding(error('create', mismatch()), subject, now).params).toMatchObject({ step: 'create', permission: 'cw' });
    expect(probeFailureFinding(error('read', mismatch()), subject, now).params).toMatchObject({ step: 'read', permission: 'r' });
    expect(probeFailureFinding(error('delete', mismatch()), subject, now).params).toMatchObject({ step: 'delete', permission: 'd' });
    expect(probeFailureFinding(error('cleanup', mismatch()), subject, now).params).toMatchObject({ step: 'cleanup', permission: 'd' });
  });

  test("Azurite's undifferentiated refusal is told by the SAS's own dates: expired, not yet valid", () => {
    const refusal = (): RestError => storageError(403, 'AuthorizationFailure', 'Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.');
    const expired = probeFailureFinding(error('list', refusal()), { ...subject, expiresOn: new Date('2026-12-01T00:00:00Z') }, now);
    expect(expired).toMatchObject({ code: 'sas.expired', params: { expiresOn: '2026-12-01T00:00:00.000Z', startsOn: '2026-01-01T00:00:00.000Z' } });
    const early = probeFailureFinding(error('list', refusal()), { ...subject, startsOn: new Date('2026-12-08T00:00:00Z') }, now);
    expect(early.code).toBe('sas.notYetValid');
  });

  test('Azure saying "signature did not match" wins over a date this machine thinks is past (its clock may be wrong)', () => {
    const finding = probeFailureFinding(
      error('list', storageError(403, 'AuthenticationFailed', 'Server failed to authenticate the request.', 'Signature did not match. String to sign used was ...')),
      { ...subject, expiresOn: new Date('2026-12-01T00:00:00Z') },
      now,
    );
    expect(finding.code).toBe('sas.signatureRejected');
  });

  test.each([
    ['ENOTFOUND', 'sas.accountNotFound'],
    ['EAI_AGAIN', 'sas.accountNotFound'],
    ['ECONNREFUSED', 'sas.unreachable'],
    ['ECONNRESET', 'sas.unreachable'],
    ['ETIMEDOUT', 'sas.unreachable'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'sas.untrustedTls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'sas.untrustedTls'],
  ])('network error %s → %s', (code, expected) => {
    const finding = probeFailureFinding(error('list', systemError(code)), subject, now);
    expect(finding).toMatchObject({ code: expected, params: { reason: code } });
  });

  test('a proxy that refused the tunnel is named, whatever the replayed answer said', () => {
    const finding = probeFailureFinding({ kind: 'error', step: 'list', error: new RestError('Bad Gateway', { statusCode: 502 }), proxy: { label: 'proxy.contoso.com:8080', refusedWith: 502 } }, subject, now);
    expect(finding).toMatchObject({ code: 'sas.proxyRefused', params: { proxy: 'proxy.contoso.com:8080', status: 502 } });
  });

  test('timeouts, a changed read-back, a bad proxy setting, the unknown', () => {
    expect(probeFailureFinding({ kind: 'timeout', step: 'read', timeoutMs: 20_000 }, subject, now)).toMatchObject({ code: 'sas.timeout', params: { step: 'read', seconds: 20 } });
    expect(probeFailureFinding({ kind: 'contentMismatch' }, subject, now).code).toBe('sas.readBackMismatch');
    expect(probeFailureFinding({ kind: 'proxySetting' }, subject, now).code).toBe('sas.proxySettingInvalid');
    expect(probeFailureFinding(error('create', new TypeError(QUOTED)), subject, now)).toMatchObject({ code: 'sas.unexpected', params: { step: 'create', error: 'TypeError' } });
  });

  test('the fixes carry the real names, never the SAS or the service text', () => {
    const findings = [
      probeFailureFinding(error('list', storageError(403, 'AuthenticationFailed', 'x', 'Signature did not match.')), subject, now),
      probeFailureFinding(error('list', storageError(404, 'ContainerNotFound', 'The specified container does not exist.')), subject, now),
      probeFailureFinding(error('list', storageError(403, 'AuthorizationFailure', 'This request is not authorized to perform this operation.')), subject, now),
    ];
    expect(findings.map((finding) => finding.fix)).toEqual([
      'SAS=$(az storage container generate-sas --account-name contosoinvoicing --name einvoicing --permissions racwdl --expiry 2027-12-07T00:00Z --https-only --auth-mode key --output tsv) && az keyvault secret set --vault-name contoso-einvoicing --name storage-sas-token --value "https://contosoinvoicing.blob.core.windows.net/einvoicing?$SAS" --output none',
      'az storage container create --account-name contosoinvoicing --name einvoicing --auth-mode login',
      'az storage account update --name contosoinvoicing --public-network-access Enabled --default-action Allow',
    ]);
    for (const finding of findings) {
      const text = `${JSON.stringify(finding)} ${serviceFindingText(finding, ENGLISH)}`;
      expect(text).not.toContain(SIG);
      expect(text).not.toMatch(/RequestId|not authorized to perform|does not exist\./);
    }
    expect(renewSasCommand(subject, now)).not.toMatch(/sig=/);
  });
});

describe('the words of every sas.* finding', () => {
  const codes = Object.keys(sasProbeValues);
  const full = {
    account: 'contosoinvoicing',
    container: 'einvoicing',
    host: 'contosoinvoicing.blob.core.windows.net',
    step: 'create',
    permission: 'cw',
    status: 502,
    code: 'ServerBusy',
    reason: 'ECONNRESET',
    proxy: 'proxy.contoso.com:8080',
    seconds: 20,
    error: 'TypeError',
    startsOn: '2026-01-01T00:00:00.000Z',
    expiresOn: '2026-12-01T00:00:00.000Z',
    leftoversDeleted: 0,
  };

  test('every code the mapping can produce has words', () => {
    const produced = [
      'sas.usable', 'sas.signatureRejected', 'sas.expired', 'sas.notYetValid', 'sas.permissionMissing', 'sas.containerMissing', 'sas.networkRefused', 'sas.ipRangeRefused',
      'sas.accountNotFound', 'sas.proxyRefused', 'sas.unreachable', 'sas.untrustedTls', 'sas.timeout', 'sas.serviceBusy', 'sas.refused', 'sas.readBackMismatch', 'sas.proxySettingInvalid', 'sas.unexpected',
    ];
    expect(codes.sort()).toEqual(produced.sort());
  });

  test.each(Object.keys(sasProbeValues).filter((code) => code !== 'sas.usable'))('%s says what happened and what to do, with no blanks', (code) => {
    const text = serviceFindingText({ code, outcome: 'failed', params: full }, ENGLISH);
    expect(text).not.toMatch(/undefined|\$\{|  /);
    expect(text).toMatch(/Retry|restart the bot|Wait until then/);
  });

  test('the words point at "the command shown" exactly when the finding carries one', () => {
    const failures: ProbeFailure[] = [
      error('list', storageError(403, 'AuthenticationFailed', 'x', 'Signature did not match.')),
      error('list', storageError(403, 'AuthenticationFailed', 'x', 'Signature not valid in the specified time frame')),
      error('create', storageError(403, 'AuthorizationPermissionMismatch', 'x')),
      error('list', storageError(404, 'ContainerNotFound', 'x')),
      error('list', storageError(403, 'AuthorizationFailure', 'This request is not authorized to perform this operation.')),
      error('list', storageError(403, 'AuthorizationSourceIPMismatch', 'x')),
      error('list', storageError(503, 'ServerBusy', 'x')),
      error('create', storageError(409, 'LeaseIdMissing', 'x')),
      error('list', systemError('ENOTFOUND')),
      error('list', systemError('ECONNRESET')),
      error('list', systemError('UNABLE_TO_VERIFY_LEAF_SIGNATURE')),
      { kind: 'error', step: 'list', error: new RestError('Bad Gateway', { statusCode: 502 }), proxy: { label: 'proxy:8080', refusedWith: 502 } },
      { kind: 'timeout', step: 'create', timeoutMs: 20_000 },
      { kind: 'contentMismatch' },
      { kind: 'proxySetting' },
      error('read', new TypeError('x')),
    ];
    for (const failure of failures) {
      const finding = probeFailureFinding(failure, subject, now);
      expect([finding.code, serviceFindingText(finding, ENGLISH).includes('command shown')]).toEqual([finding.code, finding.fix !== undefined]);
    }
  });

  test('a working SAS in words, and leftovers deleted', () => {
    expect(serviceFindingText({ code: 'sas.usable', outcome: 'ok', params: { ...full, leftoversDeleted: 2 } }, ENGLISH)).toBe(
      'Electronic invoicing can use the SAS: with it alone, setupbot listed container einvoicing of storage account contosoinvoicing, created a probe blob, read it back and deleted it. It also deleted 2 probe blobs an earlier check left behind.',
    );
  });
});
