import { generateKeyPairSync } from 'node:crypto';
import { sasUrl } from '../harness/certificates.js';

/** A Blob SAS URL as an admin would copy it from the portal (signature included). */
export const SAS_URL = sasUrl({ account: 'contosoeinv', container: 'einvoicing', sp: 'racwdl', se: new Date(Date.now() + 90 * 24 * 3600_000) });

/** A freshly generated PEM private key. */
export const PEM_PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
