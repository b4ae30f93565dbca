import { createSign, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { sasUrl } from '../harness/certificates.js';

/** A Blob SAS URL as an admin would copy it from the portal (signature included). */
export const SAS_URL = sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() + 90 * 24 * 3600_000) });

/** A freshly generated PEM private key. */
export const PEM_PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomKeyText(length: number, chars = KEY_CHARS): string {
  return [...randomBytes(length)].map((byte) => chars[byte % chars.length]).join('');
}

/** An Entra ID client secret as the portal shows it once: 3 characters, a digit, `Q~`, 34 more. */
export const CLIENT_SECRET = `${randomKeyText(3)}${randomInt(10)}Q~${randomKeyText(34, `${KEY_CHARS}_~.-`)}`;

/** A storage account connection string with its account key. */
export const STORAGE_ACCOUNT_KEY = randomBytes(64).toString('base64');
export const CONNECTION_STRING = `DefaultEndpointsProtocol=https;AccountName=contosoeinv;AccountKey=${STORAGE_ACCOUNT_KEY};EndpointSuffix=core.windows.net`;

/** A signed access token (header, claims, RS256 signature), as copied from a browser's dev tools. */
export const ACCESS_TOKEN = (() => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: randomKeyText(12) })}.${encode({ aud: 'https://vault.azure.net', oid: randomKeyText(8), exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
})();

/** The part of each secret that must never be seen again once pasted (JSON escaping aside). */
export const SECRET_CORES: Record<string, string> = {
  'a SAS URL': new URL(SAS_URL).searchParams.get('sig') ?? SAS_URL,
  'a client secret': CLIENT_SECRET,
  'a connection string': STORAGE_ACCOUNT_KEY.slice(0, 40),
  'an access token (JWT)': ACCESS_TOKEN.split('.')[2],
};

/** Each kind of secret someone might paste as a command argument. */
export const PASTED_SECRETS: Record<string, string> = {
  'a SAS URL': SAS_URL,
  'a client secret': CLIENT_SECRET,
  'a connection string': CONNECTION_STRING,
  'an access token (JWT)': ACCESS_TOKEN,
};
