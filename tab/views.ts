/** The tab's screens, drawn from API data with plain DOM (see dom.ts). */
import type {
  AuditEntryView,
  ChainVerdictView,
  DecisionView,
  EnvironmentHistoryView,
  EnvironmentView,
  Outcome,
  RequestDetailView,
  RequestSummaryView,
  ServiceUseOutcomeView,
  ServiceUseView,
  ViewerView,
} from '../read-api/shapes.js';
import type { TabMessageKey, TabWords } from '../i18n/tab-words.js';
import { h, type Child } from './dom.js';
import {
  ENVIRONMENT_STATE_KEY,
  ENVIRONMENT_STATE_TONE,
  OUTCOME_ICON,
  OUTCOME_KEY,
  OUTCOME_TONE,
  REQUEST_STATE_KEY,
  REQUEST_STATE_TONE,
  STEP_STATE_KEY,
  auditActionText,
  dateTime,
  itemTypeText,
  richText,
  type Tone,
} from './format.js';

export function badge(text: Child, tone: Tone): HTMLElement {
  return h('span', { class: `badge tone-${tone}` }, text);
}

/**
 * Text the read API wrote (findings, messages, step titles, history lines, names): isolated with
 * its own direction, so English inside an Arabic page keeps its punctuation where it belongs.
 */
function apiText(text: string): HTMLElement {
  return h('bdi', {}, text);
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

export function viewerLine(words: TabWords, viewer: ViewerView): HTMLElement {
  const scope = words.t(viewer.anonymous ? 'tab.viewer.anonymous' : viewer.seesEverything ? 'tab.viewer.approver' : 'tab.viewer.own');
  return h('p', { class: 'viewer', id: 'viewer' }, viewer.anonymous ? '' : h('span', { class: 'viewer-name' }, `${words.t('tab.viewer.signedInAs', { name: viewer.name })} `), scope);
}

export function emptyState(words: TabWords, viewer: ViewerView): HTMLElement {
  return h(
    'section',
    { class: 'empty', id: 'empty-state', 'aria-labelledby': 'empty-title' },
    h('h2', { id: 'empty-title' }, words.t(viewer.seesEverything ? 'tab.empty.title.everything' : 'tab.empty.title.own')),
    // the command stays English in every language: the English keywords always work
    h('p', {}, ...richText(words, 'tab.empty.start', {}, { command: h('kbd', { dir: 'ltr' }, 'setup') })),
    h('p', {}, words.t('tab.empty.how')),
  );
}

function outcomeBadge(words: TabWords, outcome: Outcome, apiMessage?: string): HTMLElement {
  if (apiMessage === undefined) return badge(`${OUTCOME_ICON[outcome]} ${words.t(OUTCOME_KEY[outcome])}`, OUTCOME_TONE[outcome]);
  return h('span', { class: `badge tone-${OUTCOME_TONE[outcome]}` }, `${OUTCOME_ICON[outcome]} `, apiText(apiMessage));
}

function keyVaultSection(words: TabWords, environment: EnvironmentView): HTMLElement {
  const reference = environment.keyVault;
  if (!reference) return h('p', {}, words.t('tab.keyVault.notRecorded'));
  const verification = reference.lastVerification;
  const items = h(
    'table',
    { class: 'items' },
    h('caption', {}, words.t('tab.keyVault.items', { name: reference.name })),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, words.t('tab.keyVault.column.item')),
        h('th', { scope: 'col' }, words.t('tab.keyVault.column.type')),
        h('th', { scope: 'col' }, words.t('tab.keyVault.column.readable')),
        h('th', { scope: 'col' }, words.t('tab.keyVault.column.notes')),
        h('th', { scope: 'col' }, words.t('tab.keyVault.column.serviceUse')),
      ),
    ),
    h(
      'tbody',
      {},
      ...verification.items.map((item) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, item.name, item.isStorageSas ? h('span', { class: 'hint' }, ` ${words.t('tab.keyVault.storageSas')}`) : null),
          h('td', {}, itemTypeText(words, item.type)),
          h('td', {}, outcomeBadge(words, item.outcome)),
          h('td', { class: 'notes' }, item.messages.length > 0 ? apiText(item.messages.join('; ')) : '—'),
          h('td', {}, serviceUseCell(words, item.serviceUse)),
        ),
      ),
    ),
  );
  return h(
    'div',
    { class: 'key-vault' },
    h('h4', {}, words.t('tab.keyVault.heading')),
    facts([
      [words.t('tab.keyVault.name'), reference.name],
      [words.t('tab.keyVault.vault'), h('span', { dir: 'ltr' }, reference.keyVaultUri)],
      [words.t('tab.keyVault.storageSasSecret'), reference.storageSasSecretName],
      [words.t('tab.keyVault.lastVerification'), h('span', {}, outcomeBadge(words, verification.outcome), ` ${dateTime(words, verification.checkedAt)}`)],
    ]),
    verification.messages.length > 0 ? h('ul', { class: 'findings' }, ...verification.messages.map((message) => h('li', {}, apiText(message)))) : null,
    serviceFindings(words, verification.serviceUse, verification.items),
    h('div', { class: 'table-scroll' }, items),
  );
}

