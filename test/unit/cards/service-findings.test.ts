/** Every code the access check can produce has words; the lines put problems first and keep fixes whole. */
import { readdirSync, readFileSync } from 'node:fs';
import { serviceAccessValues } from '../../../cards/service-findings/service-access.js';
import { serviceFindingText } from '../../../cards/service-findings/index.js';
import { itemUseSummary, serviceUseLines } from '../../../cards/service-use-words.js';
import { serviceUseMessages } from '../../../setup/service-access/service-use-lines.js';
import type { ServiceUse } from '../../../setup/model/verification.js';
import { ENGLISH } from '../../../i18n/translations.js';

const SOURCES = [...readdirSync('setup/service-access').map((file) => `setup/service-access/${file}`), 'setup/service-access/service-use-verifier.ts'];

describe('words for the access findings', () => {
  const produced = new Set(SOURCES.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'((?:principal|vault|access|network|storage)\.[a-zA-Z]+)'/g)].map((match) => match[1])));

  test('the domain produces codes (the scan found them)', () => {
    expect(produced.size).toBeGreaterThan(25);
  });

  test.each([...produced].map((code) => [code]))('%s has English words', (code) => {
    expect(Object.hasOwn(serviceAccessValues, code)).toBe(true);
    const text = serviceFindingText({ code, outcome: 'failed', params: { vault: 'contoso-einvoicing', account: 'contosoeinv', container: 'einvoicing', reason: 'forbidden' } }, ENGLISH);
    expect(text).not.toBe(code);
    expect(text).not.toMatch(/undefined|\$\{/);
  });
});

describe('lines', () => {
  const fix = 'az keyvault set-policy --name contoso-einvoicing --object-id 5b0f3c1e-7d2a-4e8f-9a61-0c3d2e1f4a5b --secret-permissions get list --certificate-permissions get list';
  const use: ServiceUse = {
    outcome: 'failed',
    findings: [
      { code: 'principal.found', outcome: 'ok' as const, params: { objectId: 'x' } },
      { code: 'vault.notChecked', outcome: 'notChecked' as const, params: { vault: 'v', reason: 'forbidden' } },
      { code: 'access.policyMissing', outcome: 'failed' as const, params: { vault: 'contoso-einvoicing', missing: 'Get and List on certificates' }, fix },
      { code: 'access.itemDenied', outcome: 'failed' as const, params: { missing: 'get on secrets' }, fix },
    ],
  };

  test('problems first (❌ then ⚠️), each failed one followed by its whole fix; item summaries left to the item line', () => {
    const lines = serviceUseLines(use, ENGLISH, { problemsOnly: true });
    expect(lines).toEqual([
      "❌ Failed · Electronic invoicing can't read contoso-einvoicing: its access policy lacks Get and List on certificates.",
      `Fix: ${fix}`,
      expect.stringMatching(/^⚠️ Not checked · Electronic invoicing's access to v and its firewall: Azure Resource Graph refused setupbot's identity\. Grant setupbot's identity Reader/),
    ]);
  });

  test('the domain keeps the lines as codes, the fix marked whole (the card never shortens it)', () => {
    const messages = serviceUseMessages(use, { problemsOnly: true });
    expect(messages.map((message) => [message.code, message.whole ?? false])).toEqual([
      ['serviceUse.findingLine', false],
      ['serviceUse.fix', true],
      ['serviceUse.findingLine', false],
    ]);
    expect(JSON.stringify(messages)).not.toMatch(/Electronic invoicing|Fix:/);
  });

  test("an item's own line says whether Electronic invoicing can use it", () => {
    expect(itemUseSummary(use, ENGLISH)).toBe("Electronic invoicing: ❌ Failed, can't use it (missing get on secrets), but see the findings above");
    expect(itemUseSummary({ outcome: 'ok', findings: [{ code: 'access.itemUsable', outcome: 'ok', params: {} }] }, ENGLISH)).toBe('Electronic invoicing: ✅ OK, can use it');
    expect(itemUseSummary(undefined, ENGLISH)).toBe('');
  });

  test("an item whose access is fine but which the service still can't use (a refused SAS) says the worse", () => {
    const refusedSas: ServiceUse = {
      outcome: 'failed',
      findings: [
        { code: 'access.itemUsable', outcome: 'ok', params: { item: 'storage-sas-token' } },
        { code: 'sas.signatureRejected', outcome: 'failed', params: { account: 'contosoinvoicing' } },
      ],
    };
    expect(itemUseSummary(refusedSas, ENGLISH)).toBe("Electronic invoicing: ❌ Failed, can't use it as it is (see above)");
  });
});
