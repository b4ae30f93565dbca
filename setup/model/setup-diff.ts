/**
 * What a change request changes: the difference between two setups (the recorded one and the
 * one asked for), element by element, as messages (`diff.*` codes with names and values as
 * parameters; the edge says them in the reader's words, in lines that read without colour); and the same
 * intended changes laid again over a newer version of the setup (Rebuild on the current version).
 * Pure: no I/O.
 */
import { domainMessage, type DomainMessage, type DomainParam } from './messages.js';
import type {
  CertificateChain,
  ConnectedApplication,
  EnvironmentUser,
  ExternalApplication,
  KeyVaultItem,
  NumberSequence,
  SetupContent,
} from './content.js';
import { nameKey } from './names.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** The lists of a setup whose rows a change adds, removes or changes (rows matched by their key). */
export interface ChangeLists {
  users: EnvironmentUser;
  externalApplications: ExternalApplication;
  numberSequences: NumberSequence;
  items: KeyVaultItem;
  chains: CertificateChain;
  connectedApplications: ConnectedApplication;
}
export type ChangeList = keyof ChangeLists;

/** One row added, removed or changed; `before` / `after` hold the whole row (absent for added / removed). */
export type ListChange = {
  [L in ChangeList]: { list: L; kind: ChangeKind; key: string; before?: ChangeLists[L]; after?: ChangeLists[L] };
}[ChangeList];

/** The single-valued fields a change can touch. */
export type ChangeField =
  | 'environment.name'
  | 'environment.description'
  | 'environment.dataverseEndpointUri'
  | 'keyVault.name'
  | 'keyVault.description'
  | 'keyVault.keyVaultUri'
  | 'keyVault.storageSasSecretName';

export interface FieldChange {
  field: ChangeField;
  kind: 'changed';
  before: string;
  after: string;
}

export type SetupChange = ListChange | FieldChange;

export function isFieldChange(change: SetupChange): change is FieldChange {
  return 'field' in change;
}

interface ListSpec<T> {
  key(row: T): string;
  /** The row's name alone: "bob". */
  name(row: T): string;
  /** The row in a few words: "bob (bob@contoso.com)" (names and values only, or a message when it needs words). */
  show(row: T): DomainParam;
  /** The differences between two versions of a row: "email a → b". */
  differences(before: T, after: T): DomainMessage[];
  read(content: SetupContent): T[];
  write(content: SetupContent, rows: T[]): void;
}

/** A value as a message parameter: an empty one is said as "None". */
const shownParam = (value: string): DomainParam => (value.trim() === '' ? domainMessage('diff.none') : value);

/** A field of a row, as `diff.line.difference` selects it. */
type RowField = 'userId' | 'email' | 'name' | 'type' | 'description' | 'certificates' | 'url' | 'tenant';

const fieldDifference = (field: RowField, before: string, after: string): DomainMessage[] =>
  before === after ? [] : [domainMessage('diff.line.difference', { field, before: shownParam(before), after: shownParam(after) })];

/** Several messages as one, "a; b; c". */
function joined(messages: readonly DomainMessage[]): DomainParam {
  if (messages.length === 0) return '';
  return messages.slice(1).reduce<DomainMessage>((first, rest) => domainMessage('diff.line.joined', { first, rest }), messages[0]);
}