const SERVICE_KEY: Record<ServiceUseOutcomeView, TabMessageKey> = { ...OUTCOME_KEY, notChecked: 'tab.outcome.notChecked' };
const SERVICE_ICON: Record<ServiceUseOutcomeView, string> = { ...OUTCOME_ICON, notChecked: '⚠️' };
const SERVICE_TONE: Record<ServiceUseOutcomeView, Tone> = { ...OUTCOME_TONE, notChecked: 'warning' };

function serviceBadge(words: TabWords, outcome: ServiceUseOutcomeView): HTMLElement {
  return badge(`${SERVICE_ICON[outcome]} ${words.t(SERVICE_KEY[outcome])}`, SERVICE_TONE[outcome]);
}

/** An item's "Electronic invoicing can use it": its access summary, or — when never checked — a dash. */
function serviceUseCell(words: TabWords, use: ServiceUseView | null): Child {
  if (!use) return '—';
  const summary = use.findings.find((finding) => finding.code.startsWith('access.item'));
  return h('span', {}, serviceBadge(words, use.outcome), summary ? ' ' : '', summary ? apiText(summary.text) : '');
}

/** Electronic invoicing's findings (vault, then the items' own, e.g. the storage account), each with its fix. */
function serviceFindings(words: TabWords, vault: ServiceUseView | null, items: readonly { serviceUse: ServiceUseView | null }[]): HTMLElement | null {
  const findings = [vault, ...items.map((item) => item.serviceUse)].flatMap((use) => use?.findings ?? []).filter((finding) => !finding.code.startsWith('access.item'));
  if (findings.length === 0) return null;
  return h(
    'div',
    { class: 'service-use' },
    h('h5', {}, words.t('tab.keyVault.column.serviceUse')),
    h(
      'ul',
      { class: 'findings' },
      ...findings.map((finding) =>
        h('li', {}, serviceBadge(words, finding.outcome), ' ', apiText(finding.text), finding.fix && finding.outcome !== 'ok' ? h('div', {}, `${words.t('tab.keyVault.fix')} `, h('code', { dir: 'ltr' }, finding.fix)) : null),
      ),
    ),
  );
}

function requestButton(id: string, openRequest: (id: string) => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'link' }, id);
  button.addEventListener('click', () => openRequest(id));
  return button;
}

