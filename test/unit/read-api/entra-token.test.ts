import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { EntraTokenVerifier } from '../../../read-api/entra-token.js';
import { ManualClock } from '../../fixtures/clocks.js';

const TENANT = '99999999-8888-4777-8666-555555555555';
const AUDIENCE = 'api://setupbot.contoso.com/botid-11111111-2222-4333-8444-555555555555';
const METADATA = 'https://login.example/{tenantid}/v2.0/.well-known/openid-configuration';

function signingKey(): { kid: string; privateKey: ReturnType<typeof generateKeyPairSync>['privateKey']; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const exported = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, jwk: { kty: 'RSA', use: 'sig', kid, n: exported.n, e: exported.e } };
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function sign(key: ReturnType<typeof signingKey>, clock: ManualClock, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const input = unsigned(key, clock, claims, header);
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url')}`;
}

/** Header and claims of a good token (no signature yet). */
function unsigned(key: ReturnType<typeof signingKey>, clock: ManualClock, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  const now = Math.floor(clock.now().getTime() / 1000);
  return `${encode({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${encode({
    aud: AUDIENCE,
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    tid: TENANT,
    oid: '00000000-0000-4000-8000-000000000001',
    scp: 'access_as_user',
    name: 'Ada Approver',
    iat: now,
    nbf: now,
    exp: now + 3600,
    ...claims,
  })}`;
}

/** Entra's metadata and keys as a fetchJson that can fail or rotate keys. */
class FakeEntra {
  keys = [signingKey()];
  down = false;
  issuer = `https://login.microsoftonline.com/${TENANT}/v2.0`;
  readonly fetched: string[] = [];
  fetchJson = async (url: string): Promise<unknown> => {
    this.fetched.push(url);
    if (this.down) throw new Error('connect ECONNREFUSED');
    if (url.endsWith('/openid-configuration')) return { issuer: this.issuer, jwks_uri: `https://login.example/${TENANT}/discovery/v2.0/keys` };
    return { keys: this.keys.map((key) => key.jwk) };
  };
}

function verifier(entra: FakeEntra, clock: ManualClock): EntraTokenVerifier {
  return new EntraTokenVerifier({ metadataUrl: METADATA, audiences: [AUDIENCE], allowedTenants: [TENANT], fetchJson: entra.fetchJson, clock });
}

