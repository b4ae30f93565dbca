import type { HelpCommand } from '../../cards/help.js';
import { ENGLISH_WORDS } from '../../cards/words/commands.js';
import { askRetire, startChange } from './change-commands.js';
import type { CommandHandler, CommandTurn } from './command-turn.js';
import { verifyEnvironment } from './freshness-commands.js';
import { awayCommand, backCommand } from './delegation-commands.js';
import { sendHelp } from './help.js';
import type { MessageKey } from '../../i18n/message-keys.js';
import { showHistory } from './history-command.js';
import { notifyCommand } from './notify-command.js';
import { listEnvironments, showEnvironment } from './registry-commands.js';
import { listMyRequests, showStatus } from './request-commands.js';
import { listApprovals, showPolicy } from './policy-commands.js';
import { cancelDraftOrRequest, startSetup } from './setup-commands.js';

/** The Teams scopes a bot can be installed in (the manifest's names). */
export type CommandScope = 'personal' | 'team' | 'groupChat';
export const COMMAND_SCOPES: readonly CommandScope[] = ['personal', 'team', 'groupChat'];

const EVERYWHERE: readonly CommandScope[] = COMMAND_SCOPES;

/**
 * One text command: what the help card shows, what the Teams command menu offers where, and the
 * handler its verb (the first word of `usage`) is dispatched to.
 */
export interface CatalogCommand extends HelpCommand {
  handle: CommandHandler;
  /** The catalog key of `description` (the help card says it in the reader's words; `description` is its English). */
  descriptionKey: MessageKey;
  button?: HelpCommand['button'] & { titleKey: MessageKey };
  /**
   * The argument is an environment name: it passes the name gate (bot/name-argument.ts: no
   * pasted secret, no over-long text) before the handler looks it up or quotes it back.
   */
  takesName?: true;
  /** The scopes in which the bot really answers this command. */
  scopes: readonly CommandScope[];
  /**
   * The entry in the Teams command menu (the manifest's commandLists): `title` is what the menu
   * puts in the compose box. Absent: the command is not offered there (e.g. a variant of
   * another entry).
   */
  menu?: { title: string; description: string };
  /** Where the menu offers it, when not everywhere it is answered (Teams allows 10 menu entries per scope). */
  menuScopes?: readonly CommandScope[];
}

/** A description from the `replies` catalog: its English, and its key for the reader's words. */
function described(key: MessageKey): { description: string; descriptionKey: MessageKey } {
  return { description: ENGLISH_WORDS.t(key), descriptionKey: key };
}

/** A button title from the `replies` catalog. */
function titled(key: MessageKey): { title: string; titleKey: MessageKey } {
  return { title: ENGLISH_WORDS.t(key), titleKey: key };
}

/**
 * The text commands the bot understands, in the order the help card lists them. A command is
 * listed here only once it works; the Teams manifest's command lists are built from the same data.
 */
