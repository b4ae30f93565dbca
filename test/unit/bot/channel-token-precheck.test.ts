import { channelTokenProblem } from '../../../bot/channel-token-precheck.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: Record<string, unknown>, claims: Record<string, unknown> = {}, signature = 'c2lnbmF0dXJl'): string =>
  `Bearer ${encode({ alg: 'RS256', typ: 'JWT', kid: 'key-1', ...header })}.${encode({ iss: 'https://api.botframework.com', exp: NOW / 1000 + 3600, ...claims })}.${signature}`;

describe('channelTokenProblem: what needs no key to refuse', () => {
  test.each(['RS256', 'RS384', 'RS512'])('a well-formed %s token goes on to botbuilder', (alg) => {
    expect(channelTokenProblem(token({ alg }), NOW)).toBeUndefined();
  });

  test.each([
    ['no header', '', 'no bearer token'],
    ['alg none', token({ alg: 'none' }, {}, ''), 'not a signed JWT'],
    ['alg none with a signature', token({ alg: 'none' }), 'algorithm none is not accepted'],
    ['HS256', token({ alg: 'HS256' }), 'algorithm HS256 is not accepted'],
    ['no alg', token({ alg: undefined }), 'algorithm missing is not accepted'],
    ['no key id', token({ kid: undefined }), 'no key id'],
    ['no expiry', token({}, { exp: undefined }), 'no expiry'],
    ['expired beyond the 5 minutes of skew', token({}, { exp: NOW / 1000 - 301 }), 'expired'],
    ['two segments', 'Bearer abc.def', 'not a signed JWT'],
    ['unreadable header', 'Bearer %%%.e30.c2ln', 'not a readable JWT'],
    ['a header that is not an object', `Bearer ${encode(['RS256'])}.${encode({ exp: NOW / 1000 + 60 })}.c2ln`, 'not a readable JWT'],
    ['claims that are not JSON', `Bearer ${encode({ alg: 'RS256', kid: 'key-1' })}.${Buffer.from('not json').toString('base64url')}.c2ln`, 'not a readable JWT'],
    ['claims that are not base64url', `Bearer ${encode({ alg: 'RS256', kid: 'key-1' })}.e30=.c2ln`, 'not a readable JWT'],
  ])('%s', (_name, authorization, problem) => {
    expect(channelTokenProblem(authorization, NOW)).toBe(problem);
  });

  test('expired within the 5 minutes of skew is left to botbuilder', () => {
    expect(channelTokenProblem(token({}, { exp: NOW / 1000 - 200 }), NOW)).toBeUndefined();
  });
});