const LISTS: { [L in ChangeList]: ListSpec<ChangeLists[L]> } = {
  users: {
    key: (user) => nameKey(user.userId),
    name: (user) => user.userId,
    show: (user) => `${user.userId} (${user.email})`,
    differences: (a, b) => [...fieldDifference('userId', a.userId, b.userId), ...fieldDifference('email', a.email, b.email)],
    read: (content) => content.environment.users,
    write: (content, rows) => {
      content.environment.users = rows;
    },
  },
  externalApplications: {
    key: (app) => app.objectId.trim().toLowerCase(),
    name: (app) => app.name,
    show: (app) => `${app.name} (${app.objectId})`,
    differences: (a, b) => fieldDifference('name', a.name, b.name),
    read: (content) => content.environment.externalApplications,
    write: (content, rows) => {
      content.environment.externalApplications = rows;
    },
  },
  numberSequences: {
    key: (sequence) => nameKey(sequence.name),
    name: (sequence) => sequence.name,
    show: (sequence) => (sequence.description ? `${sequence.name} (${sequence.description})` : sequence.name),
    differences: (a, b) => [...fieldDifference('name', a.name, b.name), ...fieldDifference('description', a.description, b.description)],
    read: (content) => content.environment.numberSequences,
    write: (content, rows) => {
      content.environment.numberSequences = rows;
    },
  },
  items: {
    key: (item) => nameKey(item.name),
    name: (item) => item.name,
    show: (item) => `${item.name} (${item.type})`,
    differences: (a, b) => [...fieldDifference('name', a.name, b.name), ...fieldDifference('type', a.type, b.type), ...fieldDifference('description', a.description, b.description)],
    read: (content) => content.keyVault.items,
    write: (content, rows) => {
      content.keyVault.items = rows;
    },
  },
  chains: {
    key: (chain) => nameKey(chain.name),
    name: (chain) => chain.name,
    show: (chain) => domainMessage('diff.row.chain', { name: chain.name, certificates: shownParam(chain.certificates.join(', ')) }),
    differences: (a, b) => [
      ...fieldDifference('name', a.name, b.name),
      ...fieldDifference('certificates', a.certificates.join(', '), b.certificates.join(', ')),
      ...fieldDifference('description', a.description, b.description),
    ],
    read: (content) => content.keyVault.chains,
    write: (content, rows) => {
      content.keyVault.chains = rows;
    },
  },
  connectedApplications: {
    key: (app) => nameKey(app.name),
    name: (app) => app.name,
    show: (app) => `${app.name} (${app.applicationUrl})`,
    differences: (a, b) => [
      ...fieldDifference('name', a.name, b.name),
      ...fieldDifference('type', a.type, b.type),
      ...fieldDifference('url', a.applicationUrl, b.applicationUrl),
      ...fieldDifference('tenant', a.tenant, b.tenant),
    ],
    read: (content) => content.connectedApplications,
    write: (content, rows) => {
      content.connectedApplications = rows;
    },
  },
};

/** The order changes are listed in: the environment, its Key Vault reference, then the applications. */
const ORDER: readonly (ChangeList | ChangeField)[] = [
  'environment.name',
  'environment.description',
  'users',
  'externalApplications',
  'numberSequences',
  'environment.dataverseEndpointUri',
  'keyVault.name',
  'keyVault.description',
  'keyVault.keyVaultUri',
  'keyVault.storageSasSecretName',
  'items',
  'chains',
  'connectedApplications',
];

function readField(content: SetupContent, field: ChangeField): string {
  const [section, name] = field.split('.') as ['environment' | 'keyVault', string];
  return String((content[section] as unknown as Record<string, unknown>)[name] ?? '');
}

function writeField(content: SetupContent, field: ChangeField, value: string): void {
  const [section, name] = field.split('.') as ['environment' | 'keyVault', string];
  (content[section] as unknown as Record<string, unknown>)[name] = value;
}

