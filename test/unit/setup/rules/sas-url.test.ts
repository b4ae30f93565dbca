import { checkSas, isSasParseError, missingSasPermissions, parseBlobSasUrl, type ParsedBlobSas } from '../../../../setup/rules/sas-url.js';
import { sasSignatureOf, sasUrl } from '../../../harness/certificates.js';
import { sayAll } from '../../../../cards/words/domain-message.js';
import { ENGLISH } from '../../../../i18n/translations.js';
import type { DomainText } from '../../../../setup/model/messages.js';

/** Findings said in English, as a reader of the English catalog sees them. */
const said = (texts: readonly DomainText[]): string[] => sayAll(ENGLISH, texts);

const now = new Date('2026-06-01T12:00:00Z');
const days = (count: number): Date => new Date(now.getTime() + count * 24 * 60 * 60 * 1000);
const base = { account: 'contosoinvoicing', container: 'einvoicing', sp: 'racwdl', se: days(200) };

function parsed(url: string): ParsedBlobSas {
  const result = parseBlobSasUrl(url);
  if (isSasParseError(result)) throw new Error(`unexpected parse error: ${said([result.error])[0]}`);
  return result;
}

describe('parseBlobSasUrl', () => {
  test('reads account, container, permissions and dates of a container SAS URL', () => {
    const result = parsed(sasUrl({ ...base, st: days(-1) }));
    expect(result).toMatchObject({ account: 'contosoinvoicing', container: 'einvoicing', permissions: 'racwdl', https: true, pointsAtBlob: false });
    expect(result.expiresOn).toEqual(days(200));
    expect(result.startsOn).toBeInstanceOf(Date);
  });

  test.each(['blob.core.chinacloudapi.cn', 'blob.core.usgovcloudapi.net'])('accepts the sovereign blob endpoint %s', (hostSuffix) => {
    expect(parsed(sasUrl({ ...base, hostSuffix })).account).toBe('contosoinvoicing');
  });

  test.each<[string, string]>([
    ['not a URL', 'racwdl einvoicing'],
    ['a file share URL', 'https://contosoinvoicing.file.core.windows.net/share?sp=r&sig=abc'],
    ['another host', 'https://example.com/einvoicing?sp=r&sig=abc'],
    ['a Key Vault URL', 'https://contoso.vault.azure.net/secrets/x'],
  ])('refuses %s as "not a Blob storage URL / not a URL"', (_label, value) => {
    const result = parseBlobSasUrl(value);
    expect(isSasParseError(result) && said([result.error])[0]).toMatch(/^is not a (Blob storage )?URL/);
  });

  test('refuses a blob URL without a SAS token', () => {
    const result = parseBlobSasUrl('https://contosoinvoicing.blob.core.windows.net/einvoicing');
    expect(isSasParseError(result) && said([result.error])[0]).toMatch(/no SAS token/);
  });

  test('refuses an expiry that is not a date', () => {
    const result = parseBlobSasUrl('https://contosoinvoicing.blob.core.windows.net/einvoicing?sp=racwdl&se=soon&sig=abc');
    expect(isSasParseError(result) && said([result.error])[0]).toMatch(/se\) that is not a date/);
  });

  test('errors never repeat the value or its signature', () => {
    const url = sasUrl({ ...base, hostSuffix: 'table.core.windows.net' });
    const result = parseBlobSasUrl(url);
    expect(JSON.stringify(result)).not.toContain(sasSignatureOf(url));
    expect(JSON.stringify(result)).not.toContain('contosoinvoicing');
  });
});

describe('checkSas', () => {
  test('a racwdl container SAS expiring in 200 days is ok', () => {
    const check = checkSas(parsed(sasUrl(base)), now);
    expect(check.outcome).toBe('ok');
    expect(said(check.messages).join(' ')).toContain('expires on');
  });

  test('an expired SAS fails', () => {
    const check = checkSas(parsed(sasUrl({ ...base, se: days(-2) })), now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages).join(' ')).toMatch(/expired on \d{4}-\d{2}-\d{2}/);
  });

  test('a SAS expiring in 10 days is a warning', () => {
    const check = checkSas(parsed(sasUrl({ ...base, se: days(10) })), now);
    expect({ outcome: check.outcome, messages: said(check.messages) }).toEqual({ outcome: 'warning', messages: expect.arrayContaining([expect.stringMatching(/^expires in 10 days/)]) });
  });

  test('a SAS missing d says "missing Delete (d)"', () => {
    const check = checkSas(parsed(sasUrl({ ...base, sp: 'racwl' })), now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages).join(' ')).toContain('missing Delete (d)');
  });

  test('every missing permission is named', () => {
    expect(missingSasPermissions('rl')).toEqual(['Add (a)', 'Create (c)', 'Write (w)', 'Delete (d)']);
  });

  test('a SAS on the account root fails', () => {
    const check = checkSas(parsed(sasUrl({ ...base, container: '' })), now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages).join(' ')).toMatch(/root of account contosoinvoicing, not a container/);
  });

  test('a SAS on a blob path fails', () => {
    const check = checkSas(parsed(sasUrl({ ...base, blobPath: 'folder/file.xml', sr: 'b' })), now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages).join(' ')).toMatch(/single blob in container einvoicing/);
  });

  test('an http SAS URL fails', () => {
    const check = checkSas(parsed(sasUrl({ ...base, scheme: 'http' })), now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages).join(' ')).toMatch(/must start with https/);
  });

  test('a SAS granting no permissions says it grants nothing and what is missing', () => {
    const check = checkSas(parsed('https://contosoinvoicing.blob.core.windows.net/einvoicing?sr=c&se=2026-12-01&sig=abc'), now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages)).toContain(
      'grants nothing: missing Read (r), Add (a), Create (c), Write (w), Delete (d), List (l). Generate it with Read, Add, Create, Write, Delete and List (racwdl)',
    );
  });

  test('a SAS without an expiry fails', () => {
    const check = checkSas(parsed('https://contosoinvoicing.blob.core.windows.net/einvoicing?sp=racwdl&sr=c&sig=abc'), now);
    expect(check.outcome).toBe('failed');
    expect(said(check.messages)).toContain('has no expiry (se)');
  });

  test('messages carry account, container, permissions and dates only: never the signature or the URL', () => {
    const urls = [sasUrl(base), sasUrl({ ...base, se: days(-1), sp: 'rl', scheme: 'http' }), sasUrl({ ...base, blobPath: 'x.xml' })];
    for (const url of urls) {
      const check = checkSas(parsed(url), now);
      const text = `${JSON.stringify(check)} ${said(check.messages).join(' ')}`;
      expect(text).not.toContain(sasSignatureOf(url));
      expect(text).not.toContain(encodeURIComponent(sasSignatureOf(url)));
      expect(text).not.toContain('blob.core.windows.net/einvoicing?');
    }
  });
});
