/** What the Teams host stand-in tells the tab (see host.ts). Plain data, shared with the Node side. */
export interface HostConfig {
  tabUrl: string;
  /** 'content' for the tab, 'settings' for its configuration page. */
  frameContext: 'content' | 'settings';
  theme: string;
  /** The user's Teams language (context.app.locale), e.g. 'de-DE', 'ar-SA'; en-GB when absent. */
  locale?: string;
  user: { objectId: string; displayName: string; userPrincipalName: string; tenantId: string };
  /** The SSO token getAuthToken answers with; null: Teams refuses (e.g. consent missing). */
  token: string | null;
}
