/**
 * The lines of a request card that say what kind of request it is: a change (what it changes,
 * on which version), a retirement (what it does), and — when it found its environment at a later
 * version — what changed in between.
 */
import { kindOf, type SetupRequest } from '../setup/model/request.js';
import type { Words } from '../i18n/translations.js';
import { changeLineViews, type ChangeLineView } from './change-lines.js';

export interface KindLines {
  /** "Change to contoso-uat, built on version 3" ('' for a new setup). */
  kindTitle: string;
  /** The change's differences (or the retirement's consequences), one styled line each. */
  kindLines: ChangeLineView[];
  /** Why the request was not applied ('' when it was, or has not run). */
  conflictTitle: string;
  conflictLines: ChangeLineView[];
}

function retireLines(request: SetupRequest, words: Words): ChangeLineView[] {
  const environment = request.content.environment.name;
  const apps = request.content.connectedApplications.map((app) => app.name);
  return [
    ...(apps.length > 0 ? [{ text: words.t('cards.requestKind.unlink', { count: apps.length, applications: apps.join(', ') }), style: 'attention' as const }] : []),
    { text: words.t('cards.requestKind.markRetired', { environment }), style: 'warning' },
    { text: words.t('cards.requestKind.historyStays', { command: `history ${environment}` }), style: 'good' },
  ];
}

function conflictTitleOf(request: SetupRequest, words: Words): string {
  const conflict = request.conflict;
  if (!conflict) return '';
  return words.t('cards.requestKind.conflict', {
    environment: request.content.environment.name,
    current: conflict.currentRevision,
    base: conflict.baseRevision,
    hasChangedBy: conflict.changedBy.length > 0 ? 'yes' : 'no',
    changedBy: conflict.changedBy.join(', '),
    hasBetween: conflict.between.length > 0 ? 'yes' : 'no',
  });
}

export function kindLines(request: SetupRequest, words: Words): KindLines {
  const kind = kindOf(request);
  const conflict = request.conflict;
  const conflictTitle = conflictTitleOf(request, words);
  const conflictLines = conflict ? changeLineViews(conflict.between, words, 10) : [];
  if (kind === 'change' && request.change) {
    const { environment, baseRevision, diff } = request.change;
    return { kindTitle: words.t('cards.requestKind.change', { environment, version: baseRevision }), kindLines: changeLineViews(diff, words), conflictTitle, conflictLines };
  }
  if (kind === 'retire' && request.retire) {
    return { kindTitle: words.t('cards.requestKind.retire', { environment: request.retire.environment, version: request.retire.baseRevision }), kindLines: retireLines(request, words), conflictTitle, conflictLines };
  }
  return { kindTitle: '', kindLines: [], conflictTitle, conflictLines };
}
