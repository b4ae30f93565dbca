/** One Azurite for a test file: started before its first test, stopped after its last; the getter gives it to the tests. */
import { afterAll, beforeAll } from '@jest/globals';
import { Azurite } from './azurite.js';

export function azuriteForSuite(): () => Azurite {
  let azurite: Azurite | undefined;
  beforeAll(async () => {
    azurite = await Azurite.start();
  }, 60_000);
  afterAll(async () => {
    await azurite?.stop();
  });
  return () => {
    if (!azurite) throw new Error('Azurite did not start');
    return azurite;
  };
}
