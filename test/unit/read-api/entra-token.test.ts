import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
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

function sign(key: ReturnType<typeof signingKey>, clock: ManualClock, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(clock.now().getTime() / 1000);
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${encode({
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
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url')}`;
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
});