/** Structural equality of plain JSON values, whatever order their keys were written in. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((value, index) => sameValue(value, b[index]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  return keysA.length === keysB.length && keysA.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function byKey<T>(rows: readonly T[], key: (row: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) if (!map.has(key(row))) map.set(key(row), row);
  return map;
}

function diffList<L extends ChangeList>(list: L, before: SetupContent, after: SetupContent): ListChange[] {
  const spec = LISTS[list] as ListSpec<ChangeLists[L]>;
  const old = byKey(spec.read(before), spec.key);
  const now = byKey(spec.read(after), spec.key);
  const changes: ListChange[] = [];
  for (const [key, row] of now) if (!old.has(key)) changes.push({ list, kind: 'added', key, after: row } as ListChange);
  for (const [key, row] of old) if (!now.has(key)) changes.push({ list, kind: 'removed', key, before: row } as ListChange);
  for (const [key, row] of now) {
    const previous = old.get(key);
    if (previous !== undefined && !sameValue(previous, row)) changes.push({ list, kind: 'changed', key, before: previous, after: row } as ListChange);
  }
  return changes;
}

/** Every difference between two setups, in a fixed order (environment, Key Vault, applications). */
export function diffSetup(before: SetupContent, after: SetupContent): SetupChange[] {
  return ORDER.flatMap((part): SetupChange[] => {
    if (part in LISTS) return diffList(part as ChangeList, before, after);
    const field = part as ChangeField;
    const [old, now] = [readField(before, field), readField(after, field)];
    return old === now ? [] : [{ field, kind: 'changed', before: old, after: now }];
  });
}

/** A change as a reader is told it: the symbol and the word carry the meaning, the colour only repeats it. */
export interface ChangeLine {
  kind: ChangeKind;
  symbol: '+' | '−' | '~';
  /** What changed: "user bob (bob@contoso.com)", "storage SAS secret name: old → new" (`diff.*`). */
  what: DomainMessage;
}

const SYMBOL = { added: '+', removed: '−', changed: '~' } as const;

/** What a change is about, as a message: the row or field, and for a changed row its differences. */
export function describeChange(change: SetupChange): ChangeLine {
  const head = { kind: change.kind, symbol: SYMBOL[change.kind] };
  if (isFieldChange(change)) return { ...head, what: domainMessage('diff.line.field', { field: FIELD_CODES[change.field], before: shownParam(change.before), after: shownParam(change.after) }) };
  const spec = LISTS[change.list] as ListSpec<unknown>;
  if (change.kind === 'changed' && change.before !== undefined && change.after !== undefined) {
    return { ...head, what: domainMessage('diff.line.rowChanged', { list: change.list, name: spec.name(change.before), differences: joined(spec.differences(change.before, change.after)) }) };
  }
  const row = change.after ?? change.before;
  return { ...head, what: domainMessage('diff.row', { list: change.list, row: row === undefined ? change.key : spec.show(row) }) };
}

/** "+ Added · user bob (bob@contoso.com)": the whole line, as one message. */
export function changeLine(change: SetupChange): DomainMessage {
  return domainMessage('diff.line.full', { kind: change.kind, what: describeChange(change).what });
}

/** "Added · user bob": a line among a step's findings (listed as bullets, where a leading "+" would vanish). */
export function findingLine(change: SetupChange): DomainMessage {
  return domainMessage('diff.line.finding', { kind: change.kind, what: describeChange(change).what });
}

/** A one-line summary for the audit log and notifications: "added user bob; removed user alice; and 2 more". */
export function summarizeChanges(changes: readonly SetupChange[], max = 4): DomainMessage {
  if (changes.length === 0) return domainMessage('diff.summary.nothing');
  const parts = changes.slice(0, max).map((change) => domainMessage('diff.summary.item', { kind: change.kind, what: describeChange(change).what }));
  const listed = joined(parts);
  return changes.length > max ? domainMessage('diff.summary.andMore', { changes: listed, count: changes.length - max }) : (listed as DomainMessage);
}

/** True when every change is to number sequences: those apply without publishing the environment again. */
export function touchesOnlyNumberSequences(changes: readonly SetupChange[]): boolean {
  return changes.length > 0 && changes.every((change) => !isFieldChange(change) && change.list === 'numberSequences');
}

/**
 * What a change needs verified in Key Vault: the items it adds or changes, the storage SAS secret
 * when renamed, the chains it adds or changes (with the certificates they are made of). Undefined
 * when nothing in the vault is new.
 */
