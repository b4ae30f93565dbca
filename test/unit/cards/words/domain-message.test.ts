/**
 * Every code the domain may say has English words, every English domain message is a code, and
 * each formats with its parameters; messages inside messages and lists of them are said in the
 * reader's words; a record written before the domain spoke in codes is shown as it is.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { DOMAIN_KEYS, keyOf, say, sayAll, sayText } from '../../../../cards/words/domain-message.js';
import { ENGLISH, ENGLISH_MESSAGES, Translations } from '../../../../i18n/translations.js';
import { PSEUDO_CLOSE, PSEUDO_OPEN } from '../../../../i18n/pseudo.js';
import { DOMAIN_CODES, domainMessage, type DomainCode, type DomainParam } from '../../../../setup/model/messages.js';
import { vaultNameProblems } from '../../../../setup/rules/field-rules.js';

/** A value for each argument of an English message: a select's first option, a number for a plural. */
function sampleValues(elements: MessageFormatElement[], values: Record<string, DomainParam> = {}): Record<string, DomainParam> {
  for (const element of elements) {
    if (element.type === TYPE.argument) values[element.value] ??= `‹${element.value}›`;
    if (element.type === TYPE.number) values[element.value] = 3;
    if (element.type === TYPE.select) {
      values[element.value] ??= Object.keys(element.options)[0];
      for (const option of Object.values(element.options)) sampleValues(option.value, values);
    }
    if (element.type === TYPE.plural) {
      values[element.value] = 3;
      for (const option of Object.values(element.options)) sampleValues(option.value, values);
    }
  }
  return values;
}

const failures: string[] = [];
const words = new Translations({ missingKeys: () => undefined, formatFailed: (_language, key) => failures.push(key) }).for('en');

describe('domain codes and their English', () => {
  const table: [DomainCode, string][] = DOMAIN_CODES.map((code) => [code, ENGLISH_MESSAGES[keyOf(code)]]);

  test.each(table)('%s has an English message that says every parameter it is given', (code, english) => {
    expect(typeof english).toBe('string');
    const params = sampleValues(parse(english, { ignoreTag: true }));
    failures.length = 0;
    const said = say(words, domainMessage(code, params));
    expect(failures).toEqual([]);
    expect(said.trim()).not.toBe('');
    expect(said).not.toContain('{');
    for (const [name, value] of Object.entries(params)) {
      if (typeof value === 'string' && value.startsWith('‹')) expect([name, said.includes(value)]).toEqual([name, true]);
    }
  });

  test('every English domain message is a code (no message without a code saying it)', () => {
    const english = Object.keys(ENGLISH_MESSAGES).filter((key) => key.startsWith('domain.'));
    expect(new Set(english)).toEqual(new Set(DOMAIN_KEYS));
    expect(DOMAIN_KEYS).toHaveLength(new Set(DOMAIN_KEYS).size);
  });
});

describe('say', () => {
  test('fills the parameters', () => {
    expect(say(ENGLISH, domainMessage('refusal.noRequest', { id: 'SR-0042' }))).toBe('There is no request SR-0042.');
  });

  test('says a message given as a parameter first, and a list of them the reader\'s way', () => {
    const problems = vaultNameProblems('--');
    const message = domainMessage('field.vaultUri.badName', { problems, example: 'https://contoso.vault.azure.net/' });
    expect(say(ENGLISH, message)).toBe(
      'The vault name must be 3 to 24 characters long (it has 2), start with a letter, not contain two hyphens in a row, and not end with a hyphen. Use the vault\'s URI, like https://contoso.vault.azure.net/',
    );
  });

  test('goes through the catalog: the pseudo-locale brackets the message and the messages inside it', () => {
    const pseudo = new Translations().for('qps-ploc');
    const said = say(pseudo, domainMessage('field.url.withExample', { problem: domainMessage('field.url.noHost'), address: 'dataverse', example: 'https://x' }));
    expect(said.startsWith(PSEUDO_OPEN)).toBe(true);
    expect(said.split(PSEUDO_OPEN)).toHaveLength(3);
    expect(said.endsWith(PSEUDO_CLOSE)).toBe(true);
    expect(said).toContain('https://x');
  });

  test('chooses by select and plural parameters', () => {
    expect(say(ENGLISH, domainMessage('environment.notRecorded', { name: 'contoso', verb: 'retire' }))).toBe(
      'No service environment named "contoso" is recorded, so there is nothing to retire. Type **environments** to list them.',
    );
    expect(say(ENGLISH, domainMessage('listEdit.tooMany', { max: 5, list: 'numberSequences' }))).toBe('A request holds at most 5 number sequences.');
  });
});

describe('stored findings', () => {
  test('an old record\'s English sentence is shown as it is; a message is said', () => {
    expect(sayText(ENGLISH, 'Recorded as Not published.')).toBe('Recorded as Not published.');
    expect(sayAll(ENGLISH, ['Status: Published.', domainMessage('step.recordedAs', { status: 'Not published' })])).toEqual(['Status: Published.', 'Recorded as Not published.']);
  });

  test("an environment's status inside a finding is said in the reader's words, as Finance shows it", async () => {
    const { environmentStatusMessage } = await import('../../../../setup/registry/registry.js');
    const german = new Translations({ missingKeys: () => undefined, formatFailed: () => undefined }).for('de-DE');
    expect(say(german, domainMessage('step.recordedAs', { status: environmentStatusMessage('Not published') }))).toBe('Erfasst als Nicht veröffentlicht.');
    expect(say(ENGLISH, domainMessage('step.status', { status: environmentStatusMessage('Published') }))).toBe('Status: Published.');
  });

  test('a message survives the store (plain JSON) and is said the same afterwards', () => {
    const message = domainMessage('step.conflict.changedBy', { environment: 'Contoso-UAT', version: 3, base: 2, by: 'SR-0007' });
    const stored = JSON.parse(JSON.stringify(message)) as typeof message;
    expect(say(ENGLISH, stored)).toBe(say(ENGLISH, message));
    expect(say(ENGLISH, stored)).toBe('Not applied: Contoso-UAT is at version 3, not 2: it was changed by SR-0007 after this request was built.');
  });
});

describe('command keywords', () => {
  test('no English reply or domain message writes a command keyword as a word: each is a value a translation cannot change', () => {
    const keyword = /\b(?:type|Type|press|run|Run)\s+\**(setup|cancel|environments|history|show|change|retire|verify|notify|status|help)\b|\*\*(setup|cancel|environments|history|show|change|retire|verify|notify|status|help)\b/;
    const literal = Object.entries(ENGLISH_MESSAGES).filter(([key, message]) => (key.startsWith('replies.') || key.startsWith('domain.')) && keyword.test(message));
    expect(literal).toEqual([]);
  });

  test('the keywords are filled in by say', () => {
    expect(say(ENGLISH, domainMessage('environment.retired', { name: 'contoso-uat' }))).toBe(
      'contoso-uat is retired: it can no longer be changed (its history stays: type **history contoso-uat**).',
    );
  });
});
