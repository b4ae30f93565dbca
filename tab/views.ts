/** The tab's screens, drawn from API data with plain DOM (see dom.ts). */
import type {
  AuditEntryView,
  ChainVerdictView,
  DecisionView,
  EnvironmentHistoryView,
  EnvironmentView,
  RequestDetailView,
  RequestSummaryView,
  ServiceUseOutcomeView,
  ServiceUseView,
  ViewerView,
} from '../read-api/shapes.js';
import { h, type Child } from './dom.js';
import {
  AUDIT_ACTION_TEXT,
  ENVIRONMENT_STATE_TONE,
  OUTCOME_ICON,
  OUTCOME_TEXT,
  OUTCOME_TONE,
  REQUEST_STATE_TEXT,
  REQUEST_STATE_TONE,
  STEP_TEXT,
  dateTime,
  type Tone,
} from './format.js';

export function badge(text: string, tone: Tone): HTMLElement {
  return h('span', { class: `badge tone-${tone}` }, text);
}

function facts(rows: readonly [string, Child][]): HTMLElement {
  const list = h('dl', { class: 'facts' });
  for (const [term, value] of rows) list.append(h('dt', {}, term), h('dd', {}, value ?? '—'));
  return list;
}

/** A message in place of the content: outside Teams, sign-in failed, API unreachable. */
export function messagePanel(title: string, ...body: Child[]): HTMLElement {
  return h('section', { class: 'message', 'aria-labelledby': 'message-title' }, h('h2', { id: 'message-title' }, title), ...body.map((part) => (typeof part === 'string' ? h('p', {}, part) : part)));
}

export function viewerLine(viewer: ViewerView): HTMLElement {
  const scope = viewer.anonymous
    ? 'Anonymous local mode: no sign-in, everything on this machine is shown.'
    : viewer.seesEverything
      ? 'You are an approver: you see every request and environment.'
      : 'You see your own requests and the environments they created.';
  return h('p', { class: 'viewer', id: 'viewer' }, viewer.anonymous ? '' : h('span', { class: 'viewer-name' }, `Signed in as ${viewer.name}. `), scope);
}

export function emptyState(viewer: ViewerView): HTMLElement {
  return h(
    'section',
    { class: 'empty', id: 'empty-state', 'aria-labelledby': 'empty-title' },
    h('h2', { id: 'empty-title' }, viewer.seesEverything ? 'No setups yet' : 'No setups of yours yet'),
    h('p', {}, 'Start one in chat: type ', h('kbd', {}, 'setup'), ' in a chat with setupbot (in a channel, @mention it first).'),
    h('p', {}, 'setupbot asks for the service environment, the Key Vault reference and the connected applications, an approver approves, and the result shows up here.'),
  );
}

function keyVaultSection(environment: EnvironmentView): HTMLElement {
  const reference = environment.keyVault;
  if (!reference) return h('p', {}, 'Key Vault reference: not recorded.');
  const verification = reference.lastVerification;
  const items = h(
    'table',
    { class: 'items' },
    h('caption', {}, `Items in ${reference.name}`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Item'),
        h('th', { scope: 'col' }, 'Type'),
        h('th', { scope: 'col' }, 'setupbot can read it'),
        h('th', { scope: 'col' }, 'Notes'),
        h('th', { scope: 'col' }, 'Electronic invoicing can use it'),
      ),
    ),
    h(
      'tbody',
      {},
      ...verification.items.map((item) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, item.name, item.isStorageSas ? h('span', { class: 'hint' }, ' storage SAS') : null),
          h('td', {}, item.type),
          h('td', {}, badge(`${OUTCOME_ICON[item.outcome]} ${OUTCOME_TEXT[item.outcome]}`, OUTCOME_TONE[item.outcome])),
          h('td', { class: 'notes' }, item.messages.join('; ') || '—'),
          h('td', {}, serviceUseCell(item.serviceUse)),
        ),
      ),
    ),
  );
  return h(
    'div',
    { class: 'key-vault' },
    h('h4', {}, 'Key Vault reference'),
    facts([
      ['Name', reference.name],
      ['Vault', reference.keyVaultUri],
      ['Storage SAS secret', reference.storageSasSecretName],
      ['Last verification', h('span', {}, badge(`${OUTCOME_ICON[verification.outcome]} ${OUTCOME_TEXT[verification.outcome]}`, OUTCOME_TONE[verification.outcome]), ` ${dateTime(verification.checkedAt)}`)],
    ]),
    verification.messages.length > 0 ? h('ul', { class: 'findings' }, ...verification.messages.map((message) => h('li', {}, message))) : null,
    serviceFindings(verification.serviceUse, verification.items),
    h('div', { class: 'table-scroll' }, items),
  );
}

