import { createLogger, redact, REDACTED, TRUNCATED, type Logger } from '../../bot/logger.js';

/** Sentinel values that must never appear in a log line. */
const SECRETS = {
  authorization: 'Bearer SENTINEL-AUTHZ-lower',
  Authorization: 'Bearer SENTINEL-AUTHZ-Upper',
  password: 'SENTINEL-PASSWORD',
  clientSecret: 'SENTINEL-CLIENT-SECRET',
  token: 'SENTINEL-TOKEN',
  accessToken: 'SENTINEL-ACCESS-TOKEN',
  nestedAuthorization: 'Bearer SENTINEL-NESTED-AUTHZ',
  arraySecret1: 'SENTINEL-ARRAY-SECRET-1',
  arraySecret2: 'SENTINEL-ARRAY-SECRET-2',
  childToken: 'SENTINEL-CHILD-TOKEN',
  childNested: 'SENTINEL-CHILD-NESTED-PASSWORD',
  grandchild: 'SENTINEL-GRANDCHILD-SECRET',
  deep: 'SENTINEL-DEEP-PASSWORD',
  errorStack: 'SENTINEL-ERROR-STACK-FRAME',
} as const;

/** A pino destination that keeps every line. */
function collector(): { lines: string[]; write(line: string): void; text(): string; records(): Array<Record<string, unknown>> } {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
    },
    text: () => lines.join(''),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function expectNoSentinel(raw: string): void {
  for (const value of Object.values(SECRETS)) expect(raw).not.toContain(value);
  expect(raw).not.toContain('SENTINEL');
}

let sink: ReturnType<typeof collector>;
let logger: Logger;

beforeEach(() => {
  sink = collector();
  logger = createLogger({ level: 'debug', destination: sink });
});

