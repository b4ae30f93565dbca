import { ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';
import { CachedCredentialsFactory } from '../../../bot/cached-credentials.js';

class CountingFactory extends ServiceClientCredentialsFactory {
  created = 0;
  failNext = false;
  async isValidAppId(appId: string): Promise<boolean> {
    return appId === 'app';
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  async createCredentials(appId: string, audience: string | undefined): Promise<ServiceClientCredentials> {
    this.created += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('identity endpoint unreachable');
    }
    return { signRequest: async (request: unknown) => request, label: `${appId}|${audience}|${this.created}` } as unknown as ServiceClientCredentials;
  }
}

test('one credentials object per app id, audience and endpoint, reused by every turn', async () => {
  const inner = new CountingFactory();
  const cached = new CachedCredentialsFactory(inner);
  const [a, b] = await Promise.all([
    cached.createCredentials('app', 'https://api.botframework.com', 'https://login', true),
    cached.createCredentials('app', 'https://api.botframework.com', 'https://login', true),
  ]);
  expect(a).toBe(b);
  const other = await cached.createCredentials('app', 'https://other-audience', 'https://login', true);
  expect(other).not.toBe(a);
  expect(inner.created).toBe(2);
  expect(await cached.isValidAppId('app')).toBe(true);
  expect(await cached.isAuthenticationDisabled()).toBe(false);
});

test('a failure is not kept: the next turn asks the inner factory again', async () => {
  const inner = new CountingFactory();
  inner.failNext = true;
  const cached = new CachedCredentialsFactory(inner);
  await expect(cached.createCredentials('app', undefined, 'https://login', true)).rejects.toThrow('unreachable');
  await expect(cached.createCredentials('app', undefined, 'https://login', true)).resolves.toBeDefined();
  expect(inner.created).toBe(2);
});
