/**
 * Test certificates and SAS URLs, made at run time: no key, certificate or signature sits in the
 * repository. Keys come from node:crypto (fast); node-forge builds and signs the certificates.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TestCertificate {
  name: string;
  certificate: forge.pki.Certificate;
  privateKey: forge.pki.rsa.PrivateKey;
  privateKeyPem: string;
}

export interface LeafOptions {
  notBefore?: Date;
  notAfter?: Date;
  /** Make it an intermediate CA. */
  isCa?: boolean;
  /** DNS names and IP addresses for a TLS server certificate. */
  dnsNames?: string[];
  ipAddresses?: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function newKeys(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    privateKeyPem: privateKey,
  };
}

function serial(): string {
  // positive: a leading byte below 0x80
  return `01${randomBytes(15).toString('hex')}`;
}

function build(
  name: string,
  issuer: TestCertificate | undefined,
  options: LeafOptions & { isCa: boolean },
): TestCertificate {
  const keys = newKeys();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = serial();
  certificate.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  certificate.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  const subject = [
    { name: 'commonName', value: name },
    { name: 'organizationName', value: 'Contoso Test' },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(issuer ? issuer.certificate.subject.attributes : subject);
  const altNames = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(options.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  certificate.setExtensions([
    { name: 'basicConstraints', cA: options.isCa, critical: true },
    options.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ...(options.isCa ? [] : [{ name: 'extKeyUsage', serverAuth: true, clientAuth: true }]),
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(issuer ? issuer.privateKey : keys.privateKey, forge.md.sha256.create());
  return { name, certificate, privateKey: keys.privateKey, privateKeyPem: keys.privateKeyPem };
}

/** A self-signed root CA. */
export function makeCa(name: string, options: Pick<LeafOptions, 'notBefore' | 'notAfter'> = {}): TestCertificate {
  return build(name, undefined, { ...options, isCa: true });
}

/** A certificate issued by `issuer` (an end-user certificate unless `isCa`). */
export function makeLeaf(name: string, issuer: TestCertificate, options: LeafOptions = {}): TestCertificate {
  return build(name, issuer, { ...options, isCa: options.isCa ?? false });
}

/** PEM of one or more certificates, optionally preceded by a private key (Key Vault's PEM shape). */
export function toPem(certificates: TestCertificate | TestCertificate[], options: { withKey?: boolean } = {}): string {
  const list = Array.isArray(certificates) ? certificates : [certificates];
  const key = options.withKey ? forge.pki.privateKeyToPem(list[0].privateKey) : '';
  return key + list.map((item) => forge.pki.certificateToPem(item.certificate)).join('');
}

/** Base-64 DER: a public `.cer` body as stored in a secret. */
export function toDerBase64(certificate: TestCertificate): string {
  return forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate.certificate)).getBytes());
}

/** Base-64 PKCS#12 with an empty password: how Key Vault exposes a certificate through its secret. */
export function toPkcs12Base64(certificate: TestCertificate, chain: TestCertificate[] = []): string {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    certificate.privateKey,
    [certificate.certificate, ...chain.map((item) => item.certificate)],
    '',
    { algorithm: '3des', generateLocalKeyId: true, friendlyName: certificate.name },
  );
  return forge.util.encode64(forge.asn1.toDer(asn1).getBytes());
}

export interface SasUrlOptions {
  account: string;
  container: string;
  sp: string;
  se: Date;
  st?: Date;
  /** Defaults to blob.core.windows.net. */
  hostSuffix?: string;
  scheme?: 'https' | 'http';
  /** Extra path after the container (a blob). */
  blobPath?: string;
  /** `sr`; c by default. */
  sr?: string;
}

function sasTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A realistic container SAS URL with a random signature. */
export function sasUrl(options: SasUrlOptions): string {
  const query = new URLSearchParams();
  query.set('sp', options.sp);
  if (options.st) query.set('st', sasTime(options.st));
  query.set('se', sasTime(options.se));
  query.set('spr', 'https');
  query.set('sv', '2022-11-02');
  query.set('sr', options.sr ?? 'c');
  query.set('sig', randomBytes(32).toString('base64'));
  const host = `${options.account}.${options.hostSuffix ?? 'blob.core.windows.net'}`;
  const path = [options.container, options.blobPath].filter(Boolean).join('/');
  return `${options.scheme ?? 'https'}://${host}/${path}?${query.toString()}`;
}

/** The signature of a SAS URL as it travels (decoded), for sentinel checks. */
export function sasSignatureOf(url: string): string {
  return new URL(url).searchParams.get('sig') ?? '';
}
