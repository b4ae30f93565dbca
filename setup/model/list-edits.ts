/**
 * Growing and shrinking the lists of a setup request, as the Add / Remove / Up / Down buttons
 * of the cards ask. Pure: each edit returns new content, or the reason it cannot be done.
 */
import type { SetupContent } from './content.js';
import { domainMessage, type DomainMessage } from './messages.js';

export type EditableList =
  | 'users'
  | 'externalApplications'
  | 'numberSequences'
  | 'items'
  | 'chains'
  | 'chainCertificates'
  | 'connectedApplications';

/** Upper bounds that keep a card within Teams' 28 KB message limit. */
export const LIST_LIMITS: Readonly<Record<EditableList, number>> = {
  users: 10,
  externalApplications: 5,
  numberSequences: 5,
  items: 12,
  chains: 3,
  chainCertificates: 4,
  connectedApplications: 10,
};


export type ListEdit =
  | { op: 'add'; list: EditableList; chain?: number }
  | { op: 'remove'; list: EditableList; index: number; member?: number }
  | { op: 'move'; list: 'chainCertificates'; chain: number; member: number; direction: 'up' | 'down' };

export type EditResult = { ok: true; content: SetupContent } | { ok: false; reason: DomainMessage };

function rowsOf(content: SetupContent, list: EditableList, chain?: number): unknown[] | undefined {
  switch (list) {
    case 'users':
      return content.environment.users;
    case 'externalApplications':
      return content.environment.externalApplications;
    case 'numberSequences':
      return content.environment.numberSequences;
    case 'items':
      return content.keyVault.items;
    case 'chains':
      return content.keyVault.chains;
    case 'chainCertificates':
      return chain === undefined ? undefined : content.keyVault.chains[chain]?.certificates;
    case 'connectedApplications':
      return content.connectedApplications;
  }
}

function emptyRow(list: EditableList): unknown {
  switch (list) {
    case 'users':
      return { userId: '', email: '' };
    case 'externalApplications':
      return { name: '', objectId: '' };
    case 'numberSequences':
      return { name: '', description: '' };
    case 'items':
      return { name: '', description: '', type: 'Secret' };
    case 'chains':
      return { name: '', description: '', certificates: [''] };
    case 'chainCertificates':
      return '';
    case 'connectedApplications':
      return { name: '', type: 'Dynamics 365 Finance', applicationUrl: '', tenant: '' };
  }
}

export function applyListEdit(original: SetupContent, edit: ListEdit): EditResult {
  const content = structuredClone(original);
  const chain = edit.op === 'remove' ? (edit.list === 'chainCertificates' ? edit.index : undefined) : edit.chain;
  const rows = rowsOf(content, edit.list, chain);
  if (!rows) return { ok: false, reason: domainMessage('listEdit.listGone') };
  if (edit.op === 'add') {
    if (rows.length >= LIST_LIMITS[edit.list]) {
      return { ok: false, reason: domainMessage('listEdit.tooMany', { max: LIST_LIMITS[edit.list], list: edit.list }) };
    }
    rows.push(emptyRow(edit.list));
    return { ok: true, content };
  }
  const index = edit.op === 'remove' ? (edit.list === 'chainCertificates' ? edit.member : edit.index) : edit.member;
  if (index === undefined || !Number.isInteger(index) || index < 0 || index >= rows.length) {
    return { ok: false, reason: domainMessage('listEdit.rowGone') };
  }
  if (edit.op === 'remove') {
    rows.splice(index, 1);
    return { ok: true, content };
  }
  const target = edit.direction === 'up' ? index - 1 : index + 1;
  if (target < 0 || target >= rows.length) return { ok: true, content };
  [rows[index], rows[target]] = [rows[target], rows[index]];
  return { ok: true, content };
}
