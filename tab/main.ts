/**
 * The Setups tab: connects to Teams (teams-js), follows its theme, signs in with Teams SSO and
 * shows what the read API returns. Opened outside Teams it says so and stops.
 */
import './tab.css';
import type { EnvironmentListResponse, RequestListResponse } from '../read-api/shapes.js';
import { tabWords, type TabWords } from '../i18n/tab-words.js';
import { ApiFailure, SetupsApi } from './api.js';
import { h, replaceChildren } from './dom.js';
import { connectToTeams, notifyLoaded, offerTeamTabConfiguration, onThemeChange, ssoToken, type TeamsSession, type Theme } from './teams.js';
import { backButton, emptyState, environmentCard, historyDetail, messagePanel, requestDetail, requestsTable, viewerLine } from './views.js';

const root = document.getElementById('app') as HTMLElement;

/** The browser's language until Teams tells the user's (context.app.locale). */
let words: TabWords = tabWords(navigator.language);

/** Speaks the user's language: the words, `<html lang dir>` (right to left for Arabic), the page title. */
function useLanguage(locale: string | undefined): void {
  words = tabWords(locale);
  document.documentElement.lang = words.locale.split('-u-')[0];
  document.documentElement.dir = words.rtl ? 'rtl' : 'ltr';
  document.title = words.t('tab.documentTitle');
}

function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

function show(...content: (Node | null)[]): void {
  root.setAttribute('aria-busy', 'false');
  replaceChildren(root, h('h1', {}, words.t('tab.title')), ...content);
}

function loading(text: string): void {
  root.setAttribute('aria-busy', 'true');
  replaceChildren(root, h('h1', {}, words.t('tab.title')), h('p', { id: 'status', role: 'status', 'aria-live': 'polite' }, text));
}

/** A message the API or the browser wrote (often English): a paragraph isolated with its own direction. */
function said(text: string): HTMLElement {
  return h('p', {}, h('bdi', {}, text));
}

function failure(error: unknown): HTMLElement {
  if (error instanceof ApiFailure && error.status === 401) {
    return messagePanel(words.t('tab.error.signInRefused.title'), said(error.message), words.t('tab.error.signInRefused.fix'));
  }
  if (error instanceof ApiFailure) return messagePanel(words.t('tab.error.loadFailed.title'), said(error.message));
  return messagePanel(words.t('tab.error.unexpected.title'), said(error instanceof Error ? error.message : String(error)));
}

async function showOverview(api: SetupsApi, focusRequest?: string): Promise<void> {
  loading(words.t('tab.loading.setups'));
  let environments: EnvironmentListResponse;
  let requests: RequestListResponse;
  try {
    [environments, requests] = await Promise.all([api.environments(), api.requests()]);
  } catch (error) {
    show(failure(error));
    return;
  }
  const open = (id: string): void => void showRequest(api, id);
  const history = (environment: string): void => void showHistory(api, environment, 1);
  const { viewer } = requests;
  if (environments.environments.length === 0 && requests.requests.length === 0) {
    show(viewerLine(words, viewer), emptyState(words, viewer));
    return;
  }
  show(
    viewerLine(words, viewer),
    h(
      'section',
      { id: 'environments', 'aria-labelledby': 'environments-title' },
      h('h2', { id: 'environments-title' }, words.t('tab.environments.heading', { count: environments.environments.length })),
      environments.environments.length === 0
        ? h('p', { class: 'hint' }, words.t('tab.environments.none'))
        : h('div', { class: 'cards' }, ...environments.environments.map((environment) => environmentCard(words, environment, open, history))),
    ),
    h(
      'section',
      { id: 'requests', 'aria-labelledby': 'requests-title' },
      h('h2', { id: 'requests-title' }, words.t('tab.requests.heading', { count: requests.requests.length })),
      requests.requests.length === 0 ? h('p', { class: 'hint' }, words.t('tab.requests.none')) : h('div', { class: 'table-scroll' }, requestsTable(words, requests.requests, open)),
    ),
  );
  if (focusRequest) root.querySelector<HTMLElement>(`tr[data-request="${CSS.escape(focusRequest)}"] button`)?.focus();
}

async function showRequest(api: SetupsApi, id: string): Promise<void> {
  loading(words.t('tab.loading.request', { id }));
  try {
    const { request } = await api.request(id);
    show(requestDetail(words, request, () => void showOverview(api, id)));
    root.querySelector<HTMLElement>('#detail-title')?.focus();
  } catch (error) {
    show(backButton(words, () => void showOverview(api)), failure(error));
  }
}

async function showHistory(api: SetupsApi, environment: string, page: number): Promise<void> {
  loading(words.t('tab.loading.history', { environment }));
  const back = (): void => void showOverview(api);
  try {
    const { history } = await api.history(environment, page);
    show(historyDetail(words, history, { back, page: (next) => void showHistory(api, environment, next), openRequest: (id) => void showRequest(api, id) }));
    root.querySelector<HTMLElement>('#history-title')?.focus();
  } catch (error) {
    show(backButton(words, back), failure(error));
  }
}

function showOutsideTeams(anonymous: boolean): void {
  const local = anonymous ? h('button', { type: 'button', id: 'show-local' }, words.t('tab.outside.showLocal')) : null;
  local?.addEventListener('click', () => void showOverview(new SetupsApi(undefined, words)));
  show(
    messagePanel(
      words.t('tab.outside.title'),
      words.t('tab.outside.body'),
      words.t('tab.outside.fix'),
      anonymous ? h('p', {}, `${words.t('tab.outside.anonymous')} `, local) : null,
    ),
  );
}

function showConfiguration(): void {
  show(
    messagePanel(words.t('tab.config.title'), words.t('tab.config.body'), words.t('tab.config.fix')),
  );
  // Teams fills {locale} in, as for the personal tab: the saved tab is served in each viewer's language before its script runs
  offerTeamTabConfiguration(`${window.location.origin}/tab?locale={locale}`, words.t('tab.title'));
}

async function start(): Promise<void> {
  const anonymous = meta('setupbot-mode') === 'anonymous';
  useLanguage(navigator.language);
  const connection = await connectToTeams(meta('setupbot-host-origins').split(/\s+/).filter(Boolean));
  if (!connection.inTeams) {
    showOutsideTeams(anonymous);
    return;
  }
  const session: TeamsSession = connection.session;
  applyTheme(session.theme);
  onThemeChange(applyTheme);
  useLanguage(session.locale || navigator.language);
  if (window.location.pathname.replace(/\/$/, '').endsWith('/config') || session.frameContext === 'settings') {
    showConfiguration();
    notifyLoaded();
    return;
  }
  let token: string | undefined;
  if (!anonymous) {
    loading(session.userName ? words.t('tab.signingIn.as', { name: session.userName }) : words.t('tab.signingIn'));
    try {
      token = await ssoToken();
    } catch (error) {
      show(
        messagePanel(
          words.t('tab.sso.failed.title'),
          words.t('tab.sso.failed.teamsSaid', { message: error instanceof Error ? error.message : String(error) }),
          words.t('tab.sso.failed.fix'),
        ),
      );
      notifyLoaded();
      return;
    }
  }
  await showOverview(new SetupsApi(token, words));
  notifyLoaded();
}

void start();
