/**
 * The lines of a request card that say what kind of request it is: a change (what it changes,
 * on which version), a retirement (what it does), and — when it found its environment at a later
 * version — what changed in between.
 */
import { kindOf, type SetupRequest } from '../setup/model/request.js';
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

function retireLines(request: SetupRequest): ChangeLineView[] {
  const environment = request.content.environment.name;
  const apps = request.content.connectedApplications.map((app) => app.name);
  return [
    ...(apps.length > 0 ? [{ text: `**− Unlink** ${apps.length} application${apps.length === 1 ? '' : 's'}: ${apps.join(', ')}`, style: 'attention' as const }] : []),
    { text: `**~ Mark Retired**: Finance can no longer use ${environment}`, style: 'warning' },
    { text: `Its history stays (history ${environment}); nothing is deleted.`, style: 'good' },
  ];
}

export function kindLines(request: SetupRequest): KindLines {
  const kind = kindOf(request);
  const conflict = request.conflict;
  const conflictTitle = conflict
    ? `⚠️ Not applied: ${request.content.environment.name} was at version ${conflict.currentRevision}, not ${conflict.baseRevision}${conflict.changedBy.length > 0 ? ` (changed by ${conflict.changedBy.join(', ')})` : ''}.${conflict.between.length > 0 ? ' What changed in between:' : ''}`
    : '';
  const conflictLines = conflict ? changeLineViews(conflict.between, 10) : [];
  if (kind === 'change' && request.change) {
    const { environment, baseRevision, diff } = request.change;
    return { kindTitle: `Change to ${environment}, built on version ${baseRevision}`, kindLines: changeLineViews(diff), conflictTitle, conflictLines };
  }
  if (kind === 'retire' && request.retire) {
    return { kindTitle: `Retire ${request.retire.environment} (version ${request.retire.baseRevision})`, kindLines: retireLines(request), conflictTitle, conflictLines };
  }
  return { kindTitle: '', kindLines: [], conflictTitle, conflictLines };
}
