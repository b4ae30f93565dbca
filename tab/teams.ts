/** The tab's link to its Teams host (teams-js): start-up handshake, context, theme, SSO token. */
import { app, authentication, pages } from '@microsoft/teams-js';

export type Theme = 'default' | 'dark' | 'contrast';

export interface TeamsSession {
  userName: string;
  userObjectId: string;
  theme: Theme;
  locale: string;
  /** 'content' for the tab itself, 'settings' for the team tab's configuration page. */
  frameContext: string;
}

export type Connection = { inTeams: true; session: TeamsSession } | { inTeams: false; reason: string };

export function themeOf(value: string | undefined): Theme {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

function timeout(ms: number): Promise<never> {
  return new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`no answer from a Teams host within ${ms / 1000} s`)), ms));
}

/**
 * Initializes teams-js. Opened directly in a browser (no parent window), or framed by a page that
 * does not speak the Teams protocol, this resolves with inTeams: false instead of throwing.
 */
export async function connectToTeams(hostOrigins: readonly string[], timeoutMs = 10_000): Promise<Connection> {
  if (window.parent === window && !window.opener) return { inTeams: false, reason: 'opened outside a Teams host' };
  try {
    await Promise.race([app.initialize([...hostOrigins]), timeout(timeoutMs)]);
    const context = await Promise.race([app.getContext(), timeout(timeoutMs)]);
    return {
      inTeams: true,
      session: {
        userName: context.user?.displayName ?? context.user?.userPrincipalName ?? '',
        userObjectId: context.user?.id ?? '',
        theme: themeOf(context.app.theme),
        locale: context.app.locale,
        frameContext: context.page.frameContext ?? 'content',
      },
    };
  } catch (error) {
    return { inTeams: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

export function onThemeChange(handler: (theme: Theme) => void): void {
  app.registerOnThemeChangeHandler((theme) => handler(themeOf(theme)));
}

/** Teams SSO: an Entra ID token for this app, for the signed-in user. */
export function ssoToken(): Promise<string> {
  return authentication.getAuthToken();
}

export function notifyLoaded(): void {
  app.notifySuccess().catch(() => undefined);
}

/** The team tab's configuration page: one choice, saved as the Setups tab (its name in the user's language). */
export function offerTeamTabConfiguration(contentUrl: string, suggestedDisplayName: string): void {
  pages.config.registerOnSaveHandler((saveEvent) => {
    pages.config
      .setConfig({ contentUrl, entityId: 'setups', suggestedDisplayName })
      .then(() => saveEvent.notifySuccess())
      .catch((error: unknown) => saveEvent.notifyFailure(error instanceof Error ? error.message : String(error)));
  });
  pages.config.setValidityState(true);
}