export function keyVaultScope(changes: readonly SetupChange[], after: SetupContent): { items: string[]; chains: string[] } | undefined {
  const items = new Set<string>();
  const chains = new Set<string>();
  for (const change of changes) {
    if (isFieldChange(change)) {
      if (change.field === 'keyVault.storageSasSecretName' || change.field === 'keyVault.keyVaultUri') items.add(nameKey(after.keyVault.storageSasSecretName));
      continue;
    }
    if (change.kind === 'removed' || !change.after) continue;
    if (change.list === 'items') items.add(change.key);
    if (change.list === 'chains') chains.add(change.key);
  }
  for (const chain of after.keyVault.chains) {
    if (chains.has(nameKey(chain.name))) chain.certificates.forEach((certificate) => items.add(nameKey(certificate)));
  }
  if (items.size === 0 && chains.size === 0) return undefined;
  return { items: [...items], chains: [...chains] };
}

/** A change that could not be laid over the newer setup, and why. */
export interface SkippedChange {
  change: SetupChange;
  reason: DomainMessage;
}

/** A field as the `diff.*` messages select it. */
const FIELD_CODES: Record<ChangeField, string> = {
  'environment.name': 'environmentName',
  'environment.description': 'environmentDescription',
  'environment.dataverseEndpointUri': 'dataverse',
  'keyVault.name': 'keyVaultName',
  'keyVault.description': 'keyVaultDescription',
  'keyVault.keyVaultUri': 'keyVaultUri',
  'keyVault.storageSasSecretName': 'sasSecretName',
};

export interface RebasedSetup {
  content: SetupContent;
  /** Changes laid over the newer setup (or already there). */
  applied: SetupChange[];
  skipped: SkippedChange[];
}

function rebaseField(content: SetupContent, change: FieldChange): DomainMessage | undefined {
  const current = readField(content, change.field);
  if (current === change.after) return undefined;
  if (current !== change.before) return domainMessage('diff.skip.field', { field: FIELD_CODES[change.field], current: shownParam(current) });
  writeField(content, change.field, change.after);
  return undefined;
}

function rebaseRow(content: SetupContent, change: ListChange): DomainMessage | undefined {
  const spec = LISTS[change.list] as ListSpec<unknown>;
  const rows = [...spec.read(content)];
  const index = rows.findIndex((row) => spec.key(row) === change.key);
  const current = index === -1 ? undefined : rows[index];
  const what = domainMessage('diff.row', { list: change.list, row: change.after !== undefined ? spec.show(change.after) : change.before !== undefined ? spec.show(change.before) : change.key });
  switch (change.kind) {
    case 'added':
      if (current === undefined) rows.push(structuredClone(change.after));
      else if (!sameValue(current, change.after)) return domainMessage('diff.skip.added', { what, current: spec.show(current) });
      break;
    case 'removed':
      if (current === undefined) break;
      if (!sameValue(current, change.before)) return domainMessage('diff.skip.changed', { what, current: spec.show(current) });
      rows.splice(index, 1);
      break;
    case 'changed':
      if (current === undefined) return domainMessage('diff.skip.removed', { what });
      if (sameValue(current, change.after)) break;
      if (!sameValue(current, change.before)) return domainMessage('diff.skip.changed', { what, current: spec.show(current) });
      rows[index] = structuredClone(change.after);
      break;
  }
  spec.write(content, rows);
  return undefined;
}

/**
 * The same intended changes laid over a newer version of the setup: each applies where the part
 * it touches is still as it was when the change was built (or already as the change wants it);
 * a part someone else changed in between is left as they left it, and the change is skipped.
 */
export function rebaseChanges(current: SetupContent, changes: readonly SetupChange[]): RebasedSetup {
  const content = structuredClone(current);
  const applied: SetupChange[] = [];
  const skipped: SkippedChange[] = [];
  for (const change of changes) {
    const reason = isFieldChange(change) ? rebaseField(content, change) : rebaseRow(content, change);
    if (reason) skipped.push({ change, reason });
    else applied.push(change);
  }
  return { content, applied, skipped };
}
