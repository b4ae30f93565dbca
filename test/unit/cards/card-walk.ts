/**
 * Reading rendered cards the way a client does: elements in document order, what a submit
 * would send, the buttons and their fallbacks. Plus fixtures for the step cards.
 */
import type { SetupContent } from '../../../setup/model/content.js';

export type CardNode = Record<string, unknown>;

const isNode = (value: unknown): value is CardNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every typed object (elements, columns, actions) in document order; fallbacks are not entered. */
export function nodesOf(card: unknown): CardNode[] {
  const nodes: CardNode[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    if (typeof value.type === 'string') nodes.push(value);
    for (const [key, child] of Object.entries(value)) if (key !== 'fallback') visit(child);
  };
  visit(card);
  return nodes;
}

export const inputsOf = (card: unknown): CardNode[] => nodesOf(card).filter((node) => String(node.type).startsWith('Input.'));
export const inputIds = (card: unknown): string[] => inputsOf(card).map((input) => String(input.id));
export const inputById = (card: unknown, id: string): CardNode | undefined => inputsOf(card).find((input) => input.id === id);

/** What the client sends for the card's inputs: id → string value. */
export function submittedValues(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of inputsOf(card)) {
    const value = typeof input.value === 'string' ? input.value : '';
    values[String(input.id)] = input.type === 'Input.Toggle' ? (value === input.valueOn ? value : String(input.valueOff)) : value;
  }
  return values;
}

/** The element right after an input in document order (where its server error goes). */
export function nodeAfterInput(card: unknown, id: string): CardNode | undefined {
  const nodes = nodesOf(card);
  const at = nodes.findIndex((node) => String(node.type).startsWith('Input.') && node.id === id);
  return at < 0 ? undefined : nodes[at + 1];
}

export const isErrorText = (node: CardNode | undefined): boolean => node?.type === 'TextBlock' && node.color === 'Attention';
export const errorTexts = (card: unknown): string[] => nodesOf(card).filter(isErrorText).map((node) => String(node.text));

export const executeActions = (card: unknown): CardNode[] => nodesOf(card).filter((node) => node.type === 'Action.Execute');

export function actionData(action: CardNode): CardNode {
  if (!isNode(action.data)) throw new Error(`action without data: ${JSON.stringify(action)}`);
  return action.data;
}

/** The Execute actions whose data matches every given field. */
export function actionsWith(card: unknown, match: CardNode): CardNode[] {
  return executeActions(card).filter((action) => Object.entries(match).every(([key, value]) => actionData(action)[key] === value));
}

/** The card as a client without Universal Actions sees it: every Execute replaced by its fallback. */
export function withFallbacks(card: unknown): unknown {
  if (Array.isArray(card)) return card.map(withFallbacks);
  if (!isNode(card)) return card;
  const source = card.type === 'Action.Execute' && isNode(card.fallback) ? card.fallback : card;
  return Object.fromEntries(Object.entries(source).map(([key, value]) => [key, withFallbacks(value)]));
}

/** activity.value of an Action.Execute invoke: Teams merges the inputs into the data. */
export function executeValue(action: CardNode, inputs: Record<string, string> = {}): unknown {
  return { action: { type: 'Action.Execute', verb: action.verb, data: { ...actionData(action), ...inputs } } };
}

/** activity.value of the Action.Submit fallback: the data with the inputs merged in. */
export function submitValue(action: CardNode, inputs: Record<string, string> = {}): unknown {
  if (!isNode(action.fallback)) throw new Error('action without fallback');
  return { ...actionData(action.fallback), ...inputs };
}

export const identity = { draft: '5f0c9a1e-2b7d-4c39-9a51-0e6f3b2d8c47', rev: 7 };

/** A realistic request: 5 users, 10 items, 2 chains × 3 certificates, 3 applications. */
export function realisticContent(counts = REALISTIC_COUNTS): SetupContent {
  return sizedContent({ ...counts, text: (label) => label });
}
export const REALISTIC_COUNTS = { users: 5, items: 10, chains: 2, members: 3, apps: 3 };

/** The worst case the cards are asked to carry, every field holding a 100-character value. */
export function hugeContent(counts = { users: 20, items: 30, chains: 5, members: 5, apps: 10 }): SetupContent {
  return sizedContent({ ...counts, text: (label) => `${label}-`.padEnd(100, 'x') });
}

interface Sizes { users: number; items: number; chains: number; members: number; apps: number; text: (label: string) => string }

function sizedContent({ users, items, chains, members, apps, text }: Sizes): SetupContent {
  const range = (count: number) => Array.from({ length: count }, (_, index) => index);
  const itemNames = range(items).map((index) => text(`item${index}`));
  const certificates = itemNames.filter((_, index) => index % 2 === 1);
  return {
    environment: {
      name: text('contoso-uat'),
      description: text('UAT for Contoso Europe'),
      users: range(users).map((index) => ({ userId: text(`user${index}`), email: text(`user${index}@contoso.com`) })),
      externalApplications: range(Math.ceil(users / 4)).map((index) => ({ name: text(`gateway${index}`), objectId: text(`objectid${index}`) })),
      numberSequences: range(Math.ceil(users / 4)).map((index) => ({ name: text(`seq${index}`), description: text(`sequence ${index}`) })),
      dataverseEndpointUri: text('https://contoso.crm.dynamics.com/api/data/v9.1/'),
    },
    keyVault: {
      name: text('contoso-kv'),
      description: text('EU signing'),
      keyVaultUri: text('https://contoso-einvoicing.vault.azure.net/'),
      storageSasSecretName: text('storage-sas-token'),
      items: itemNames.map((name, index) => ({ name, type: index % 2 === 1 ? 'Certificate' : 'Secret', description: text(`about ${name}`) })),
      chains: range(chains).map((index) => ({
        name: text(`chain${index}`),
        description: text(`chain ${index}`),
        certificates: range(members).map((member) => certificates[(index + member) % certificates.length] ?? ''),
      })),
    },
    connectedApplications: range(apps).map((index) => ({
      name: text(`finance${index}`),
      type: index % 2 === 0 ? 'Dynamics 365 Finance' : 'Dynamics 365 Supply Chain Management',
      applicationUrl: text(`https://contoso${index}.operations.dynamics.com`),
      tenant: text('contoso.onmicrosoft.com'),
    })),
  };
}

/** An error for every input id of a card and every list of the request. */
export function errorsFor(ids: readonly string[]): Record<string, string> {
  const lists = ['environment.users', 'environment.externalApplications', 'environment.numberSequences', 'keyVault.items', 'keyVault.chains', 'connectedApplications'];
  return Object.fromEntries([...ids, ...lists].map((id) => [id, `Check this value: it does not look right (${id.length} chars).`]));
}

export const bytesOf = (card: unknown): number => Buffer.byteLength(JSON.stringify(card));

/** The same shape with every string emptied (types kept valid): a `previous` that proves values come from the inputs. */
export function blankStrings<T>(value: T): T {
  const blank = (node: unknown, key?: string): unknown => {
    if (typeof node === 'string') return key === 'type' ? node : '';
    if (Array.isArray(node)) return node.map((child) => blank(child));
    if (isNode(node)) return Object.fromEntries(Object.entries(node).map(([childKey, child]) => [childKey, blank(child, childKey)]));
    return node;
  };
  return blank(value) as T;
}