describe('EntraTokenVerifier', () => {
  test('accepts a good token and names the user from it', async () => {
    const clock = new ManualClock();
    const entra = new FakeEntra();
    const result = await verifier(entra, clock).verify(`Bearer ${sign(entra.keys[0], clock)}`);
    expect(result).toEqual({ ok: true, user: { objectId: '00000000-0000-4000-8000-000000000001', tenantId: TENANT, name: 'Ada Approver' } });
    expect(entra.fetched[0]).toBe(`https://login.example/${TENANT}/v2.0/.well-known/openid-configuration`);
  });

  test('unreachable keys are "keys_unavailable" (not the caller’s fault), and are fetched again next time', async () => {
    const clock = new ManualClock();
    const entra = new FakeEntra();
    const subject = verifier(entra, clock);
    entra.down = true;
    expect(await subject.verify(`Bearer ${sign(entra.keys[0], clock)}`)).toMatchObject({ ok: false, failure: 'keys_unavailable', detail: expect.stringContaining('ECONNREFUSED') });
    entra.down = false;
    expect(await subject.verify(`Bearer ${sign(entra.keys[0], clock)}`)).toMatchObject({ ok: true });
  });

  test('a rolled-over signing key is picked up once the cached keys are older than five minutes', async () => {
    const clock = new ManualClock();
    const entra = new FakeEntra();
    const subject = verifier(entra, clock);
    expect(await subject.verify(`Bearer ${sign(entra.keys[0], clock)}`)).toMatchObject({ ok: true });
    const rolled = signingKey();
    entra.keys.push(rolled);
    // an unknown key id right after a fetch: no refetch storm, the signature is refused
    expect(await subject.verify(`Bearer ${sign(rolled, clock)}`)).toEqual({ ok: false, failure: 'bad_signature' });
    clock.advance(6 * 60_000);
    expect(await subject.verify(`Bearer ${sign(rolled, clock)}`)).toMatchObject({ ok: true });
    expect(entra.fetched.filter((url) => url.endsWith('/keys'))).toHaveLength(2);
  });

  test('metadata naming a non-v2 issuer is refused as a configuration problem', async () => {
    const clock = new ManualClock();
    const entra = new FakeEntra();
    entra.issuer = `https://sts.windows.net/${TENANT}/`;
    expect(await verifier(entra, clock).verify(`Bearer ${sign(entra.keys[0], clock)}`)).toMatchObject({ ok: false, failure: 'keys_unavailable', detail: expect.stringContaining('not a v2 issuer') });
  });

  test('the clock decides expiry (five minutes of skew allowed)', async () => {
    const clock = new ManualClock();
    const entra = new FakeEntra();
    const subject = verifier(entra, clock);
    const token = sign(entra.keys[0], clock);
    clock.advance(3600_000 + 4 * 60_000);
    expect(await subject.verify(`Bearer ${token}`)).toMatchObject({ ok: true });
    clock.advance(2 * 60_000);
    expect(await subject.verify(`Bearer ${token}`)).toEqual({ ok: false, failure: 'expired' });
  });

  test('a token without an object id is not a user token', async () => {
    const clock = new ManualClock();
    const entra = new FakeEntra();
    expect(await verifier(entra, clock).verify(`Bearer ${sign(entra.keys[0], clock, { oid: undefined })}`)).toEqual({ ok: false, failure: 'not_a_user_token' });
  });

  describe('a token that fails a check needing no key is refused before any key is fetched (Entra unreachable)', () => {
    const clock = new ManualClock();
    const key = signingKey();
    const hs256 = (): string => {
      const input = unsigned(key, clock, {}, { alg: 'HS256' });
      return `${input}.${createHmac('sha256', 'a-shared-secret-the-attacker-chose').update(input).digest('base64url')}`;
    };
    const cases: [string, () => string, string][] = [
      ['alg none, from an allowed tenant', () => `${unsigned(key, clock, {}, { alg: 'none' })}.`, 'unsupported_algorithm'],
      ['HS256 (a symmetric key the caller chose)', hs256, 'unsupported_algorithm'],
      ['RS512 (not what Entra ID signs with)', () => sign(key, clock, {}, { alg: 'RS512' }), 'unsupported_algorithm'],
      ['no key id', () => sign(key, clock, {}, { kid: undefined }), 'malformed_token'],
      ['typ other than JWT', () => sign(key, clock, {}, { typ: 'at+jwt+evil' }), 'malformed_token'],
      ['RS256 with the signature cut off', () => `${unsigned(key, clock)}.`, 'malformed_token'],
      ['a v1 issuer', () => sign(key, clock, { iss: `https://sts.windows.net/${TENANT}/` }), 'wrong_issuer'],
      ['no issuer', () => sign(key, clock, { iss: undefined }), 'wrong_issuer'],
      ['another audience', () => sign(key, clock, { aud: 'api://elsewhere' }), 'wrong_audience'],
      ['expired', () => sign(key, clock, { exp: Math.floor(clock.now().getTime() / 1000) - 3600 }), 'expired'],
      ['no expiry', () => sign(key, clock, { exp: undefined }), 'malformed_token'],
      ['not valid yet', () => sign(key, clock, { nbf: Math.floor(clock.now().getTime() / 1000) + 3600 }), 'not_yet_valid'],
      ['an app-only token (no scp)', () => sign(key, clock, { scp: undefined }), 'not_a_user_token'],
    ];
    test.each(cases)('%s', async (_name, token, failure) => {
      const entra = new FakeEntra();
      entra.down = true;
      expect(await verifier(entra, clock).verify(`Bearer ${token()}`)).toEqual({ ok: false, failure });
      expect(entra.fetched).toEqual([]);
    });

    test('a well-formed RS256 token is the only one that meets "keys unavailable"', async () => {
      const entra = new FakeEntra();
      entra.down = true;
      expect(await verifier(entra, clock).verify(`Bearer ${sign(key, clock)}`)).toMatchObject({ ok: false, failure: 'keys_unavailable' });
      expect(entra.fetched.length).toBeGreaterThan(0);
    });
  });
});
