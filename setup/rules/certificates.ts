/**
 * Certificate items: parse the value Key Vault holds for a certificate (PEM, base-64 DER, or the
 * base-64 PKCS#12 Key Vault exposes through a certificate's secret), describe it, check its
 * validity, and check that a chain is ordered root CA first, end-user certificate last.
 * Pure: no I/O. A private key in the value is never kept: only the public certificates are.
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { CheckOutcome } from '../model/verification.js';
import { domainMessage, type DomainMessage } from '../model/messages.js';

export const NOT_A_CERTIFICATE: DomainMessage = domainMessage('certificate.notCertificate');
export const CERTIFICATE_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Key Vault's content types for a certificate's secret. */
export const PKCS12_CONTENT_TYPE = 'application/x-pkcs12';
export const PEM_CONTENT_TYPE = 'application/x-pem-file';

export interface ParsedCertificates {
  /** The end-user certificate: the one that issued none of the others. */
  leaf: X509Certificate;
  /** Every certificate the value holds, in the order found. */
  all: X509Certificate[];
}

export type CertificateParse = ParsedCertificates | { error: DomainMessage };

export interface CertificateSummary {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
}

export interface CertificateCheck {
  outcome: CheckOutcome;
  messages: DomainMessage[];
}

type Format = 'pem' | 'der' | 'pkcs12';
type Reader = (value: string) => X509Certificate[];

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

function readPem(value: string): X509Certificate[] {
  return (value.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

function base64Bytes(value: string): Buffer {
  if (!BASE64.test(value)) throw new Error('not base-64');
  return Buffer.from(value.replace(/\s+/g, ''), 'base64');
}

function readDer(value: string): X509Certificate[] {
  return [new X509Certificate(base64Bytes(value))];
}

function pfxWithEmptyPassword(der: forge.util.ByteStringBuffer): forge.pkcs12.Pkcs12Pfx {
  const asn1 = forge.asn1.fromDer(der);
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, '');
  } catch {
    // Some tools compute the MAC over a null password rather than an empty one.
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, undefined);
  }
}

function readPkcs12(value: string): X509Certificate[] {
  const der = forge.util.createBuffer(base64Bytes(value).toString('binary'));
  const bags = pfxWithEmptyPassword(der).getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  return bags.map((bag) => {
    // node-forge decodes RSA certificates only; others come back as raw ASN.1.
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
    return new X509Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  });
}

const READERS: Record<Format, Reader> = { pem: readPem, der: readDer, pkcs12: readPkcs12 };

function formatsToTry(value: string, contentType: string | undefined): Format[] {
  const type = contentType?.trim().toLowerCase();
  if (type === PKCS12_CONTENT_TYPE) return ['pkcs12', 'der', 'pem'];
  if (type === PEM_CONTENT_TYPE || value.includes('-----BEGIN')) return ['pem', 'der', 'pkcs12'];
  return ['der', 'pkcs12', 'pem'];
}

/** The certificate that issued none of the others (the first such, or the first of all). */
export function leafOf(certificates: readonly X509Certificate[]): X509Certificate {
  const issuesAnother = (candidate: X509Certificate): boolean =>
    certificates.some((other) => other !== candidate && !isSelfIssued(other) && other.checkIssued(candidate));
  return certificates.find((candidate) => !issuesAnother(candidate)) ?? certificates[0];
}

/**
 * Parses a certificate item's value. `contentType` (Key Vault's, when set) decides the format
 * tried first. The error never repeats the value.
 */
export function parseCertificateValue(value: string, contentType?: string): CertificateParse {
  const trimmed = value.trim();
  if (trimmed === '') return { error: NOT_A_CERTIFICATE };
  for (const format of formatsToTry(trimmed, contentType)) {
    try {
      const all = READERS[format](trimmed);
      if (all.length > 0) return { leaf: leafOf(all), all };
    } catch {
      // not this format: try the next
    }
  }
  return { error: NOT_A_CERTIFICATE };
}

export function isCertificateParseError(parsed: CertificateParse): parsed is { error: DomainMessage } {
  return 'error' in parsed;
}

/** A distinguished name on one line: "C=US, O=Contoso, CN=signing-cert". */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/** The certificate's CN, or its whole subject when it has none. */
export function commonNameOf(certificate: X509Certificate): string {
  const cn = certificate.subject.split('\n').find((part) => part.startsWith('CN='));
  return cn ? cn.slice(3) : oneLine(certificate.subject);
}

function isSelfIssued(certificate: X509Certificate): boolean {
  return certificate.checkIssued(certificate);
}

export function validityOf(certificate: X509Certificate): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
}

export function describeCertificate(certificate: X509Certificate): CertificateSummary {
  const { notBefore, notAfter } = validityOf(certificate);
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
  };
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Expired or not yet valid → failed; expiring within 30 days → warning. */
export function checkCertificateValidity(certificate: X509Certificate, now: Date): CertificateCheck {
  const { notBefore, notAfter } = validityOf(certificate);
  const subject = commonNameOf(certificate);
  if (notAfter.getTime() <= now.getTime()) {
    return { outcome: 'failed', messages: [domainMessage('certificate.expired', { subject, day: day(notAfter) })] };
  }
  if (notBefore.getTime() > now.getTime()) {
    return { outcome: 'failed', messages: [domainMessage('certificate.notYetValid', { subject, start: notBefore.toISOString() })] };
  }
  const days = Math.ceil((notAfter.getTime() - now.getTime()) / DAY_MS);
  if (days <= CERTIFICATE_EXPIRY_WARNING_DAYS) {
    return { outcome: 'warning', messages: [domainMessage('certificate.expiresSoon', { subject, days, day: day(notAfter) })] };
  }
  return { outcome: 'ok', messages: [domainMessage('certificate.valid', { subject, day: day(notAfter) })] };
}

function signedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function linkProblem(child: X509Certificate, parent: X509Certificate, childName: string, parentName: string): DomainMessage | undefined {
  if (!child.checkIssued(parent)) return domainMessage('chain.notIssuedBy', { child: childName, parent: parentName });
  if (!signedBy(child, parent)) return domainMessage('chain.signature', { child: childName, parent: parentName });
  if (!parent.ca) return domainMessage('chain.notCa', { child: childName, parent: parentName });
  return undefined;
}

/**
 * Checks a chain given root first: the root is self-signed, and each certificate is issued by
 * (and its signature verifies with) the one before it. `names` label the certificates in
 * messages (the Key Vault item names); their common names by default.
 */
export function checkChain(certificates: readonly X509Certificate[], names: readonly string[] = certificates.map(commonNameOf)): CertificateCheck {
  if (certificates.length === 0) return { outcome: 'failed', messages: [domainMessage('chain.empty')] };
  const messages: DomainMessage[] = [];
  const [root] = certificates;
  if (!isSelfIssued(root) || !signedBy(root, root)) {
    messages.push(domainMessage('chain.notRoot', { name: names[0] }));
  }
  for (let index = 1; index < certificates.length; index++) {
    const problem = linkProblem(certificates[index], certificates[index - 1], names[index], names[index - 1]);
    if (problem) messages.push(problem);
  }
  if (messages.length > 0) return { outcome: 'failed', messages };
  return { outcome: 'ok', messages: [domainMessage('chain.inOrder', { names: names.join(' → ') })] };
}
