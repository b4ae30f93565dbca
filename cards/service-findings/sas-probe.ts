/**
 * English words for the findings of the SAS check (codes `sas.*`): what setupbot did with the SAS,
 * what the storage account answered, what that means for Electronic invoicing and what to do. The
 * Azure CLI command that fixes it travels beside the words (`finding.fix`), never inside them.
 */
import type { ServiceFinding } from '../../setup/model/verification.js';

const STEP_WORDS: Record<string, string> = {
  list: 'list the container',
  cleanup: 'delete an old probe blob',
  create: 'create a blob',
  read: 'read a blob',
  delete: 'delete a blob',
};

const PERMISSION_WORDS: Record<string, string> = {
  l: 'List (l)',
  d: 'Delete (d)',
  cw: 'Create and Write (c, w)',
  r: 'Read (r)',
};

const RENEW = 'Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry.';

function p(finding: ServiceFinding, name: string): string {
  const value = finding.params[name];
  return value === undefined ? '' : String(value);
}

function where(finding: ServiceFinding): string {
  return `container ${p(finding, 'container')} of storage account ${p(finding, 'account')}`;
}

function step(finding: ServiceFinding): string {
  return STEP_WORDS[p(finding, 'step')] ?? 'use the container';
}

function day(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

export const sasProbeText: Record<string, (finding: ServiceFinding) => string> = {
  'sas.usable': (f) => {
    const cleaned = Number(f.params.leftoversDeleted ?? 0);
    const leftovers = cleaned > 0 ? ` It also deleted ${cleaned} probe blob${cleaned === 1 ? '' : 's'} an earlier check left behind.` : '';
    return `Electronic invoicing can use the SAS: with it alone, setupbot listed ${where(f)}, created a probe blob, read it back and deleted it.${leftovers}`;
  },
  'sas.signatureRejected': (f) =>
    `Storage account ${p(f, 'account')} rejected the SAS signature, so Electronic invoicing can't use it either. The URL still looks right: this happens when the account key that signed it has been rotated (or the SAS was edited). ${RENEW}`,
  'sas.expired': (f) =>
    `Storage account ${p(f, 'account')} refused the SAS because it has expired${f.params.expiresOn ? ` (it was valid until ${day(p(f, 'expiresOn'))} UTC)` : ''}. ${RENEW}`,
  'sas.notYetValid': (f) =>
    `Storage account ${p(f, 'account')} refused the SAS because it is not valid yet${f.params.startsOn ? ` (it starts at ${day(p(f, 'startsOn'))} UTC)` : ''}, so Electronic invoicing can't use it now. Wait until then, or ${RENEW.charAt(0).toLowerCase()}${RENEW.slice(1)}`,
  'sas.permissionMissing': (f) =>
    `The SAS does not grant ${PERMISSION_WORDS[p(f, 'permission')] ?? p(f, 'permission')}: storage account ${p(f, 'account')} refused to let it ${step(f)} in container ${p(f, 'container')}, and Electronic invoicing needs that. ${RENEW}`,
  'sas.containerMissing': (f) =>
    `Container ${p(f, 'container')} does not exist in storage account ${p(f, 'account')} (it may have been deleted), so Electronic invoicing has nowhere to write. Create it again with the command shown (the SAS stays valid for a container of the same name), then press Retry.`,
  'sas.networkRefused': (f) =>
    `The network rules (firewall) of storage account ${p(f, 'account')} refused the request. Electronic invoicing calls the account from outside your networks, so unless its network is allowed it is refused too. Enable public network access from all networks with the command shown, or add the networks that must reach the account (az storage account network-rule add), then press Retry.`,
  'sas.ipRangeRefused': (f) =>
    `The SAS only allows some IP addresses (its sip range), and storage account ${p(f, 'account')} refused setupbot's. Electronic invoicing calls from addresses you don't control: generate a new SAS without an IP range (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry.`,
  'sas.accountNotFound': (f) =>
    `Storage account ${p(f, 'account')} could not be found: the DNS lookup of ${p(f, 'host')} failed (${p(f, 'reason')}). Check the account name in the SAS URL; if the account was deleted or renamed, generate a SAS for the right account and store it as a new version of the secret, then press Retry.`,
  'sas.proxyRefused': (f) =>
    `setupbot's proxy ${p(f, 'proxy')} could not open a connection to ${p(f, 'host')} (HTTP ${p(f, 'status')}). Storage account ${p(f, 'account')} may not exist (check the account name in the SAS URL), or the proxy does not allow ${p(f, 'host')}: ask for it to be allowed, then press Retry.`,
  'sas.unreachable': (f) =>
    `setupbot could not reach ${p(f, 'host')} (${p(f, 'reason')})${f.params.proxy ? ` through its proxy ${p(f, 'proxy')}` : ''}, so the SAS was not tried. Check the bot's network path to the storage account (proxy, firewall, private endpoint), then press Retry.`,
  'sas.untrustedTls': (f) =>
    `${p(f, 'host')} presented a TLS certificate setupbot does not trust (${p(f, 'reason')}), so the SAS was not sent. If a proxy or firewall inspects TLS, add its CA certificate to NODE_EXTRA_CA_CERTS and restart the bot, then press Retry.`,
  'sas.timeout': (f) =>
    `Storage account ${p(f, 'account')} did not answer in time${Number(f.params.seconds) > 0 ? ` (${p(f, 'seconds')} s)` : ''} when setupbot tried to ${step(f)} with the SAS. Check the bot's network path to ${p(f, 'host')}, then press Retry.`,
  'sas.serviceBusy': (f) =>
    `Storage account ${p(f, 'account')} could not answer when setupbot tried to ${step(f)} (HTTP ${p(f, 'status')}${p(f, 'code') ? ` ${p(f, 'code')}` : ''}): press Retry in a few minutes.`,
  'sas.refused': (f) =>
    `Storage account ${p(f, 'account')} refused to ${step(f)} in container ${p(f, 'container')} with the SAS (HTTP ${p(f, 'status')}${p(f, 'code') ? ` ${p(f, 'code')}` : ''}), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account.`,
  'sas.readBackMismatch': (f) =>
    `setupbot wrote a probe blob to ${where(f)} and read back something else: something between the bot and the account changes blobs. Check the proxy, then press Retry.`,
  'sas.proxySettingInvalid': () =>
    'The proxy setting (HTTPS_PROXY / HTTP_PROXY) is not an http:// or https:// URL, so the SAS was not tried: set it like http://proxy-host:port and restart the bot.',
  'sas.unexpected': (f) =>
    `Using the SAS to ${step(f)} in ${where(f)} failed unexpectedly (${p(f, 'error')}): press Retry.`,
};
