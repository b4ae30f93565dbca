/**
 * A change verifies only what it adds or changes in Key Vault; the recorded verification of the
 * reference then holds the fresh findings for those and keeps the earlier ones for the rest.
 */
import type { KeyVaultReference } from '../model/content.js';
import { worstOutcome } from '../rules/sas-url.js';
import { overallOutcome } from '../service-access/service-use-verifier.js';
import type { ItemVerification, KeyVaultVerification } from '../model/verification.js';

function byName<T extends { name: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((row) => [row.name.trim().toLowerCase(), row]));
}

/**
 * The verification of `reference` after a change: each of its items and chains with the fresh
 * finding where there is one, else the earlier one; items and chains no longer in the reference
 * are dropped; one never verified has no entry.
 */
export function mergeVerification(previous: KeyVaultVerification | undefined, fresh: KeyVaultVerification, reference: KeyVaultReference): KeyVaultVerification {
  const freshItems = byName(fresh.items);
  const oldItems = byName(previous?.items ?? []);
  const sas = reference.storageSasSecretName.trim().toLowerCase();
  const names = [sas, ...reference.items.map((item) => item.name.trim().toLowerCase()).filter((name) => name !== sas)];
  const items: ItemVerification[] = [];
  for (const name of [...new Set(names)]) {
    const found = freshItems.get(name) ?? oldItems.get(name);
    if (found) items.push({ ...found, isStorageSas: name === sas });
  }
  const freshChains = byName(fresh.chains);
  const oldChains = byName(previous?.chains ?? []);
  const chains = reference.chains.flatMap((chain) => {
    const found = freshChains.get(chain.name.trim().toLowerCase()) ?? oldChains.get(chain.name.trim().toLowerCase());
    return found ? [found] : [];
  });
  const outcomes = [...items, ...chains].map((entry) => entry.outcome);
  const merged: KeyVaultVerification = {
    vaultUri: reference.keyVaultUri,
    outcome: worstOutcome(fresh.messages.length > 0 && fresh.outcome === 'failed' ? [...outcomes, 'failed'] : outcomes),
    messages: [...fresh.messages],
    items,
    chains,
    checkedAt: fresh.checkedAt,
    // Electronic invoicing's access to the vault is checked whole on every run: the fresh one stands
    ...((fresh.serviceUse ?? previous?.serviceUse) ? { serviceUse: fresh.serviceUse ?? previous?.serviceUse } : {}),
  };
  return { ...merged, outcome: overallOutcome(merged) };
}