describe('createLogger', () => {
  test('writes one JSON line per entry with level label, service and message', () => {
    logger.info({ conversationId: 'conv-1' }, 'hello');
    expect(sink.lines).toHaveLength(1);
    expect(sink.records()[0]).toMatchObject({ level: 'info', service: 'setupbot', conversationId: 'conv-1', msg: 'hello' });
    expect(typeof sink.records()[0].time).toBe('string');
  });

  test('respects the level', () => {
    const quiet = collector();
    const warnOnly = createLogger({ level: 'warn', destination: quiet });
    warnOnly.info({ a: 1 }, 'dropped');
    warnOnly.debug({ a: 1 }, 'dropped');
    warnOnly.warn({ a: 1 }, 'kept');
    expect(quiet.records().map((record) => record.msg)).toEqual(['kept']);
  });

  test('redacts credentials at the top level, in nested headers and in arrays, keeping harmless fields', () => {
    logger.info(
      {
        authorization: SECRETS.authorization,
        Authorization: SECRETS.Authorization,
        password: SECRETS.password,
        clientSecret: SECRETS.clientSecret,
        token: SECRETS.token,
        accessToken: SECRETS.accessToken,
        request: { headers: { authorization: SECRETS.nestedAuthorization, 'content-type': 'application/json' } },
        credentials: [{ name: 'first', secret: SECRETS.arraySecret1 }, { name: 'second', secret: SECRETS.arraySecret2 }],
        items: [{ name: 'first', secret: SECRETS.arraySecret1 }, { name: 'second', secret: SECRETS.arraySecret2 }],
        keyVaultUri: 'https://contoso-kv.vault.azure.net/',
        conversationId: 'a:conversation-42',
        tenantId: 'tenant-7',
      },
      'inbound request',
    );
    const raw = sink.text();
    expectNoSentinel(raw);
    expect(raw).toContain('https://contoso-kv.vault.azure.net/');
    expect(raw).toContain('a:conversation-42');
    expect(raw).toContain('tenant-7');
    expect(raw).toContain('application/json');

    const [record] = sink.records();
    expect(record).toMatchObject({
      authorization: REDACTED,
      Authorization: REDACTED,
      password: REDACTED,
      clientSecret: REDACTED,
      token: REDACTED,
      accessToken: REDACTED,
      request: { headers: { authorization: REDACTED, 'content-type': 'application/json' } },
      items: [{ name: 'first', secret: REDACTED }, { name: 'second', secret: REDACTED }],
      keyVaultUri: 'https://contoso-kv.vault.azure.net/',
      conversationId: 'a:conversation-42',
      msg: 'inbound request',
    });
  });

  test('does not change the object that was logged', () => {
    const entry = { password: SECRETS.password, headers: { authorization: SECRETS.nestedAuthorization } };
    logger.info(entry, 'x');
    expect(entry.password).toBe(SECRETS.password);
    expect(entry.headers.authorization).toBe(SECRETS.nestedAuthorization);
  });

  test('redacts child logger bindings, and bindings of a child of a child', () => {
    const child = logger.child({
      conversationId: 'conv-child',
      token: SECRETS.childToken,
      user: { password: SECRETS.childNested, name: 'Ada' },
    });
    child.info({ step: 1 }, 'from child');
    const grandchild = child.child({ apiKey: SECRETS.grandchild, activityId: 'act-9' });
    grandchild.warn({ step: 2 }, 'from grandchild');

    const raw = sink.text();
    expectNoSentinel(raw);
    expect(raw).toContain('conv-child');
    expect(raw).toContain('act-9');
    const [first, second] = sink.records();
    expect(first).toMatchObject({ conversationId: 'conv-child', token: REDACTED, user: { password: REDACTED, name: 'Ada' }, step: 1 });
    expect(second).toMatchObject({ conversationId: 'conv-child', activityId: 'act-9', apiKey: REDACTED, step: 2 });
  });

  test('logs an Error with its message but without its stack, whether passed alone or under err', () => {
    const error = new Error('the vault said no');
    error.stack = `Error: the vault said no\n    at ${SECRETS.errorStack} (/app/secret-path.js:1:1)`;
    logger.error(error);
    logger.error({ err: error, conversationId: 'conv-err' }, 'lookup failed');
    logger.error({ cause: error }, 'nested');

    const raw = sink.text();
    expectNoSentinel(raw);
    expect(raw).not.toContain('secret-path.js');
    expect(raw).not.toContain('"stack"');
    const [alone, underErr, nested] = sink.records();
    expect(alone).toMatchObject({ msg: 'the vault said no', err: { message: 'the vault said no', type: 'Error' } });
    expect(underErr).toMatchObject({ msg: 'lookup failed', conversationId: 'conv-err', err: { message: 'the vault said no' } });
    expect(nested).toMatchObject({ cause: { message: 'the vault said no' } });
  });

  test('keeps the code of an error that has one', () => {
    const error = Object.assign(new Error('gone'), { code: 'SecretNotFound' });
    logger.warn({ err: error }, 'secret missing');
    expect(sink.records()[0]).toMatchObject({ err: { message: 'gone', code: 'SecretNotFound' } });
  });

  test('does not leak secrets nested deeper than the redaction depth', () => {
    let deep: Record<string, unknown> = { password: SECRETS.deep };
    for (let i = 0; i < 20; i += 1) deep = { level: deep };
    logger.info({ deep, conversationId: 'conv-deep' }, 'deep');
    const raw = sink.text();
    expectNoSentinel(raw);
    expect(raw).toContain(TRUNCATED);
    expect(raw).toContain('conv-deep');
  });

  test('logs a circular object without throwing or leaking', () => {
    const loop: Record<string, unknown> = { name: 'loop', secret: SECRETS.arraySecret1 };
    loop.self = loop;
    expect(() => logger.info({ loop }, 'circular')).not.toThrow();
    expectNoSentinel(sink.text());
    expect(sink.text()).toContain('loop');
  });
});

describe('redact', () => {
  test('matches sensitive key names case-insensitively at any depth and leaves other values alone', () => {
    expect(
      redact({
        PASSWORD: 'p',
        nested: { x_api_key: 'k', list: [{ Cookie: 'c' }, 'plain'], count: 3 },
        keyVaultUri: 'https://kv',
        empty: null,
      }),
    ).toEqual({
      PASSWORD: REDACTED,
      nested: { x_api_key: REDACTED, list: [{ Cookie: REDACTED }, 'plain'], count: 3 },
      keyVaultUri: 'https://kv',
      empty: null,
    });
  });

  test('replaces objects nested deeper than it checks, but keeps shallow ones', () => {
    let deep: unknown = { token: 't' };
    for (let i = 0; i < 12; i += 1) deep = [deep];
    expect(JSON.stringify(redact({ deep }))).not.toContain('"t"');
    expect(JSON.stringify(redact({ deep }))).toContain(TRUNCATED);
    expect(redact({ a: { b: { c: 1 } } })).toEqual({ a: { b: { c: 1 } } });
  });

  test('passes primitives through unchanged', () => {
    expect(redact('text')).toBe('text');
    expect(redact(5)).toBe(5);
    expect(redact(null)).toBeNull();
    expect(redact(undefined)).toBeUndefined();
  });
});