export function environmentCard(words: TabWords, environment: EnvironmentView, openRequest: (id: string) => void, openHistory: (environment: string) => void): HTMLElement {
  const requestLink = requestButton(environment.recordedBy, openRequest);
  const historyButton = h('button', { type: 'button', class: 'link', 'aria-label': words.t('tab.environment.historyLabel', { environment: environment.name }) }, words.t('tab.environment.history'));
  historyButton.addEventListener('click', () => openHistory(environment.name));
  return h(
    'article',
    { class: 'card environment', 'data-environment': environment.name, 'aria-labelledby': `env-${environment.name}` },
    h('h3', { id: `env-${environment.name}` }, environment.name, ' ', badge(words.t(ENVIRONMENT_STATE_KEY[environment.state]), ENVIRONMENT_STATE_TONE[environment.state])),
    environment.description ? h('p', {}, apiText(environment.description)) : null,
    facts([
      [words.t('tab.environment.setUpBy'), requestLink],
      [words.t('tab.environment.recorded'), dateTime(words, environment.recordedAt)],
      [words.t('tab.environment.published'), dateTime(words, environment.publishedAt)],
      [
        words.t('tab.environment.version'),
        environment.lastChangedBy
          ? h('span', {}, ...richText(words, 'tab.environment.versionBy', { version: String(environment.version), when: dateTime(words, environment.lastChangedAt) }, { request: requestButton(environment.lastChangedBy, openRequest) }))
          : String(environment.version),
      ],
      ...(environment.retiredAt ? ([[words.t('tab.environment.retired'), dateTime(words, environment.retiredAt)]] as [string, Child][]) : []),
      [words.t('tab.environment.history'), historyButton],
    ]),
    h('h4', {}, words.t('tab.environment.users', { count: environment.users.length })),
    h('ul', { class: 'users' }, ...environment.users.map((user) => h('li', {}, h('strong', {}, user.userId), ` · ${user.email}`))),
    keyVaultSection(words, environment),
    h('h4', {}, words.t('tab.environment.connectedApplications', { count: environment.connectedApplications.length })),
    environment.connectedApplications.length === 0
      ? h('p', { class: 'hint' }, words.t('tab.environment.noApplications'))
      : h(
          'ul',
          { class: 'apps' },
          ...environment.connectedApplications.map((application) =>
            h(
              'li',
              {},
              h('strong', {}, apiText(application.name)),
              ' · ',
              apiText(application.type),
              ' · ',
              h('bdi', { dir: 'ltr' }, application.applicationUrl),
              ' · ',
              application.lastCheck ? outcomeBadge(words, application.lastCheck.outcome, application.lastCheck.message) : words.t('tab.environment.applicationNotChecked'),
            ),
          ),
        ),
  );
}

function approvalsText(words: TabWords, request: RequestSummaryView): Child[] {
  const { approvals } = request;
  const decided = approvals.decisions.map((decision) => decisionText(words, decision, 'inline'));
  const count = words.t('tab.approvals.count', { received: approvals.received, required: approvals.required });
  return [count, decided.length > 0 ? ` · ${words.list(decided)}` : request.state === 'submitted' ? ` · ${words.t('tab.approvals.waiting')}` : ''];
}

/** "production: 2 approvals from group Finance-Prod-Approvers; a rejection needs a comment". */
function ruleText(words: TabWords, request: RequestSummaryView): string {
  const rule = request.approvals.rule;
  if (!rule) return '—';
  const approvers = rule.approvers.map((principal) => words.t(principal.kind === 'group' ? 'tab.rule.group' : 'tab.rule.user', { name: principal.name ?? principal.objectId }));
  return words.t('tab.rule.text', { rule: rule.name, count: rule.requiredApprovals, approvers: approvers.length > 0 ? words.list(approvers) : words.t('tab.rule.nobody'), comment: rule.rejectComment });
}

function mayStillDecideText(words: TabWords, request: RequestSummaryView): string {
  const people = request.approvals.mayStillDecide;
  return people.length === 0 ? words.t('tab.rule.nobody') : words.list(people.map((person) => words.t('tab.rule.person', { name: person.name ?? person.objectId, why: person.why })));
}

/** "approved by Ada" inside a line, "Approved by Ada" as a line of its own (capitals are the language's business). */
function decisionText(words: TabWords, decision: DecisionView, as: 'inline' | 'sentence'): string {
  const { name } = decision;
  if (as === 'inline') {
    return words.t(decision.decision === 'approved' ? 'tab.decision.approvedBy' : decision.decision === 'rejected' ? 'tab.decision.rejectedBy' : 'tab.decision.cancelledBy', { name });
  }
  return words.t(decision.decision === 'approved' ? 'tab.decision.approvedBy.sentence' : decision.decision === 'rejected' ? 'tab.decision.rejectedBy.sentence' : 'tab.decision.cancelledBy.sentence', { name });
}

const REQUEST_COLUMNS: readonly TabMessageKey[] = [
  'tab.requests.column.request',
  'tab.requests.column.state',
  'tab.requests.column.environment',
  'tab.requests.column.requestedBy',
  'tab.requests.column.approvals',
  'tab.requests.column.submitted',
  'tab.requests.column.lastChange',
];

