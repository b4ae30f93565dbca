import { randomBytes } from 'node:crypto';
import {
  checkCertificateValidity,
  checkChain,
  commonNameOf,
  describeCertificate,
  isCertificateParseError,
  NOT_A_CERTIFICATE,
  parseCertificateValue,
  type ParsedCertificates,
} from '../../../../setup/rules/certificates.js';
import { makeCa, makeLeaf, sasUrl, toDerBase64, toPem, toPkcs12Base64, type TestCertificate } from '../../../harness/certificates.js';
import { sayAll } from '../../../../cards/words/domain-message.js';
import { ENGLISH } from '../../../../i18n/translations.js';
import type { DomainText } from '../../../../setup/model/messages.js';

/** Findings said in English, as a reader of the English catalog sees them. */
const said = (texts: readonly DomainText[]): string[] => sayAll(ENGLISH, texts);

const DAY_MS = 24 * 60 * 60 * 1000;
const now = new Date();
const days = (count: number): Date => new Date(now.getTime() + count * DAY_MS);

let root: TestCertificate;
let intermediate: TestCertificate;
let leaf: TestCertificate;

beforeAll(() => {
  root = makeCa('contoso-root-ca');
  intermediate = makeLeaf('contoso-issuing-ca', root, { isCa: true });
  leaf = makeLeaf('signing-cert', intermediate);
});

function parsed(value: string, contentType?: string): ParsedCertificates {
  const result = parseCertificateValue(value, contentType);
  if (isCertificateParseError(result)) throw new Error(said([result.error])[0]);
  return result;
}

describe('parseCertificateValue', () => {
  test('reads a PEM certificate', () => {
    expect(commonNameOf(parsed(toPem(leaf)).leaf)).toBe('signing-cert');
  });

  test('reads Key Vault PEM (private key, then the certificate and its chain) and picks the end-user certificate', () => {
    const pem = toPem([leaf, intermediate, root], { withKey: true });
    const result = parsed(pem, 'application/x-pem-file');
    expect(result.all).toHaveLength(3);
    expect(commonNameOf(result.leaf)).toBe('signing-cert');
  });

  test('picks the end-user certificate whatever the PEM order', () => {
    expect(commonNameOf(parsed(toPem([root, intermediate, leaf])).leaf)).toBe('signing-cert');
  });

  test('reads a base-64 DER certificate (a .cer body stored as a secret)', () => {
    expect(commonNameOf(parsed(toDerBase64(leaf)).leaf)).toBe('signing-cert');
  });

  test('reads base-64 PKCS#12 with an empty password, with and without its content type', () => {
    const pfx = toPkcs12Base64(leaf, [intermediate, root]);
    expect(commonNameOf(parsed(pfx, 'application/x-pkcs12').leaf)).toBe('signing-cert');
    expect(commonNameOf(parsed(pfx).leaf)).toBe('signing-cert');
  });

  test('a wrong content type does not stop a readable certificate', () => {
    expect(commonNameOf(parsed(toDerBase64(leaf), 'application/x-pkcs12').leaf)).toBe('signing-cert');
  });

  test.each<[string, () => string]>([
    ['plain text', () => 'not a certificate at all'],
    ['an empty value', () => ''],
    ['random base-64', () => randomBytes(600).toString('base64')],
    ['a SAS URL', () => sasUrl({ account: 'contosoinvoicing', container: 'einvoicing', sp: 'racwdl', se: days(30) })],
    ['a PEM private key alone', () => leaf.privateKeyPem],
    ['a truncated PEM', () => toPem(leaf).slice(0, 300) + '\n-----END CERTIFICATE-----\n'],
  ])('%s is not a certificate, and the error does not repeat it', (_label, make) => {
    const value = make();
    const result = parseCertificateValue(value);
    expect(result).toEqual({ error: NOT_A_CERTIFICATE });
    expect(said([NOT_A_CERTIFICATE])).toEqual(['is not a certificate (PEM, DER or PKCS#12)']);
  });
});

describe('describeCertificate and checkCertificateValidity', () => {
  test('describes subject, issuer and validity as ISO dates', () => {
    const summary = describeCertificate(parsed(toPem(leaf)).leaf);
    expect(summary.subject).toContain('CN=signing-cert');
    expect(summary.issuer).toContain('CN=contoso-issuing-ca');
    expect(summary.notBefore).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(summary.notAfter).getTime()).toBeGreaterThan(now.getTime());
  });

  test('a valid certificate is ok', () => {
    expect(checkCertificateValidity(parsed(toPem(leaf)).leaf, now).outcome).toBe('ok');
  });

  test('a certificate expiring in 10 days is a warning', () => {
    const soon = makeLeaf('soon-cert', root, { notAfter: days(10) });
    const check = checkCertificateValidity(parsed(toPem(soon)).leaf, now);
    expect(check.outcome).toBe('warning');
    expect(said(check.messages)[0]).toMatch(/expires in 10 days/);
  });

  test('an expired certificate fails', () => {
    const old = makeLeaf('old-cert', root, { notBefore: days(-400), notAfter: days(-5) });
    const check = checkCertificateValidity(parsed(toPem(old)).leaf, now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages)[0]).toMatch(/old-cert expired on/);
  });

  test('a certificate not yet valid fails', () => {
    const future = makeLeaf('future-cert', root, { notBefore: days(3), notAfter: days(300) });
    const check = checkCertificateValidity(parsed(toPem(future)).leaf, now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages)[0]).toMatch(/is not valid until/);
  });
});

describe('checkChain', () => {
  const cert = (item: TestCertificate) => parsed(toPem(item)).leaf;

  test('root → intermediate → end-user is ok', () => {
    const check = checkChain([cert(root), cert(intermediate), cert(leaf)]);
    expect(check.outcome).toBe('ok');
  });

  test('the end-user certificate first is the wrong order, with the fix', () => {
    const direct = makeLeaf('signing-cert', root);
    const check = checkChain([cert(direct), cert(root)], ['signing-cert', 'contoso-root-ca']);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages)).toEqual([
      'signing-cert is not a self-signed root CA — list the chain root first, end-user certificate last',
      'contoso-root-ca is not issued by signing-cert — list the chain root first, end-user certificate last',
    ]);
  });

  test('a certificate not issued by the one before it names the broken link', () => {
    const check = checkChain([cert(root), cert(leaf)], ['contoso-root-ca', 'signing-cert']);
    expect(said(check.messages)).toEqual(['signing-cert is not issued by contoso-root-ca — list the chain root first, end-user certificate last']);
  });

  test('an impostor CA with the same name fails the signature check', () => {
    const impostor = makeCa('contoso-root-ca');
    const direct = makeLeaf('signing-cert', root);
    const check = checkChain([cert(impostor), cert(direct)], ['contoso-root-ca', 'signing-cert']);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages)[0]).toMatch(/signing-cert's signature does not verify with contoso-root-ca's key/);
  });

  test('an end-user certificate cannot issue the next one', () => {
    const child = makeLeaf('child-cert', leaf);
    expect(checkChain([cert(root), cert(intermediate), cert(leaf), cert(child)]).outcome).toBe('failed');
  });

  test('an empty chain fails', () => {
    expect(checkChain([]).outcome).toBe('failed');
  });
});