const SERVICE_TEXT: Record<ServiceUseOutcomeView, string> = { ...OUTCOME_TEXT, notChecked: 'Not checked' };
const SERVICE_ICON: Record<ServiceUseOutcomeView, string> = { ...OUTCOME_ICON, notChecked: '⚠️' };
const SERVICE_TONE: Record<ServiceUseOutcomeView, Tone> = { ...OUTCOME_TONE, notChecked: 'warning' };

function serviceBadge(outcome: ServiceUseOutcomeView): HTMLElement {
  return badge(`${SERVICE_ICON[outcome]} ${SERVICE_TEXT[outcome]}`, SERVICE_TONE[outcome]);
}

/** An item's "Electronic invoicing can use it": its access summary, or — when never checked — a dash. */
function serviceUseCell(use: ServiceUseView | null): Child {
  if (!use) return '—';
  const summary = use.findings.find((finding) => finding.code.startsWith('access.item'));
  return h('span', {}, serviceBadge(use.outcome), summary ? ` ${summary.text}` : '');
}

/** Electronic invoicing's findings (vault, then the items' own, e.g. the storage account), each with its fix. */
function serviceFindings(vault: ServiceUseView | null, items: readonly { serviceUse: ServiceUseView | null }[]): HTMLElement | null {
  const findings = [vault, ...items.map((item) => item.serviceUse)].flatMap((use) => use?.findings ?? []).filter((finding) => !finding.code.startsWith('access.item'));
  if (findings.length === 0) return null;
  return h(
    'div',
    { class: 'service-use' },
    h('h5', {}, 'Electronic invoicing can use it'),
    h(
      'ul',
      { class: 'findings' },
      ...findings.map((finding) => h('li', {}, serviceBadge(finding.outcome), ` ${finding.text}`, finding.fix && finding.outcome !== 'ok' ? h('div', {}, 'Fix: ', h('code', {}, finding.fix)) : null)),
    ),
  );
}

function requestButton(id: string, openRequest: (id: string) => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'link' }, id);
  button.addEventListener('click', () => openRequest(id));
  return button;
}

export function environmentCard(environment: EnvironmentView, openRequest: (id: string) => void, openHistory: (environment: string) => void): HTMLElement {
  const requestLink = requestButton(environment.recordedBy, openRequest);
  const historyButton = h('button', { type: 'button', class: 'link', 'aria-label': `History of ${environment.name}: who asked, who approved, what changed` }, 'History');
  historyButton.addEventListener('click', () => openHistory(environment.name));
  return h(
    'article',
    { class: 'card environment', 'data-environment': environment.name, 'aria-labelledby': `env-${environment.name}` },
    h('h3', { id: `env-${environment.name}` }, environment.name, ' ', badge(environment.state, ENVIRONMENT_STATE_TONE[environment.state])),
    environment.description ? h('p', {}, environment.description) : null,
    facts([
      ['Set up by request', requestLink],
      ['Recorded', dateTime(environment.recordedAt)],
      ['Published', dateTime(environment.publishedAt)],
      ['Version', environment.lastChangedBy ? h('span', {}, `${environment.version}, by `, requestButton(environment.lastChangedBy, openRequest), ` · ${dateTime(environment.lastChangedAt)}`) : String(environment.version)],
      ...(environment.retiredAt ? ([['Retired', dateTime(environment.retiredAt)]] as [string, Child][]) : []),
      ['History', historyButton],
    ]),
    h('h4', {}, `Users (${environment.users.length})`),
    h('ul', { class: 'users' }, ...environment.users.map((user) => h('li', {}, h('strong', {}, user.userId), ` · ${user.email}`))),
    keyVaultSection(environment),
    h('h4', {}, `Connected applications (${environment.connectedApplications.length})`),
    environment.connectedApplications.length === 0
      ? h('p', { class: 'hint' }, 'None linked.')
      : h(
          'ul',
          { class: 'apps' },
          ...environment.connectedApplications.map((application) =>
            h(
              'li',
              {},
              h('strong', {}, application.name),
              ` · ${application.type} · ${application.applicationUrl} · `,
              application.lastCheck
                ? badge(`${OUTCOME_ICON[application.lastCheck.outcome]} ${application.lastCheck.message}`, OUTCOME_TONE[application.lastCheck.outcome])
                : 'not checked',
            ),
          ),
        ),
  );
}

function approvalsText(request: RequestSummaryView): Child[] {
  const { approvals } = request;
  const decided = approvals.decisions.map((decision) => `${decisionWord(decision)} by ${decision.name}`);
  const count = `${approvals.received} of ${approvals.required}`;
  return [count, decided.length > 0 ? ` · ${decided.join(', ')}` : request.state === 'submitted' ? ' · waiting' : ''];
}

