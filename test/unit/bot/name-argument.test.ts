import { checkNameArgument } from '../../../bot/name-argument.js';
import { ENVIRONMENT_NAME_MAX } from '../../../setup/rules/validation.js';
import { PASTED_SECRETS, PEM_PRIVATE_KEY } from '../../security/secret-samples.js';

describe('checkNameArgument: the gate before a command quotes a name back', () => {
  test.each(['contoso-uat', 'Contoso EInvoicing 2026', 'fabrikam-prod-westeurope', 'a'.repeat(ENVIRONMENT_NAME_MAX)])('accepts the name %s as it is (trimmed)', (name) => {
    expect(checkNameArgument('show', `  ${name} `)).toEqual({ ok: true, name });
  });

  test.each([...Object.entries(PASTED_SECRETS), ['a PEM private key', PEM_PRIVATE_KEY]])('refuses %s without repeating it', (_kind, secret) => {
    for (const verb of ['show', 'verify', 'history', 'change', 'retire']) {
      const check = checkNameArgument(verb, secret);
      expect(check).toMatchObject({ ok: false, reason: 'secret' });
      const text = check.ok ? '' : check.text;
      expect(text).toMatch(/looked like a secret value/);
      expect(text).toContain(`**${verb} contoso-uat**`);
      expect(text).not.toContain(secret.slice(-20));
    }
  });

  test('a name longer than any environment name is refused without being quoted', () => {
    const long = `contoso-${'x'.repeat(ENVIRONMENT_NAME_MAX)}`;
    const check = checkNameArgument('history', long);
    expect(check).toMatchObject({ ok: false, reason: 'too_long' });
    expect(check.ok ? '' : check.text).not.toContain('xxxxxxxxxx');
    expect(check.ok ? '' : check.text).toContain(String(ENVIRONMENT_NAME_MAX));
  });
});
