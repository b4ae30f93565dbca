import type { PrivateConversationState } from 'botbuilder';
import type { SetupDialogDeps } from '../dialogs/setup-context.js';
import type { Logger } from '../setup/ports.js';
import type { FreshnessCheck } from '../setup/registry/freshness.js';
import type { EnvironmentHistory } from '../setup/audit/history.js';
import type { Registry } from '../setup/registry/registry.js';
import type { RequestActionDeps } from './card-actions/context.js';
import type { InstallationStore } from './installations.js';
import type { Notifier } from './notifications/notifier.js';
import type { NotifySubscriptions } from './notifications/subscriptions.js';
import type { DelegationStore } from '../setup/requests/delegations.js';

/** Everything the activity handler and its commands work with, handed in by the composition root. */
export interface BotDeps extends SetupDialogDeps, RequestActionDeps {
  logger: Logger;
  installations: InstallationStore;
  /** Dialog state per user per conversation (two admins in one channel never share a dialog). */
  dialogState: PrivateConversationState;
  /** Entra object ids allowed to request a setup; empty = anyone (in an allowed tenant). */
  requesters: readonly string[];
  registry: Registry;
  subscriptions: NotifySubscriptions;
  notifier: Notifier;
  /** `verify <environment>`: the freshness check on demand. */
  freshness: FreshnessCheck;
  /** `history <environment>`. */
  history: EnvironmentHistory;
  /** `away` / `back`: approvers away and their delegates (absent: the commands are not offered). */
  delegations?: DelegationStore;
}
