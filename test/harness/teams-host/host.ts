/**
 * Browser side of the Teams host stand-in: embeds the tab in an iframe and answers teams-js's
 * postMessage protocol the way Teams does: `{ id, uuidAsString, func, args }` from the tab,
 * `{ id, uuidAsString, args }` back; host-initiated events as `{ func, args }`.
 */
import type { HostConfig } from './config.js';

interface TabMessage {
  id: number;
  uuidAsString?: string;
  func: string;
  args?: unknown[];
}

declare global {
  interface Window {
    hostConfig: HostConfig;
    teamsHost: {
      /** Every func the tab sent, in order. */
      received: { func: string; args: unknown[] }[];
      sendTheme(theme: string): void;
      /** The user presses Save on the configuration dialog. */
      save(): void;
    };
  }
}

const config = window.hostConfig;
const tabOrigin = new URL(config.tabUrl).origin;
const frame = document.createElement('iframe');
frame.id = 'tab';
frame.title = 'Setups tab';
frame.src = config.tabUrl;
frame.style.width = '100%';
frame.style.height = '900px';
frame.style.border = '0';
document.body.appendChild(frame);

const received: { func: string; args: unknown[] }[] = [];

function post(message: unknown): void {
  frame.contentWindow?.postMessage(message, tabOrigin);
}

function respond(message: TabMessage, args: unknown[]): void {
  post({ id: message.id, uuidAsString: message.uuidAsString, args });
}

const runtime = {
  apiVersion: 4,
  isLegacyTeams: false,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  supports: {
    app: {},
    appEntity: {},
    pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
    teams: { fullTrust: {} },
  },
};

function context(): Record<string, unknown> {
  return {
    locale: config.locale ?? 'en-GB',
    theme: config.theme,
    entityId: 'setups',
    frameContext: config.frameContext,
    hostClientType: 'web',
    hostName: 'Teams',
    userObjectId: config.user.objectId,
    userDisplayName: config.user.displayName,
    userPrincipalName: config.user.userPrincipalName,
    loginHint: config.user.userPrincipalName,
    tid: config.user.tenantId,
    appSessionId: 'session-1',
  };
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== frame.contentWindow || event.origin !== tabOrigin) return;
  const message = event.data as TabMessage;
  if (typeof message?.func !== 'string') return;
  received.push({ func: message.func, args: message.args ?? [] });
  switch (message.func) {
    case 'initialize':
      respond(message, [config.frameContext, 'web', JSON.stringify(runtime), '2.58.0']);
      return;
    case 'getContext':
      respond(message, [context()]);
      return;
    case 'authentication.getAuthToken':
      respond(message, config.token === null ? [false, 'resourceRequiresConsent'] : [true, config.token]);
      return;
    case 'settings.setSettings':
      respond(message, [true]);
      return;
    default:
      // one-way messages (registerHandler, appInitialization.success, …) need no answer
      return;
  }
});

window.teamsHost = {
  received,
  sendTheme(theme) {
    post({ func: 'themeChange', args: [theme] });
  },
  save() {
    post({ func: 'settings.save', args: [{ webhookUrl: '' }] });
  },
};
