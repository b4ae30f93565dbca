import type { HelpCommand } from '../../cards/help.js';
import { askRetire, startChange } from './change-commands.js';
import type { CommandHandler, CommandTurn } from './command-turn.js';
import { verifyEnvironment } from './freshness-commands.js';
import { awayCommand, backCommand } from './delegation-commands.js';
import { sendHelp } from './help.js';
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

/**
 * The text commands the bot understands, in the order the help card lists them. A command is
 * listed here only once it works; the Teams manifest's command lists are built from the same data.
 */
export const COMMANDS: readonly CatalogCommand[] = [
  {
    usage: 'setup',
    handle: startSetup,
    description: 'Start a new setup request (or resume your draft).',
    button: { title: 'New setup', command: 'setup' },
    scopes: EVERYWHERE,
    menu: { title: 'setup', description: 'Start a new setup request (or resume your draft)' },
  },
  {
    usage: 'cancel',
    handle: cancelDraftOrRequest,
    description: 'Discard the setup draft you are writing (asks first).',
    scopes: EVERYWHERE,
    menu: { title: 'cancel', description: 'Discard your setup draft; cancel SR-0042 withdraws a request' },
  },
  {
    usage: 'requests',
    handle: ({ deps, context }) => listMyRequests(deps, context),
    description: 'Your setup requests and their state.',
    button: { title: 'My requests', command: 'requests' },
    scopes: EVERYWHERE,
    menu: { title: 'requests', description: 'Your setup requests and their state' },
  },
  {
    usage: 'approvals',
    handle: ({ deps, context }) => listApprovals(deps, context),
    description: 'Requests waiting for your decision, and why you may decide each.',
    button: { title: 'Pending approvals', command: 'approvals' },
    scopes: EVERYWHERE,
    menu: { title: 'approvals', description: 'Requests waiting for your decision' },
  },
  {
    usage: 'status SR-0042',
    handle: ({ deps, context, argument }) => showStatus(deps, context, argument),
    description: 'The current state of a request.',
    scopes: EVERYWHERE,
    menu: { title: 'status', description: 'The current state of a request, e.g. status SR-0042' },
  },
  { usage: 'cancel SR-0042', handle: cancelDraftOrRequest, description: 'Withdraw your request while it waits for approval.', scopes: EVERYWHERE },
  {
    usage: 'away until 2026-12-28 delegate @name',
    handle: awayCommand,
    description: "Approvers: while you're away, your approval cards also go to someone who decides on your behalf (at most 90 days).",
    scopes: EVERYWHERE,
  },
  { usage: 'back', handle: backCommand, description: 'Approvers: end your delegation; your approval cards come to you alone.', scopes: EVERYWHERE },
  {
    usage: 'environments',
    handle: ({ deps, context }) => listEnvironments(deps, context),
    description: 'The service environments set up so far.',
    button: { title: 'Environments', command: 'environments' },
    scopes: EVERYWHERE,
    menu: { title: 'environments', description: 'The service environments set up so far' },
  },
  {
    usage: 'notify here · off · status',
    handle: ({ deps, context, argument }) => notifyCommand(deps, context, argument.toLowerCase()),
    description: 'In a team channel: where request notifications go (approvers).',
    scopes: ['team'],
    menu: { title: 'notify here', description: 'Send request notifications to this channel (approvers); also notify off, notify status' },
  },
  {
    usage: 'show contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument }) => showEnvironment(deps, context, argument),
    description: 'One environment by name: users, Key Vault items, connected apps.',
    scopes: EVERYWHERE,
    menu: { title: 'show', description: 'One environment by name, e.g. show contoso-uat' },
  },
  {
    usage: 'history contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument }) => showHistory(deps, context, argument),
    description: 'Its audit trail, newest first: who asked, who approved, what changed, the results.',
    scopes: EVERYWHERE,
    menu: { title: 'history', description: "An environment's audit trail, e.g. history contoso-uat" },
    menuScopes: ['personal'],
  },
  {
    usage: 'change contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument, openSetup }) => startChange(deps, context, argument, openSetup),
    description: 'Change a set-up environment: users, apps, number sequences, Key Vault items (approved like any request).',
    scopes: EVERYWHERE,
  },
  {
    usage: 'retire contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument }) => askRetire(deps, context, argument),
    description: 'Retire an environment once approved: unlinks its apps; its history stays.',
    scopes: EVERYWHERE,
  },
  {
    usage: 'verify contoso-uat',
    takesName: true,
    handle: ({ deps, context, argument }) => verifyEnvironment(deps, context, argument),
    description: 'Check its Key Vault items now: expiry, access, SAS token (also done daily).',
    scopes: EVERYWHERE,
    menu: { title: 'verify', description: "Check an environment's Key Vault items now, e.g. verify contoso-uat" },
    menuScopes: ['personal'],
  },
  {
    usage: 'policy contoso-prod',
    takesName: true,
    handle: ({ deps, context, argument }) => showPolicy(deps, context, argument),
    description: 'The approval rule for an environment: approvers (and why), approvals needed, expiry, reminders, escalation.',
    scopes: EVERYWHERE,
  },
  {
    usage: 'help',
    handle: showHelp,
    description: 'Show what I can do.',
    scopes: EVERYWHERE,
    menu: { title: 'help', description: 'Show what I can do' },
  },
];

/** `help` (and `?`): the help card. */
function showHelp({ context }: CommandTurn): Promise<void> {
  return sendHelp(context, 'Here is what I can do', COMMANDS);
}

/** Extra words that reach a command's handler: `?` for help. (`my requests`, `new setup` are folded by parseCommand.) */
const ALIASES: Readonly<Record<string, string>> = { '?': 'help' };

/** The command (and so the handler) for what the user typed, by its verb; undefined when no command starts with it. */
export function routeCommand(verb: string): CatalogCommand | undefined {
  const wanted = Object.hasOwn(ALIASES, verb) ? ALIASES[verb] : verb;
  return COMMANDS.find((command) => parseCommand(command.usage).verb === wanted);
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