/** "production: 2 approvals from group Finance-Prod-Approvers; a rejection needs a comment". */
function ruleText(request: RequestSummaryView): string {
  const rule = request.approvals.rule;
  if (!rule) return '—';
  const approvers = rule.approvers.map((principal) => `${principal.kind} ${principal.name ?? principal.objectId}`).join(', ') || 'nobody';
  const plural = rule.requiredApprovals === 1 ? '' : 's';
  return `${rule.name}: ${rule.requiredApprovals} approval${plural} from ${approvers}${rule.rejectComment === 'required' ? '; a rejection needs a comment' : ''}`;
}

function mayStillDecideText(request: RequestSummaryView): string {
  const people = request.approvals.mayStillDecide;
  return people.length === 0 ? 'nobody' : people.map((person) => `${person.name ?? person.objectId} (${person.why})`).join(', ');
}

function decisionWord(decision: DecisionView): string {
  return decision.decision === 'approved' ? 'approved' : decision.decision === 'rejected' ? 'rejected' : 'cancelled';
}

export function requestsTable(requests: readonly RequestSummaryView[], openRequest: (id: string) => void): HTMLElement {
  return h(
    'table',
    { class: 'requests', id: 'requests-table' },
    h('caption', {}, 'Setup requests, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Request', 'State', 'Environment', 'Requested by', 'Approvals', 'Submitted', 'Last change'].map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      ...requests.map((request) => {
        const open = h('button', { type: 'button', class: 'link', 'aria-label': `Open ${request.id}: audit trail and details` }, request.id);
        open.addEventListener('click', () => openRequest(request.id));
        return h(
          'tr',
          { 'data-request': request.id },
          h('th', { scope: 'row' }, open, request.dryRun ? h('span', { class: 'hint' }, ' dry run') : null),
          h('td', {}, badge(REQUEST_STATE_TEXT[request.state], REQUEST_STATE_TONE[request.state])),
          h('td', {}, request.kind === 'setup' ? '' : h('span', { class: 'hint' }, request.kind === 'change' ? 'change of ' : 'retire '), request.environment),
          h('td', {}, request.requester.name),
          h('td', {}, ...approvalsText(request)),
          h('td', {}, dateTime(request.createdAt)),
          h('td', {}, dateTime(request.updatedAt)),
        );
      }),
    ),
  );
}

function chainLine(chain: ChainVerdictView): HTMLElement {
  return chain.ok
    ? h('p', { class: 'chain chain-ok', id: 'chain-verdict' }, badge('✅ Verified', 'good'), ` This request’s ${chain.entries} audit entries verify: each hashes to itself and links to the entries around it in the log’s hash chain (checked ${dateTime(chain.checkedAt)}).`)
    : h('p', { class: 'chain chain-broken', id: 'chain-verdict', role: 'alert' }, badge('❌ Broken', 'bad'), ` The audit log’s hash chain breaks at entry ${chain.brokenAt}: ${chain.reason}. Tell your administrator: the log was changed outside setupbot.`);
}

function auditDetails(entry: AuditEntryView): string {
  return Object.entries(entry.details)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(' · ');
}

