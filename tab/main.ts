/**
 * The Setups tab: connects to Teams (teams-js), follows its theme, signs in with Teams SSO and
 * shows what the read API returns. Opened outside Teams it says so and stops.
 */
import './tab.css';
import type { EnvironmentListResponse, RequestListResponse } from '../read-api/shapes.js';
import { ApiFailure, SetupsApi } from './api.js';
import { h, replaceChildren } from './dom.js';
import { useLocale } from './format.js';
import { connectToTeams, notifyLoaded, offerTeamTabConfiguration, onThemeChange, ssoToken, type TeamsSession, type Theme } from './teams.js';
import { emptyState, environmentCard, historyDetail, messagePanel, requestDetail, requestsTable, viewerLine } from './views.js';

const root = document.getElementById('app') as HTMLElement;

function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

function show(...content: (Node | null)[]): void {
  root.setAttribute('aria-busy', 'false');
  replaceChildren(root, h('h1', {}, 'Setups'), ...content);
}

function loading(text: string): void {
  root.setAttribute('aria-busy', 'true');
  replaceChildren(root, h('h1', {}, 'Setups'), h('p', { id: 'status', role: 'status', 'aria-live': 'polite' }, text));
}

function failure(error: unknown): HTMLElement {
  if (error instanceof ApiFailure && error.status === 401) {
    return messagePanel('setupbot did not accept your sign-in', error.message, 'Reload the tab. If it keeps happening, ask your administrator to check the app registration (Expose an API, access tokens v2).');
  }
  if (error instanceof ApiFailure) return messagePanel('The setups could not be loaded', error.message);
  return messagePanel('Something went wrong', error instanceof Error ? error.message : String(error));
}

async function showOverview(api: SetupsApi, focusRequest?: string): Promise<void> {
  loading('Loading setups…');
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
    show(viewerLine(viewer), emptyState(viewer));
    return;
  }
  show(
    viewerLine(viewer),
    h(
      'section',
      { id: 'environments', 'aria-labelledby': 'environments-title' },
      h('h2', { id: 'environments-title' }, `Service environments (${environments.environments.length})`),
      environments.environments.length === 0
        ? h('p', { class: 'hint' }, 'No environment is set up yet: they appear once a request is approved and carried out.')
        : h('div', { class: 'cards' }, ...environments.environments.map((environment) => environmentCard(environment, open, history))),
    ),
    h(
      'section',
      { id: 'requests', 'aria-labelledby': 'requests-title' },
      h('h2', { id: 'requests-title' }, `Requests (${requests.requests.length})`),
      requests.requests.length === 0 ? h('p', { class: 'hint' }, 'No requests.') : h('div', { class: 'table-scroll' }, requestsTable(requests.requests, open)),
    ),
  );
  if (focusRequest) root.querySelector<HTMLElement>(`tr[data-request="${CSS.escape(focusRequest)}"] button`)?.focus();
}

async function showRequest(api: SetupsApi, id: string): Promise<void> {
  loading(`Loading ${id}…`);
  try {
    const { request } = await api.request(id);
    show(requestDetail(request, () => void showOverview(api, id)));
    root.querySelector<HTMLElement>('#detail-title')?.focus();
  } catch (error) {
    const back = h('button', { type: 'button', class: 'back' }, '← All setups');
    back.addEventListener('click', () => void showOverview(api));
    show(back, failure(error));
  }
}

async function showHistory(api: SetupsApi, environment: string, page: number): Promise<void> {
  loading(`Loading the history of ${environment}…`);
  const back = (): void => void showOverview(api);
  try {
    const { history } = await api.history(environment, page);
    show(historyDetail(history, { back, page: (next) => void showHistory(api, environment, next), openRequest: (id) => void showRequest(api, id) }));
    root.querySelector<HTMLElement>('#history-title')?.focus();
  } catch (error) {
    const button = h('button', { type: 'button', class: 'back' }, '← All setups');
    button.addEventListener('click', back);
    show(button, failure(error));
  }
}

function showOutsideTeams(anonymous: boolean): void {
  const local = anonymous ? h('button', { type: 'button', id: 'show-local' }, 'Show the setups on this machine') : null;
  local?.addEventListener('click', () => void showOverview(new SetupsApi(undefined)));
  show(
    messagePanel(
      'Open this tab in Microsoft Teams',
      'The Setups tab belongs to the setupbot app for Microsoft Teams and signs you in through Teams, so it does not work on its own in a browser.',
      'In Teams, open setupbot from your apps and choose the Setups tab.',
      anonymous ? h('p', {}, 'This bot runs in anonymous local mode (no sign-in, this machine only), so you can also look without Teams: ', local) : null,
    ),
  );
}

function showConfiguration(): void {
  show(
    messagePanel(
      'Add the Setups tab',
      'The tab shows the Electronic invoicing setups done with setupbot: service environments, requests and their audit trail.',
      'Everyone sees what they may see: approvers every request, everyone else their own. Select Save to add it.',
    ),
  );
  offerTeamTabConfiguration(`${window.location.origin}/tab`);
}

async function start(): Promise<void> {
  const anonymous = meta('setupbot-mode') === 'anonymous';
  const connection = await connectToTeams(meta('setupbot-host-origins').split(/\s+/).filter(Boolean));
  if (!connection.inTeams) {
    showOutsideTeams(anonymous);
    return;
  }
  const session: TeamsSession = connection.session;
  applyTheme(session.theme);
  onThemeChange(applyTheme);
  useLocale(session.locale);
  if (window.location.pathname.replace(/\/$/, '').endsWith('/config') || session.frameContext === 'settings') {
    showConfiguration();
    notifyLoaded();
    return;
  }
  let token: string | undefined;
  if (!anonymous) {
    loading(`Signing in${session.userName ? ` as ${session.userName}` : ''}…`);
    try {
      token = await ssoToken();
    } catch (error) {
      show(
        messagePanel(
          'Teams could not sign you in to setupbot',
          `Teams said: ${error instanceof Error ? error.message : String(error)}.`,
          'If this is the first time, your administrator may need to grant consent to the setupbot app in Entra ID. Then reload the tab.',
        ),
      );
      notifyLoaded();
      return;
    }
  }
  await showOverview(new SetupsApi(token));
  notifyLoaded();
}

void start();