export function requestsTable(words: TabWords, requests: readonly RequestSummaryView[], openRequest: (id: string) => void): HTMLElement {
  return h(
    'table',
    { class: 'requests', id: 'requests-table' },
    h('caption', {}, words.t('tab.requests.caption')),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...REQUEST_COLUMNS.map((key) => h('th', { scope: 'col' }, words.t(key))),
      ),
    ),
    h(
      'tbody',
      {},
      ...requests.map((request) => {
        const open = h('button', { type: 'button', class: 'link', 'aria-label': words.t('tab.requests.open', { id: request.id }) }, request.id);
        open.addEventListener('click', () => openRequest(request.id));
        return h(
          'tr',
          { 'data-request': request.id },
          h('th', { scope: 'row' }, open, request.dryRun ? h('span', { class: 'hint' }, ` ${words.t('tab.requests.dryRun')}`) : null),
          h('td', {}, badge(words.t(REQUEST_STATE_KEY[request.state]), REQUEST_STATE_TONE[request.state])),
          h('td', {}, request.kind === 'setup' ? '' : h('span', { class: 'hint' }, `${words.t(request.kind === 'change' ? 'tab.requests.kind.change' : 'tab.requests.kind.retire')} `), request.environment),
          h('td', {}, request.requester.name),
          h('td', {}, ...approvalsText(words, request)),
          h('td', {}, dateTime(words, request.createdAt)),
          h('td', {}, dateTime(words, request.updatedAt)),
        );
      }),
    ),
  );
}

/** The chain verdict of a request's entries (id chain-verdict) or of a history page's (id history-chain). */
function chainLine(words: TabWords, chain: ChainVerdictView, of: 'request' | 'history'): HTMLElement {
  const id = of === 'request' ? 'chain-verdict' : 'history-chain';
  return chain.ok
    ? h(
        'p',
        { class: 'chain chain-ok', id },
        badge(`✅ ${words.t('tab.chain.verified')}`, 'good'),
        ` ${words.t(of === 'request' ? 'tab.chain.request.ok' : 'tab.chain.history.ok', { count: chain.entries, when: dateTime(words, chain.checkedAt) })}`,
      )
    : h('p', { class: 'chain chain-broken', id, role: 'alert' }, badge(`❌ ${words.t('tab.chain.broken')}`, 'bad'), ' ', ...richText(words, 'tab.chain.brokenAt', { entry: chain.brokenAt }, { reason: apiText(chain.reason) }));
}

function auditDetails(entry: AuditEntryView): string {
  return Object.entries(entry.details)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(' · ');
}

export function backButton(words: TabWords, back: () => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'back' }, words.t('tab.back'));
  button.addEventListener('click', back);
  return button;
}

const AUDIT_COLUMNS: readonly TabMessageKey[] = ['tab.audit.column.seq', 'tab.audit.column.when', 'tab.audit.column.what', 'tab.audit.column.who', 'tab.audit.column.details', 'tab.audit.column.hash'];

