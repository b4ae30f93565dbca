import type { HelpCommand } from '../../cards/help.js';

/**
 * The text commands the bot understands, in the order the help card lists them. A command is
 * listed here only once it works; the Teams manifest's command list is built from the same data.
 */
export const COMMANDS: readonly HelpCommand[] = [
  { usage: 'setup', description: 'Start a new setup request (or resume your draft).', button: { title: 'New setup', command: 'setup' } },
  { usage: 'cancel', description: 'Discard the setup draft you are writing (asks first).' },
  { usage: 'requests', description: 'Your setup requests and their state.', button: { title: 'My requests', command: 'requests' } },
  { usage: 'approvals', description: 'Requests waiting for your decision.', button: { title: 'Pending approvals', command: 'approvals' } },
  { usage: 'status SR-0042', description: 'The current state of a request.' },
  { usage: 'cancel SR-0042', description: 'Withdraw your request while it waits for approval.' },
  { usage: 'environments', description: 'The service environments set up so far.', button: { title: 'Environments', command: 'environments' } },
  { usage: 'notify here · off · status', description: 'In a team channel: where request notifications go (approvers).' },
  { usage: 'show contoso-uat', description: 'One environment by name: users, Key Vault items, connected apps.' },
  { usage: 'history contoso-uat', description: 'Its audit trail, newest first: who asked, who approved, what changed, the results.' },
  { usage: 'verify contoso-uat', description: 'Check its Key Vault items now: expiry, access, SAS token (also done daily).' },
  { usage: 'help', description: 'Show what I can do.' },
];

/** Normalises what the user typed: mention already removed, whitespace folded, lower-case verb. */
export function parseCommand(text: string | undefined): { verb: string; argument: string } {
  const folded = (text ?? '').replace(/\s+/g, ' ').trim();
  const lowered = folded.toLowerCase();
  if (lowered === 'my requests') return { verb: 'requests', argument: '' };
  if (lowered === 'new setup' || lowered.startsWith('new setup ')) return { verb: 'setup', argument: folded.slice(9).trim() };
  const [first = '', ...rest] = folded.split(' ');
  return { verb: first.toLowerCase(), argument: rest.join(' ') };
}