export const COMMANDS: readonly CatalogCommand[] = [
  {
    usage: 'setup',
    handle: startSetup,
    ...described('replies.help.command.setup'),
    button: { ...titled('replies.help.newSetupButton'), command: 'setup' },
    scopes: EVERYWHERE,
    menu: { title: 'setup', description: 'Start a new setup request (or resume your draft)' },
  },
  {
    usage: 'cancel',
    handle: cancelDraftOrRequest,
    ...described('replies.help.command.cancel'),
    scopes: EVERYWHERE,
    menu: { title: 'cancel', description: 'Discard your setup draft; cancel SR-0042 withdraws a request' },
  },
  {
    usage: 'requests',
    handle: ({ deps, context }) => listMyRequests(deps, context),
    ...described('replies.help.command.requests'),
    button: { ...titled('replies.help.button.requests'), command: 'requests' },
    scopes: EVERYWHERE,
    menu: { title: 'requests', description: 'Your setup requests and their state' },
  },
  {
    usage: 'approvals',
    handle: ({ deps, context }) => listApprovals(deps, context),
    ...described('replies.help.command.approvals'),
    button: { ...titled('replies.help.button.approvals'), command: 'approvals' },
    scopes: EVERYWHERE,
    menu: { title: 'approvals', description: 'Requests waiting for your decision' },
  },
  {
    usage: 'status SR-0042',
    handle: ({ deps, context, argument }) => showStatus(deps, context, argument),
    ...described('replies.help.command.status'),
    scopes: EVERYWHERE,
    menu: { title: 'status', description: 'The current state of a request, e.g. status SR-0042' },
  },
  { usage: 'cancel SR-0042', handle: cancelDraftOrRequest, ...described('replies.help.command.cancelRequest'), scopes: EVERYWHERE },
  {
    usage: 'away until 2026-12-28 delegate @name',
    handle: awayCommand,
    ...described('replies.help.command.away'),
    scopes: EVERYWHERE,
  },
  { usage: 'back', handle: backCommand, ...described('replies.help.command.back'), scopes: EVERYWHERE },
  {
    usage: 'environments',
    handle: ({ deps, context }) => listEnvironments(deps, context),
    ...described('replies.help.command.environments'),
    button: { ...titled('replies.help.button.environments'), command: 'environments' },
    scopes: EVERYWHERE,
    menu: { title: 'environments', description: 'The service environments set up so far' },
  },
  {
    usage: 'notify here · off · status',
    handle: ({ deps, context, argument }) => notifyCommand(deps, context, argument.toLowerCase()),
    ...described('replies.help.command.notify'),
    scopes: ['team'],
    menu: { title: 'notify here', description: 'Send request notifications to this channel (approvers); also notify off, notify status' },
  },
  {
    usage: 'show contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument }) => showEnvironment(deps, context, argument),
    ...described('replies.help.command.show'),
    scopes: EVERYWHERE,
    menu: { title: 'show', description: 'One environment by name, e.g. show contoso-uat' },
  },
  {
    usage: 'history contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument }) => showHistory(deps, context, argument),
    ...described('replies.help.command.history'),
    scopes: EVERYWHERE,
    menu: { title: 'history', description: "An environment's audit trail, e.g. history contoso-uat" },
    menuScopes: ['personal'],
  },
  {
    usage: 'change contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument, openSetup }) => startChange(deps, context, argument, openSetup),
    ...described('replies.help.command.change'),
    scopes: EVERYWHERE,
  },
  {
    usage: 'retire contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument }) => askRetire(deps, context, argument),
    ...described('replies.help.command.retire'),
    scopes: EVERYWHERE,
  },
  {
    usage: 'verify contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument }) => verifyEnvironment(deps, context, argument),
    ...described('replies.help.command.verify'),
    scopes: EVERYWHERE,
    menu: { title: 'verify', description: "Check an environment's Key Vault items now, e.g. verify contoso-uat" },
    menuScopes: ['personal'],
  },
  {
    usage: 'policy contoso-prod',
    takesName: true,
    handle: ({ deps, context, argument }) => showPolicy(deps, context, argument),
    ...described('replies.help.command.policy'),
    scopes: EVERYWHERE,
  },
  {
    usage: 'help',
    handle: showHelp,
    ...described('replies.help.command.help'),
    scopes: EVERYWHERE,
    menu: { title: 'help', description: 'Show what I can do' },
  },
];

/** `help` (and `?`): the help card. */
function showHelp({ context }: CommandTurn): Promise<void> {
  return sendHelp(context, 'replies.help.heading', COMMANDS);
}

/** Extra words that reach a command's handler: `?` for help. (`my requests`, `new setup` are folded by parseCommand.) */
const ALIASES: Readonly<Record<string, string>> = { '?': 'help' };

/** Each command by the verb of its usage, the first in catalog order where two share one (parsed once, not on every turn). */
let byVerb: ReadonlyMap<string, CatalogCommand> | undefined;

/** The command (and so the handler) for what the user typed, by its verb; undefined when no command starts with it. */
export function routeCommand(verb: string): CatalogCommand | undefined {
  const wanted = Object.hasOwn(ALIASES, verb) ? ALIASES[verb] : verb;
  byVerb ??= COMMANDS.reduceRight((map, command) => map.set(parseCommand(command.usage).verb, command), new Map<string, CatalogCommand>());
  return byVerb.get(wanted);
}

/** The command menu for one scope, in catalog order. */
export function menuFor(scope: CommandScope): { title: string; description: string }[] {
  return COMMANDS.flatMap((command) => (command.menu && command.scopes.includes(scope) && (command.menuScopes ?? command.scopes).includes(scope) ? [command.menu] : []));
}

/** Normalises what the user typed: mention already removed, whitespace folded, lower-case verb. */
export function parseCommand(text: string | undefined): { verb: string; argument: string } {
  const folded = (text ?? '').replace(/\s+/g, ' ').trim();
  const lowered = folded.toLowerCase();
  if (lowered === 'my requests') return { verb: 'requests', argument: '' };
  if (lowered === 'new setup' || lowered.startsWith('new setup ')) return { verb: 'setup', argument: folded.slice(9).trim() };
  const [first = '', ...rest] = folded.split(' ');
  return { verb: first.toLowerCase(), argument: rest.join(' ') };
}