export function requestDetail(words: TabWords, request: RequestDetailView, back: () => void): HTMLElement {
  const steps = request.execution?.steps ?? [];
  return h(
    'section',
    { class: 'detail', id: 'request-detail', 'aria-labelledby': 'detail-title' },
    backButton(words, back),
    h('h2', { id: 'detail-title', tabindex: '-1' }, `${request.id} `, badge(words.t(REQUEST_STATE_KEY[request.state]), REQUEST_STATE_TONE[request.state])),
    facts([
      [words.t('tab.request.requestedBy'), request.requester.name],
      [words.t('tab.request.submitted'), dateTime(words, request.createdAt)],
      [words.t('tab.request.approvals'), h('span', {}, ...approvalsText(words, request))],
      [words.t('tab.request.approvalRule'), ruleText(words, request)],
      [words.t('tab.request.mayStillDecide'), request.state === 'submitted' ? mayStillDecideText(words, request) : '—'],
      [words.t('tab.request.deadline'), request.state === 'submitted' ? dateTime(words, request.expiresAt) : '—'],
      [words.t('tab.request.environment'), request.environment],
      [words.t('tab.request.keyVaultReference'), words.t('tab.request.keyVaultReferenceValue', { reference: request.keyVaultReference, uri: request.content.keyVault.keyVaultUri })],
      [words.t('tab.request.connectedApplications'), request.connectedApplications.join(', ') || words.t('tab.request.none')],
      [words.t('tab.request.dryRun'), words.t(request.dryRun ? 'tab.request.dryRun.yes' : 'tab.request.dryRun.no')],
    ]),
    request.changes.length > 0
      ? h(
          'div',
          {},
          h('h3', {}, words.t('tab.request.changes', { environment: request.environment, version: request.baseVersion ?? '?' })),
          h('ul', { class: 'changes', id: 'request-changes' }, ...request.changes.map((line) => h('li', {}, apiText(line)))),
        )
      : null,
    request.approvals.decisions.length > 0
      ? h(
          'ul',
          { class: 'decisions' },
          ...request.approvals.decisions.map((decision) =>
            h('li', {}, `${decisionText(words, decision, 'sentence')} · ${dateTime(words, decision.at)}`, decision.comment ? ' · “' : '', decision.comment ? apiText(decision.comment) : '', decision.comment ? '”' : ''),
          ),
        )
      : null,
    steps.length > 0
      ? h(
          'div',
          {},
          h('h3', {}, words.t('tab.request.execution')),
          h(
            'ol',
            { class: 'steps' },
            ...steps.map((step) =>
              h(
                'li',
                {},
                badge(words.t(STEP_STATE_KEY[step.state]), step.state === 'ok' ? 'good' : step.state === 'warning' ? 'warning' : step.state === 'failed' ? 'bad' : 'neutral'),
                ' ',
                apiText(step.title),
                step.messages.length > 0 ? h('ul', {}, ...step.messages.map((message) => h('li', {}, apiText(message)))) : null,
              ),
            ),
          ),
        )
      : null,
    h('h3', {}, words.t('tab.request.auditTrail')),
    chainLine(words, request.audit.chain, 'request'),
    h(
      'table',
      { class: 'audit', id: 'audit-trail' },
      h('caption', {}, words.t('tab.audit.caption', { id: request.id })),
      h('thead', {}, h('tr', {}, ...AUDIT_COLUMNS.map((key) => h('th', { scope: 'col' }, words.t(key))))),
      h(
        'tbody',
        {},
        ...request.audit.entries.map((entry) =>
          h(
            'tr',
            {},
            h('td', {}, entry.seq),
            h('td', {}, dateTime(words, entry.at)),
            h('th', { scope: 'row' }, auditActionText(words, entry.action)),
            h('td', {}, 'system' in entry.actor ? 'setupbot' : entry.actor.name),
            h('td', {}, auditDetails(entry) ? h('bdi', { dir: 'ltr' }, auditDetails(entry)) : '—'),
            h('td', { class: 'hash', title: entry.hash }, `${entry.hash.slice(0, 12)}…`),
          ),
        ),
      ),
    ),
  );
}

const HISTORY_COLUMNS: readonly TabMessageKey[] = ['tab.audit.column.when', 'tab.history.column.request', 'tab.audit.column.what', 'tab.audit.column.seq'];

/** An environment's history, newest first, a page at a time (the same as `history <environment>` in chat). */
export function historyDetail(words: TabWords, history: EnvironmentHistoryView, actions: { back: () => void; page: (page: number) => void; openRequest: (id: string) => void }): HTMLElement {
  const pager = h('div', { class: 'pager' });
  if (history.page > 1) {
    const newer = h('button', { type: 'button', id: 'history-newer' }, words.t('tab.history.newer'));
    newer.addEventListener('click', () => actions.page(history.page - 1));
    pager.append(newer);
  }
  pager.append(h('span', { id: 'history-page' }, ` ${words.t('tab.history.page', { page: history.page, pages: history.pages, total: history.total })} `));
  if (history.page < history.pages) {
    const older = h('button', { type: 'button', id: 'history-older' }, words.t('tab.history.older'));
    older.addEventListener('click', () => actions.page(history.page + 1));
    pager.append(older);
  }
  return h(
    'section',
    { class: 'detail', id: 'history-detail', 'aria-labelledby': 'history-title' },
    backButton(words, actions.back),
    h('h2', { id: 'history-title', tabindex: '-1' }, words.t('tab.history.title', { environment: history.environment })),
    chainLine(words, history.chain, 'history'),
    h(
      'table',
      { class: 'audit', id: 'history-trail' },
      h('caption', {}, words.t('tab.history.caption', { environment: history.environment })),
      h('thead', {}, h('tr', {}, ...HISTORY_COLUMNS.map((key) => h('th', { scope: 'col' }, words.t(key))))),
      h(
        'tbody',
        {},
        ...history.entries.map((entry) =>
          h('tr', {}, h('td', {}, dateTime(words, entry.at)), h('td', {}, requestButton(entry.requestId, actions.openRequest)), h('th', { scope: 'row' }, apiText(entry.text)), h('td', {}, entry.seq)),
        ),
      ),
    ),
    pager,
  );
}