export function requestDetail(request: RequestDetailView, back: () => void): HTMLElement {
  const backButton = h('button', { type: 'button', class: 'back' }, '← All setups');
  backButton.addEventListener('click', back);
  const steps = request.execution?.steps ?? [];
  return h(
    'section',
    { class: 'detail', id: 'request-detail', 'aria-labelledby': 'detail-title' },
    backButton,
    h('h2', { id: 'detail-title', tabindex: '-1' }, `${request.id} `, badge(REQUEST_STATE_TEXT[request.state], REQUEST_STATE_TONE[request.state])),
    facts([
      ['Requested by', request.requester.name],
      ['Submitted', dateTime(request.createdAt)],
      ['Approvals', h('span', {}, ...approvalsText(request))],
      ['Approval rule', ruleText(request)],
      ['May still decide', request.state === 'submitted' ? mayStillDecideText(request) : '—'],
      ['Approval deadline', request.state === 'submitted' ? dateTime(request.expiresAt) : '—'],
      ['Environment', request.environment],
      ['Key Vault reference', `${request.keyVaultReference} (${request.content.keyVault.keyVaultUri})`],
      ['Connected applications', request.connectedApplications.join(', ') || 'none'],
      ['Dry run', request.dryRun ? 'yes: verified, nothing recorded' : 'no'],
    ]),
    request.changes.length > 0
      ? h('div', {}, h('h3', {}, `Changes to ${request.environment} (built on version ${request.baseVersion ?? '?'})`), h('ul', { class: 'changes', id: 'request-changes' }, ...request.changes.map((line) => h('li', {}, line))))
      : null,
    request.approvals.decisions.length > 0
      ? h(
          'ul',
          { class: 'decisions' },
          ...request.approvals.decisions.map((decision) => {
            const word = decisionWord(decision);
            return h('li', {}, `${word[0].toUpperCase()}${word.slice(1)} by ${decision.name} · ${dateTime(decision.at)}`, decision.comment ? ` · “${decision.comment}”` : '');
          }),
        )
      : null,
    steps.length > 0
      ? h(
          'div',
          {},
          h('h3', {}, 'Execution'),
          h(
            'ol',
            { class: 'steps' },
            ...steps.map((step) =>
              h(
                'li',
                {},
                badge(STEP_TEXT[step.state], step.state === 'ok' ? 'good' : step.state === 'warning' ? 'warning' : step.state === 'failed' ? 'bad' : 'neutral'),
                ` ${step.title}`,
                step.messages.length > 0 ? h('ul', {}, ...step.messages.map((message) => h('li', {}, message))) : null,
              ),
            ),
          ),
        )
      : null,
    h('h3', {}, 'Audit trail'),
    chainLine(request.audit.chain),
    h(
      'table',
      { class: 'audit', id: 'audit-trail' },
      h('caption', {}, `Audit entries for ${request.id}`),
      h('thead', {}, h('tr', {}, ...['#', 'When', 'What', 'Who', 'Details', 'Hash'].map((title) => h('th', { scope: 'col' }, title)))),
      h(
        'tbody',
        {},
        ...request.audit.entries.map((entry) =>
          h(
            'tr',
            {},
            h('td', {}, entry.seq),
            h('td', {}, dateTime(entry.at)),
            h('th', { scope: 'row' }, AUDIT_ACTION_TEXT[entry.action] ?? entry.action),
            h('td', {}, 'system' in entry.actor ? 'setupbot' : entry.actor.name),
            h('td', {}, auditDetails(entry) || '—'),
            h('td', { class: 'hash', title: entry.hash }, `${entry.hash.slice(0, 12)}…`),
          ),
        ),
      ),
    ),
  );
}

function historyChainLine(chain: ChainVerdictView): HTMLElement {
  return chain.ok
    ? h('p', { class: 'chain chain-ok', id: 'history-chain' }, badge('✅ Verified', 'good'), ` The ${chain.entries} entries shown verify: each hashes to itself and links to the entries around it in the log’s hash chain (checked ${dateTime(chain.checkedAt)}).`)
    : h('p', { class: 'chain chain-broken', id: 'history-chain', role: 'alert' }, badge('❌ Broken', 'bad'), ` The audit log’s hash chain breaks at entry ${chain.brokenAt}: ${chain.reason}. Tell your administrator: the log was changed outside setupbot.`);
}

/** An environment's history, newest first, a page at a time (the same as `history <environment>` in chat). */
export function historyDetail(history: EnvironmentHistoryView, actions: { back: () => void; page: (page: number) => void; openRequest: (id: string) => void }): HTMLElement {
  const backButton = h('button', { type: 'button', class: 'back' }, '← All setups');
  backButton.addEventListener('click', actions.back);
  const pager = h('div', { class: 'pager' });
  if (history.page > 1) {
    const newer = h('button', { type: 'button', id: 'history-newer' }, '← Newer');
    newer.addEventListener('click', () => actions.page(history.page - 1));
    pager.append(newer);
  }
  pager.append(h('span', { id: 'history-page' }, ` Page ${history.page} of ${history.pages} · ${history.total} entries `));
  if (history.page < history.pages) {
    const older = h('button', { type: 'button', id: 'history-older' }, 'Older →');
    older.addEventListener('click', () => actions.page(history.page + 1));
    pager.append(older);
  }
  return h(
    'section',
    { class: 'detail', id: 'history-detail', 'aria-labelledby': 'history-title' },
    backButton,
    h('h2', { id: 'history-title', tabindex: '-1' }, `History of ${history.environment}`),
    historyChainLine(history.chain),
    h(
      'table',
      { class: 'audit', id: 'history-trail' },
      h('caption', {}, `Audit entries of ${history.environment}, newest first`),
      h('thead', {}, h('tr', {}, ...['When', 'Request', 'What', '#'].map((title) => h('th', { scope: 'col' }, title)))),
      h(
        'tbody',
        {},
        ...history.entries.map((entry) =>
          h('tr', {}, h('td', {}, dateTime(entry.at)), h('td', {}, requestButton(entry.requestId, actions.openRequest)), h('th', { scope: 'row' }, entry.text), h('td', {}, entry.seq)),
        ),
      ),
    ),
    pager,
  );
}
