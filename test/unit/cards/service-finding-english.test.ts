/**
 * The findings' words moved into the catalogs (`cards.serviceFinding.<code>`) unchanged: for every
 * code, with a full set of parameters and with each optional part and choice (reason, step,
 * permission, counts) present and absent, the English is byte for byte what the template literals
 * of cards/service-findings made before the move. The expected strings were made once by those
 * functions (same parameters) and pasted here.
 */
import { serviceFindingText } from '../../../cards/service-findings/index.js';
import { sasProbeValues } from '../../../cards/service-findings/sas-probe.js';
import { serviceAccessValues } from '../../../cards/service-findings/service-access.js';
import { ENGLISH, ENGLISH_MESSAGES, Translations } from '../../../i18n/translations.js';
import { PSEUDO_CLOSE, PSEUDO_OPEN } from '../../../i18n/pseudo.js';

type Params = Record<string, string | number>;

const SAS: Params = {
  account: 'contosoinvoicing',
  container: 'einvoicing',
  host: 'contosoinvoicing.blob.core.windows.net',
  proxy: 'proxy.contoso.com:8080',
  status: 502,
  code: 'ServerBusy',
  reason: 'ECONNRESET',
  seconds: 20,
  error: 'TypeError',
  step: 'create',
  permission: 'cw',
  startsOn: '2026-12-08T00:00:00.000Z',
  expiresOn: '2026-12-01T00:00:00.000Z',
  leftoversDeleted: 0,
};

const ACCESS: Params = {
  objectId: '5b0f3c1e-7d2a-4e8f-9a61-0c3d2e1f4a5b',
  appId: '00000000-0000-0000-0000-000000000000',
  vault: 'contoso-einvoicing',
  model: 'accessPolicy',
  missing: 'Get and List on certificates',
  roles: 'Key Vault Secrets User, Key Vault Certificate User',
  role: 'Key Vault Secrets User',
  groupRoles: 'Key Vault Administrator',
  unknownRoles: 2,
  ipRules: 3,
  publicNetworkAccess: 'Disabled',
  defaultAction: 'Deny',
  account: 'contosoeinv',
  period: '7.00:00:00',
  lifetimeDays: 365,
  secret: 'storage-sas-token',
  action: 'Log',
  container: 'einvoicing',
  publicAccess: 'blob',
  found: 'off',
  reason: 'forbidden',
};

function without(params: Params, ...names: string[]): Params {
  return Object.fromEntries(Object.entries(params).filter(([name]) => !names.includes(name)));
}

/** [code, params, the English before the move]. */
const BEFORE: readonly [string, Params, string][] = [
  ["sas.usable", SAS, "Electronic invoicing can use the SAS: with it alone, setupbot listed container einvoicing of storage account contosoinvoicing, created a probe blob, read it back and deleted it."],
  ["sas.usable", {}, "Electronic invoicing can use the SAS: with it alone, setupbot listed container  of storage account , created a probe blob, read it back and deleted it."],
  ["sas.usable", { ...SAS, leftoversDeleted: 1 }, "Electronic invoicing can use the SAS: with it alone, setupbot listed container einvoicing of storage account contosoinvoicing, created a probe blob, read it back and deleted it. It also deleted 1 probe blob an earlier check left behind."],
  ["sas.usable", { ...SAS, leftoversDeleted: 2 }, "Electronic invoicing can use the SAS: with it alone, setupbot listed container einvoicing of storage account contosoinvoicing, created a probe blob, read it back and deleted it. It also deleted 2 probe blobs an earlier check left behind."],
  ["sas.usable", without(SAS, 'leftoversDeleted'), "Electronic invoicing can use the SAS: with it alone, setupbot listed container einvoicing of storage account contosoinvoicing, created a probe blob, read it back and deleted it."],
  ["sas.signatureRejected", SAS, "Storage account contosoinvoicing rejected the SAS signature, so Electronic invoicing can't use it either. The URL still looks right: this happens when the account key that signed it has been rotated (or the SAS was edited). Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.signatureRejected", {}, "Storage account  rejected the SAS signature, so Electronic invoicing can't use it either. The URL still looks right: this happens when the account key that signed it has been rotated (or the SAS was edited). Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.expired", SAS, "Storage account contosoinvoicing refused the SAS because it has expired (it was valid until 2026-12-01 00:00 UTC). Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.expired", {}, "Storage account  refused the SAS because it has expired. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.expired", without(SAS, 'expiresOn'), "Storage account contosoinvoicing refused the SAS because it has expired. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.expired", { ...SAS, expiresOn: '' }, "Storage account contosoinvoicing refused the SAS because it has expired. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.notYetValid", SAS, "Storage account contosoinvoicing refused the SAS because it is not valid yet (it starts at 2026-12-08 00:00 UTC), so Electronic invoicing can't use it now. Wait until then, or generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.notYetValid", {}, "Storage account  refused the SAS because it is not valid yet, so Electronic invoicing can't use it now. Wait until then, or generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.notYetValid", without(SAS, 'startsOn'), "Storage account contosoinvoicing refused the SAS because it is not valid yet, so Electronic invoicing can't use it now. Wait until then, or generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.permissionMissing", SAS, "The SAS does not grant Create and Write (c, w): storage account contosoinvoicing refused to let it create a blob in container einvoicing, and Electronic invoicing needs that. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.permissionMissing", {}, "The SAS does not grant : storage account  refused to let it use the container in container , and Electronic invoicing needs that. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.permissionMissing", { ...SAS, step: 'list', permission: 'l' }, "The SAS does not grant List (l): storage account contosoinvoicing refused to let it list the container in container einvoicing, and Electronic invoicing needs that. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.permissionMissing", { ...SAS, step: 'cleanup', permission: 'd' }, "The SAS does not grant Delete (d): storage account contosoinvoicing refused to let it delete an old probe blob in container einvoicing, and Electronic invoicing needs that. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.permissionMissing", { ...SAS, step: 'create', permission: 'cw' }, "The SAS does not grant Create and Write (c, w): storage account contosoinvoicing refused to let it create a blob in container einvoicing, and Electronic invoicing needs that. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.permissionMissing", { ...SAS, step: 'read', permission: 'r' }, "The SAS does not grant Read (r): storage account contosoinvoicing refused to let it read a blob in container einvoicing, and Electronic invoicing needs that. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.permissionMissing", { ...SAS, step: 'delete', permission: 'd' }, "The SAS does not grant Delete (d): storage account contosoinvoicing refused to let it delete a blob in container einvoicing, and Electronic invoicing needs that. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.permissionMissing", { ...SAS, step: 'rename', permission: 'x' }, "The SAS does not grant x: storage account contosoinvoicing refused to let it use the container in container einvoicing, and Electronic invoicing needs that. Generate a new SAS (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.containerMissing", SAS, "Container einvoicing does not exist in storage account contosoinvoicing (it may have been deleted), so Electronic invoicing has nowhere to write. Create it again with the command shown (the SAS stays valid for a container of the same name), then press Retry."],
  ["sas.containerMissing", {}, "Container  does not exist in storage account  (it may have been deleted), so Electronic invoicing has nowhere to write. Create it again with the command shown (the SAS stays valid for a container of the same name), then press Retry."],
  ["sas.networkRefused", SAS, "The network rules (firewall) of storage account contosoinvoicing refused the request. Electronic invoicing calls the account from outside your networks, so unless its network is allowed it is refused too. Enable public network access from all networks with the command shown, or add the networks that must reach the account (az storage account network-rule add), then press Retry."],
  ["sas.networkRefused", {}, "The network rules (firewall) of storage account  refused the request. Electronic invoicing calls the account from outside your networks, so unless its network is allowed it is refused too. Enable public network access from all networks with the command shown, or add the networks that must reach the account (az storage account network-rule add), then press Retry."],
  ["sas.ipRangeRefused", SAS, "The SAS only allows some IP addresses (its sip range), and storage account contosoinvoicing refused setupbot's. Electronic invoicing calls from addresses you don't control: generate a new SAS without an IP range (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.ipRangeRefused", {}, "The SAS only allows some IP addresses (its sip range), and storage account  refused setupbot's. Electronic invoicing calls from addresses you don't control: generate a new SAS without an IP range (Read, Add, Create, Write, Delete, List) and store it as a new version of the secret with the command shown, then press Retry."],
  ["sas.accountNotFound", SAS, "Storage account contosoinvoicing could not be found: the DNS lookup of contosoinvoicing.blob.core.windows.net failed (ECONNRESET). Check the account name in the SAS URL; if the account was deleted or renamed, generate a SAS for the right account and store it as a new version of the secret, then press Retry."],
  ["sas.accountNotFound", {}, "Storage account  could not be found: the DNS lookup of  failed (). Check the account name in the SAS URL; if the account was deleted or renamed, generate a SAS for the right account and store it as a new version of the secret, then press Retry."],
  ["sas.accountNotFound", { ...SAS, reason: 'ENOTFOUND' }, "Storage account contosoinvoicing could not be found: the DNS lookup of contosoinvoicing.blob.core.windows.net failed (ENOTFOUND). Check the account name in the SAS URL; if the account was deleted or renamed, generate a SAS for the right account and store it as a new version of the secret, then press Retry."],
  ["sas.proxyRefused", SAS, "setupbot's proxy proxy.contoso.com:8080 could not open a connection to contosoinvoicing.blob.core.windows.net (HTTP 502). Storage account contosoinvoicing may not exist (check the account name in the SAS URL), or the proxy does not allow contosoinvoicing.blob.core.windows.net: ask for it to be allowed, then press Retry."],
  ["sas.proxyRefused", {}, "setupbot's proxy  could not open a connection to  (HTTP ). Storage account  may not exist (check the account name in the SAS URL), or the proxy does not allow : ask for it to be allowed, then press Retry."],
  ["sas.unreachable", SAS, "setupbot could not reach contosoinvoicing.blob.core.windows.net (ECONNRESET) through its proxy proxy.contoso.com:8080, so the SAS was not tried. Check the bot's network path to the storage account (proxy, firewall, private endpoint), then press Retry."],
  ["sas.unreachable", {}, "setupbot could not reach  (), so the SAS was not tried. Check the bot's network path to the storage account (proxy, firewall, private endpoint), then press Retry."],
  ["sas.unreachable", without(SAS, 'proxy'), "setupbot could not reach contosoinvoicing.blob.core.windows.net (ECONNRESET), so the SAS was not tried. Check the bot's network path to the storage account (proxy, firewall, private endpoint), then press Retry."],
  ["sas.unreachable", { ...SAS, reason: 'ETIMEDOUT', proxy: '' }, "setupbot could not reach contosoinvoicing.blob.core.windows.net (ETIMEDOUT), so the SAS was not tried. Check the bot's network path to the storage account (proxy, firewall, private endpoint), then press Retry."],
  ["sas.untrustedTls", SAS, "contosoinvoicing.blob.core.windows.net presented a TLS certificate setupbot does not trust (ECONNRESET), so the SAS was not sent. If a proxy or firewall inspects TLS, add its CA certificate to NODE_EXTRA_CA_CERTS and restart the bot, then press Retry."],
  ["sas.untrustedTls", {}, " presented a TLS certificate setupbot does not trust (), so the SAS was not sent. If a proxy or firewall inspects TLS, add its CA certificate to NODE_EXTRA_CA_CERTS and restart the bot, then press Retry."],
  ["sas.untrustedTls", { ...SAS, reason: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, "contosoinvoicing.blob.core.windows.net presented a TLS certificate setupbot does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE), so the SAS was not sent. If a proxy or firewall inspects TLS, add its CA certificate to NODE_EXTRA_CA_CERTS and restart the bot, then press Retry."],
  ["sas.timeout", SAS, "Storage account contosoinvoicing did not answer in time (20 s) when setupbot tried to create a blob with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", {}, "Storage account  did not answer in time when setupbot tried to use the container with the SAS. Check the bot's network path to , then press Retry."],
  ["sas.timeout", { ...SAS, step: 'list', permission: 'l' }, "Storage account contosoinvoicing did not answer in time (20 s) when setupbot tried to list the container with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", { ...SAS, step: 'cleanup', permission: 'd' }, "Storage account contosoinvoicing did not answer in time (20 s) when setupbot tried to delete an old probe blob with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", { ...SAS, step: 'create', permission: 'cw' }, "Storage account contosoinvoicing did not answer in time (20 s) when setupbot tried to create a blob with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", { ...SAS, step: 'read', permission: 'r' }, "Storage account contosoinvoicing did not answer in time (20 s) when setupbot tried to read a blob with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", { ...SAS, step: 'delete', permission: 'd' }, "Storage account contosoinvoicing did not answer in time (20 s) when setupbot tried to delete a blob with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", { ...SAS, step: 'rename', permission: 'x' }, "Storage account contosoinvoicing did not answer in time (20 s) when setupbot tried to use the container with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", { ...SAS, seconds: 0 }, "Storage account contosoinvoicing did not answer in time when setupbot tried to create a blob with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", without(SAS, 'seconds'), "Storage account contosoinvoicing did not answer in time when setupbot tried to create a blob with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.timeout", { ...SAS, seconds: '30' }, "Storage account contosoinvoicing did not answer in time (30 s) when setupbot tried to create a blob with the SAS. Check the bot's network path to contosoinvoicing.blob.core.windows.net, then press Retry."],
  ["sas.serviceBusy", SAS, "Storage account contosoinvoicing could not answer when setupbot tried to create a blob (HTTP 502 ServerBusy): press Retry in a few minutes."],
  ["sas.serviceBusy", {}, "Storage account  could not answer when setupbot tried to use the container (HTTP ): press Retry in a few minutes."],
  ["sas.serviceBusy", { ...SAS, step: 'list', permission: 'l' }, "Storage account contosoinvoicing could not answer when setupbot tried to list the container (HTTP 502 ServerBusy): press Retry in a few minutes."],
  ["sas.serviceBusy", { ...SAS, step: 'cleanup', permission: 'd' }, "Storage account contosoinvoicing could not answer when setupbot tried to delete an old probe blob (HTTP 502 ServerBusy): press Retry in a few minutes."],
  ["sas.serviceBusy", { ...SAS, step: 'create', permission: 'cw' }, "Storage account contosoinvoicing could not answer when setupbot tried to create a blob (HTTP 502 ServerBusy): press Retry in a few minutes."],
  ["sas.serviceBusy", { ...SAS, step: 'read', permission: 'r' }, "Storage account contosoinvoicing could not answer when setupbot tried to read a blob (HTTP 502 ServerBusy): press Retry in a few minutes."],
  ["sas.serviceBusy", { ...SAS, step: 'delete', permission: 'd' }, "Storage account contosoinvoicing could not answer when setupbot tried to delete a blob (HTTP 502 ServerBusy): press Retry in a few minutes."],
  ["sas.serviceBusy", { ...SAS, step: 'rename', permission: 'x' }, "Storage account contosoinvoicing could not answer when setupbot tried to use the container (HTTP 502 ServerBusy): press Retry in a few minutes."],
  ["sas.serviceBusy", without(SAS, 'code'), "Storage account contosoinvoicing could not answer when setupbot tried to create a blob (HTTP 502): press Retry in a few minutes."],
  ["sas.serviceBusy", { ...SAS, status: 429, code: '' }, "Storage account contosoinvoicing could not answer when setupbot tried to create a blob (HTTP 429): press Retry in a few minutes."],
  ["sas.refused", SAS, "Storage account contosoinvoicing refused to create a blob in container einvoicing with the SAS (HTTP 502 ServerBusy), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", {}, "Storage account  refused to use the container in container  with the SAS (HTTP ), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", { ...SAS, step: 'list', permission: 'l' }, "Storage account contosoinvoicing refused to list the container in container einvoicing with the SAS (HTTP 502 ServerBusy), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", { ...SAS, step: 'cleanup', permission: 'd' }, "Storage account contosoinvoicing refused to delete an old probe blob in container einvoicing with the SAS (HTTP 502 ServerBusy), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", { ...SAS, step: 'create', permission: 'cw' }, "Storage account contosoinvoicing refused to create a blob in container einvoicing with the SAS (HTTP 502 ServerBusy), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", { ...SAS, step: 'read', permission: 'r' }, "Storage account contosoinvoicing refused to read a blob in container einvoicing with the SAS (HTTP 502 ServerBusy), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", { ...SAS, step: 'delete', permission: 'd' }, "Storage account contosoinvoicing refused to delete a blob in container einvoicing with the SAS (HTTP 502 ServerBusy), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", { ...SAS, step: 'rename', permission: 'x' }, "Storage account contosoinvoicing refused to use the container in container einvoicing with the SAS (HTTP 502 ServerBusy), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", without(SAS, 'code'), "Storage account contosoinvoicing refused to create a blob in container einvoicing with the SAS (HTTP 502), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.refused", { ...SAS, status: 429, code: '' }, "Storage account contosoinvoicing refused to create a blob in container einvoicing with the SAS (HTTP 429), so Electronic invoicing may not be able to use it. Press Retry; if it is refused again, look up that error code for the account."],
  ["sas.readBackMismatch", SAS, "setupbot wrote a probe blob to container einvoicing of storage account contosoinvoicing and read back something else: something between the bot and the account changes blobs. Check the proxy, then press Retry."],
  ["sas.readBackMismatch", {}, "setupbot wrote a probe blob to container  of storage account  and read back something else: something between the bot and the account changes blobs. Check the proxy, then press Retry."],
  ["sas.proxySettingInvalid", SAS, "The proxy setting (HTTPS_PROXY / HTTP_PROXY) is not an http:// or https:// URL, so the SAS was not tried: set it like http://proxy-host:port and restart the bot."],
  ["sas.proxySettingInvalid", {}, "The proxy setting (HTTPS_PROXY / HTTP_PROXY) is not an http:// or https:// URL, so the SAS was not tried: set it like http://proxy-host:port and restart the bot."],
  ["sas.unexpected", SAS, "Using the SAS to create a blob in container einvoicing of storage account contosoinvoicing failed unexpectedly (TypeError): press Retry."],
  ["sas.unexpected", {}, "Using the SAS to use the container in container  of storage account  failed unexpectedly (): press Retry."],
  ["sas.unexpected", { ...SAS, step: 'list', permission: 'l' }, "Using the SAS to list the container in container einvoicing of storage account contosoinvoicing failed unexpectedly (TypeError): press Retry."],
  ["sas.unexpected", { ...SAS, step: 'cleanup', permission: 'd' }, "Using the SAS to delete an old probe blob in container einvoicing of storage account contosoinvoicing failed unexpectedly (TypeError): press Retry."],
  ["sas.unexpected", { ...SAS, step: 'create', permission: 'cw' }, "Using the SAS to create a blob in container einvoicing of storage account contosoinvoicing failed unexpectedly (TypeError): press Retry."],
  ["sas.unexpected", { ...SAS, step: 'read', permission: 'r' }, "Using the SAS to read a blob in container einvoicing of storage account contosoinvoicing failed unexpectedly (TypeError): press Retry."],
  ["sas.unexpected", { ...SAS, step: 'delete', permission: 'd' }, "Using the SAS to delete a blob in container einvoicing of storage account contosoinvoicing failed unexpectedly (TypeError): press Retry."],
  ["sas.unexpected", { ...SAS, step: 'rename', permission: 'x' }, "Using the SAS to use the container in container einvoicing of storage account contosoinvoicing failed unexpectedly (TypeError): press Retry."],
  ["principal.found", ACCESS, "The e-Invoicing Service principal is in your tenant (object id 5b0f3c1e-7d2a-4e8f-9a61-0c3d2e1f4a5b)."],
  ["principal.found", {}, "The e-Invoicing Service principal is in your tenant (object id )."],
  ["principal.missing", ACCESS, "The e-Invoicing Service principal (app id 00000000-0000-0000-0000-000000000000) is not in your tenant, so Electronic invoicing can't be given access to anything: create it."],
  ["principal.missing", {}, "The e-Invoicing Service principal (app id ) is not in your tenant, so Electronic invoicing can't be given access to anything: create it."],
  ["principal.notChecked", ACCESS, "Whether the e-Invoicing Service principal (app id 00000000-0000-0000-0000-000000000000) is in your tenant: Microsoft Graph refused setupbot's identity. Grant setupbot's identity the Microsoft Graph application permission Application.Read.All (admin consent), then verify again."],
  ["principal.notChecked", {}, "Whether the e-Invoicing Service principal (app id ) is in your tenant: Microsoft Graph did not answer. Grant setupbot's identity the Microsoft Graph application permission Application.Read.All (admin consent), then verify again."],
  ["principal.notChecked", { ...ACCESS, reason: 'notFound' }, "Whether the e-Invoicing Service principal (app id 00000000-0000-0000-0000-000000000000) is in your tenant: setupbot's identity can't see it in Microsoft Graph (missing, or not readable by setupbot). Grant setupbot's identity the Microsoft Graph application permission Application.Read.All (admin consent), then verify again."],
  ["principal.notChecked", { ...ACCESS, reason: 'noToken' }, "Whether the e-Invoicing Service principal (app id 00000000-0000-0000-0000-000000000000) is in your tenant: setupbot got no access token for Microsoft Graph. Grant setupbot's identity the Microsoft Graph application permission Application.Read.All (admin consent), then verify again."],
  ["principal.notChecked", { ...ACCESS, reason: 'timeout' }, "Whether the e-Invoicing Service principal (app id 00000000-0000-0000-0000-000000000000) is in your tenant: Microsoft Graph did not answer. Grant setupbot's identity the Microsoft Graph application permission Application.Read.All (admin consent), then verify again."],
  ["vault.notChecked", ACCESS, "Electronic invoicing's access to contoso-einvoicing and its firewall: Azure Resource Graph refused setupbot's identity. Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again."],
  ["vault.notChecked", {}, "Electronic invoicing's access to  and its firewall: Azure Resource Graph did not answer. Grant setupbot's identity Reader on the vault  (or on its resource group or subscription), then verify again."],
  ["vault.notChecked", { ...ACCESS, reason: 'notFound' }, "Electronic invoicing's access to contoso-einvoicing and its firewall: setupbot's identity can't see it in Azure Resource Graph (missing, or not readable by setupbot). Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again."],
  ["vault.notChecked", { ...ACCESS, reason: 'noToken' }, "Electronic invoicing's access to contoso-einvoicing and its firewall: setupbot got no access token for Azure Resource Graph. Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again."],
  ["vault.notChecked", { ...ACCESS, reason: 'timeout' }, "Electronic invoicing's access to contoso-einvoicing and its firewall: Azure Resource Graph did not answer. Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again."],
  ["access.notChecked", ACCESS, "Electronic invoicing's access policy on contoso-einvoicing: not checked, because its principal could not be looked up."],
  ["access.notChecked", {}, "Electronic invoicing's access policy on : not checked, because its principal could not be looked up."],
  ["access.notChecked", { ...ACCESS, model: 'rbac' }, "Electronic invoicing's role assignments on contoso-einvoicing: not checked, because its principal could not be looked up."],
  ["access.checkFailed", ACCESS, "Electronic invoicing's access: the check failed unexpectedly; verify again later."],
  ["access.checkFailed", {}, "Electronic invoicing's access: the check failed unexpectedly; verify again later."],
  ["access.policyGranted", ACCESS, "Electronic invoicing has Get and List on secrets and certificates in contoso-einvoicing (access policy)."],
  ["access.policyGranted", {}, "Electronic invoicing has Get and List on secrets and certificates in  (access policy)."],
  ["access.policyMissing", ACCESS, "Electronic invoicing can't read contoso-einvoicing: its access policy lacks Get and List on certificates."],
  ["access.policyMissing", {}, "Electronic invoicing can't read : its access policy lacks ."],
  ["access.rbacGranted", ACCESS, "Electronic invoicing can get and list secrets and certificates in contoso-einvoicing (Azure RBAC: Key Vault Secrets User, Key Vault Certificate User)."],
  ["access.rbacGranted", {}, "Electronic invoicing can get and list secrets and certificates in  (Azure RBAC: )."],
  ["access.rbacSecretsMissing", ACCESS, "Electronic invoicing can't read secrets in contoso-einvoicing: the vault uses Azure RBAC, where access policies grant nothing, and no role of the service there lets it get and list secrets. Assign it Key Vault Secrets User."],
  ["access.rbacSecretsMissing", {}, "Electronic invoicing can't read secrets in : the vault uses Azure RBAC, where access policies grant nothing, and no role of the service there lets it get and list secrets. Assign it ."],
  ["access.rbacCertificatesMissing", ACCESS, "Electronic invoicing can't read certificates in contoso-einvoicing: no role of the service at the vault or above lets it read certificates. Assign it Key Vault Secrets User."],
  ["access.rbacCertificatesMissing", {}, "Electronic invoicing can't read certificates in : no role of the service at the vault or above lets it read certificates. Assign it ."],
  ["access.rbacNotChecked", ACCESS, "Electronic invoicing's roles on the RBAC vault contoso-einvoicing: Azure Resource Graph refused setupbot's identity. Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again."],
  ["access.rbacNotChecked", {}, "Electronic invoicing's roles on the RBAC vault : Azure Resource Graph did not answer. Grant setupbot's identity Reader on the vault  (or on its resource group or subscription), then verify again."],
  ["access.rbacNotChecked", { ...ACCESS, reason: 'notFound' }, "Electronic invoicing's roles on the RBAC vault contoso-einvoicing: setupbot's identity can't see it in Azure Resource Graph (missing, or not readable by setupbot). Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again."],
  ["access.rbacNotChecked", { ...ACCESS, reason: 'noToken' }, "Electronic invoicing's roles on the RBAC vault contoso-einvoicing: setupbot got no access token for Azure Resource Graph. Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again."],
  ["access.rbacNotChecked", { ...ACCESS, reason: 'timeout' }, "Electronic invoicing's roles on the RBAC vault contoso-einvoicing: Azure Resource Graph did not answer. Grant setupbot's identity Reader on the vault contoso-einvoicing (or on its resource group or subscription), then verify again."],
  ["access.rbacUndecided", ACCESS, "Electronic invoicing has no role of its own on contoso-einvoicing that grants what it needs, but a group holds Key Vault Administrator there and setupbot does not check group membership; 2 of its roles could not be read. Check the group, or assign the role to the service directly."],
  ["access.rbacUndecided", {}, "Electronic invoicing has no role of its own on  that grants what it needs. Check the group, or assign the role to the service directly."],
  ["access.rbacUndecided", without(ACCESS, 'groupRoles'), "Electronic invoicing has no role of its own on contoso-einvoicing that grants what it needs; 2 of its roles could not be read. Check the group, or assign the role to the service directly."],
  ["access.rbacUndecided", { ...ACCESS, unknownRoles: 0 }, "Electronic invoicing has no role of its own on contoso-einvoicing that grants what it needs, but a group holds Key Vault Administrator there and setupbot does not check group membership. Check the group, or assign the role to the service directly."],
  ["access.rbacUndecided", { ...ACCESS, groupRoles: '', unknownRoles: 0 }, "Electronic invoicing has no role of its own on contoso-einvoicing that grants what it needs. Check the group, or assign the role to the service directly."],
  ["access.rbacUndecided", { ...ACCESS, groupRoles: '', unknownRoles: 1 }, "Electronic invoicing has no role of its own on contoso-einvoicing that grants what it needs; 1 of its roles could not be read. Check the group, or assign the role to the service directly."],
  ["access.itemUsable", ACCESS, "can use it"],
  ["access.itemUsable", {}, "can use it"],
  ["access.itemDenied", ACCESS, "can't use it (missing Get and List on certificates)"],
  ["access.itemDenied", {}, "can't use it (missing )"],
  ["access.itemNotChecked", ACCESS, "setupbot could not check the service's access"],
  ["access.itemNotChecked", {}, "setupbot could not check the service's access"],
  ["network.vaultOpen", ACCESS, "contoso-einvoicing accepts connections from all networks."],
  ["network.vaultOpen", {}, " accepts connections from all networks."],
  ["network.vaultTrustedServices", ACCESS, "contoso-einvoicing's firewall lets trusted Microsoft services through."],
  ["network.vaultTrustedServices", {}, "'s firewall lets trusted Microsoft services through."],
  ["network.vaultAddressesOnly", ACCESS, "contoso-einvoicing accepts only 3 listed address range(s) and does not let trusted Microsoft services through: unless the Electronic invoicing service's addresses are among them, it is shut out."],
  ["network.vaultAddressesOnly", {}, " accepts only  listed address range(s) and does not let trusted Microsoft services through: unless the Electronic invoicing service's addresses are among them, it is shut out."],
  ["network.vaultClosed", ACCESS, "contoso-einvoicing's firewall shuts Electronic invoicing out (public network access Disabled, default action Deny, trusted Microsoft services not allowed)."],
  ["network.vaultClosed", {}, "'s firewall shuts Electronic invoicing out (public network access , default action , trusted Microsoft services not allowed)."],
  ["network.storageOpen", ACCESS, "The storage account contosoeinv accepts connections from all networks."],
  ["network.storageOpen", {}, "The storage account  accepts connections from all networks."],
  ["network.storageTrustedServices", ACCESS, "The storage account contosoeinv's firewall lets trusted Azure services through."],
  ["network.storageTrustedServices", {}, "The storage account 's firewall lets trusted Azure services through."],
  ["network.storageAddressesOnly", ACCESS, "The storage account contosoeinv accepts only 3 listed address range(s) and no trusted Azure services: unless the Electronic invoicing service's addresses are among them, the SAS can't be used."],
  ["network.storageAddressesOnly", {}, "The storage account  accepts only  listed address range(s) and no trusted Azure services: unless the Electronic invoicing service's addresses are among them, the SAS can't be used."],
  ["network.storageClosed", ACCESS, "The storage account contosoeinv shuts Electronic invoicing out (public network access Disabled, default action Deny, trusted Azure services not allowed)."],
  ["network.storageClosed", {}, "The storage account  shuts Electronic invoicing out (public network access , default action , trusted Azure services not allowed)."],
  ["storage.notChecked", ACCESS, "The storage account contosoeinv's network rules, SAS policy and container: Azure Resource Graph refused setupbot's identity. Grant setupbot's identity Reader on the storage account contosoeinv (or on its resource group or subscription), then verify again."],
  ["storage.notChecked", {}, "The storage account 's network rules, SAS policy and container: Azure Resource Graph did not answer. Grant setupbot's identity Reader on the storage account  (or on its resource group or subscription), then verify again."],
  ["storage.notChecked", { ...ACCESS, reason: 'notFound' }, "The storage account contosoeinv's network rules, SAS policy and container: setupbot's identity can't see it in Azure Resource Graph (missing, or not readable by setupbot). Grant setupbot's identity Reader on the storage account contosoeinv (or on its resource group or subscription), then verify again."],
  ["storage.notChecked", { ...ACCESS, reason: 'noToken' }, "The storage account contosoeinv's network rules, SAS policy and container: setupbot got no access token for Azure Resource Graph. Grant setupbot's identity Reader on the storage account contosoeinv (or on its resource group or subscription), then verify again."],
  ["storage.notChecked", { ...ACCESS, reason: 'timeout' }, "The storage account contosoeinv's network rules, SAS policy and container: Azure Resource Graph did not answer. Grant setupbot's identity Reader on the storage account contosoeinv (or on its resource group or subscription), then verify again."],
  ["storage.sasPolicyMet", ACCESS, "The SAS fits the storage account contosoeinv's SAS expiration policy (7.00:00:00)."],
  ["storage.sasPolicyMet", {}, "The SAS fits the storage account 's SAS expiration policy ()."],
  ["storage.sasPolicyBlocks", ACCESS, "The storage account contosoeinv blocks SAS tokens that live longer than 7.00:00:00 (d.hh:mm:ss); this one lives 365 days, so the service is refused. Make a SAS within the policy and store it as a new version of storage-sas-token."],
  ["storage.sasPolicyBlocks", {}, "The storage account  blocks SAS tokens that live longer than  (d.hh:mm:ss); this one lives  days, so the service is refused. Make a SAS within the policy and store it as a new version of ."],
  ["storage.sasPolicyLogs", ACCESS, "The SAS lives 365 days, longer than the storage account contosoeinv's SAS expiration policy (7.00:00:00); the policy only logs it today (action Log), and would refuse it if switched to Block."],
  ["storage.sasPolicyLogs", {}, "The SAS lives  days, longer than the storage account 's SAS expiration policy (); the policy only logs it today (action ), and would refuse it if switched to Block."],
  ["storage.containerNotChecked", ACCESS, "The public access of the container einvoicing: Azure Resource Manager refused setupbot's identity. Grant setupbot's identity Reader on the storage account contosoeinv (or on its resource group or subscription), then verify again."],
  ["storage.containerNotChecked", {}, "The public access of the container : Azure Resource Manager did not answer. Grant setupbot's identity Reader on the storage account  (or on its resource group or subscription), then verify again."],
  ["storage.containerNotChecked", { ...ACCESS, reason: 'notFound' }, "The public access of the container einvoicing: setupbot's identity can't see it in Azure Resource Manager (missing, or not readable by setupbot). Grant setupbot's identity Reader on the storage account contosoeinv (or on its resource group or subscription), then verify again."],
  ["storage.containerNotChecked", { ...ACCESS, reason: 'noToken' }, "The public access of the container einvoicing: setupbot got no access token for Azure Resource Manager. Grant setupbot's identity Reader on the storage account contosoeinv (or on its resource group or subscription), then verify again."],
  ["storage.containerNotChecked", { ...ACCESS, reason: 'timeout' }, "The public access of the container einvoicing: Azure Resource Manager did not answer. Grant setupbot's identity Reader on the storage account contosoeinv (or on its resource group or subscription), then verify again."],
  ["storage.containerMissing", ACCESS, "The container einvoicing does not exist in the storage account contosoeinv."],
  ["storage.containerMissing", {}, "The container  does not exist in the storage account ."],
  ["storage.containerPublic", ACCESS, "The container einvoicing allows anonymous public read access (blob): it must be private."],
  ["storage.containerPublic", {}, "The container  allows anonymous public read access (): it must be private."],
  ["storage.containerPrivate", ACCESS, "The container einvoicing is private."],
  ["storage.containerPrivate", {}, "The container  is private."],
  ["storage.blobPublicAccessSetting", ACCESS, "\"Allow Blob public access\" is off on contosoeinv. Microsoft's setup article asks for it on; Azure's default and a built-in policy turn it off. Neither matters to the SAS: the container stays private either way."],
  ["storage.blobPublicAccessSetting", {}, "\"Allow Blob public access\" is  on . Microsoft's setup article asks for it on; Azure's default and a built-in policy turn it off. Neither matters to the SAS: the container stays private either way."],
  ["sas.somethingNew", SAS, "sas.somethingNew"],
]

describe('the English of every service finding, from the catalog', () => {
  test.each(BEFORE.map(([code, params, english], index) => [index, code, params, english] as const))('#%i %s', (_index, code, params, english) => {
    expect(serviceFindingText({ code, outcome: 'failed', params }, ENGLISH)).toBe(english);
  });

  test('the table covers every code with a message, and every code has one', () => {
    const codes = [...Object.keys(sasProbeValues), ...Object.keys(serviceAccessValues)].sort();
    const messages = Object.keys(ENGLISH_MESSAGES)
      .filter((key) => key.startsWith('cards.serviceFinding.'))
      .map((key) => key.slice('cards.serviceFinding.'.length))
      .sort();
    expect(messages).toEqual(codes);
    expect([...new Set(BEFORE.map(([code]) => code))].filter((code) => codes.includes(code)).sort()).toEqual(codes);
  });

  test('an unknown code still shows, as the code', () => {
    expect(serviceFindingText({ code: 'sas.somethingNew', outcome: 'failed', params: SAS }, ENGLISH)).toBe('sas.somethingNew');
    expect(serviceFindingText({ code: 'toString', outcome: 'failed', params: {} }, ENGLISH)).toBe('toString');
  });
});

describe("the reader's words", () => {
  const pseudo = new Translations().for('qps-ploc');

  test.each([
    ['sas.permissionMissing', SAS, ['contosoinvoicing', 'einvoicing']],
    ['sas.usable', { ...SAS, leftoversDeleted: 2 }, ['contosoinvoicing', 'einvoicing', '2']],
    ['sas.untrustedTls', { ...SAS, reason: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, ['contosoinvoicing.blob.core.windows.net', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']],
    ['vault.notChecked', { ...ACCESS, reason: 'noToken' }, ['contoso-einvoicing']],
    ['access.rbacUndecided', ACCESS, ['contoso-einvoicing', 'Key Vault Administrator', '2']],
  ] as const)('%s is made from the catalog in the reader\'s words (here the pseudo-locale), the names in it as they are', (code, params, names) => {
    const text = serviceFindingText({ code, outcome: 'failed', params }, pseudo);
    expect(text.startsWith(PSEUDO_OPEN) && text.endsWith(PSEUDO_CLOSE)).toBe(true);
    expect(text).not.toMatch(/Electronic invoicing|[Ss]torage account|setupbot|Retry|verify again|could not/);
    for (const name of names) expect(text).toContain(name);
  });

  test('every finding of the table formats in the pseudo-locale without a formatting error, apostrophes as they are', () => {
    const failed: string[] = [];
    const words = new Translations({ missingKeys: () => undefined, formatFailed: (_language, key) => failed.push(key) }).for('qps-ploc');
    const texts = BEFORE.map(([code, params]) => serviceFindingText({ code, outcome: 'failed', params }, words));
    expect(failed).toEqual([]);
    expect(texts.filter((text, index) => BEFORE[index][0] !== 'sas.somethingNew' && !(text.startsWith(PSEUDO_OPEN) && text.endsWith(PSEUDO_CLOSE)))).toEqual([]);
    expect(texts.filter((text) => text.includes("''"))).toEqual([]);
    expect(texts.filter((text) => /ţ'š/.test(text)).length).toBeGreaterThan(0); // šéţüþƀöţ'š
  });
});

describe('what the service lacks: permission codes said in the reader\'s words', () => {
  const say = (code: string, params: Params, words = ENGLISH): string => serviceFindingText({ code, outcome: 'failed', params }, words);

  test.each([
    ['access.policyMissing', 'secretGet secretList certificateGet certificateList', "Electronic invoicing can't read contoso-einvoicing: its access policy lacks Get and List on secrets, Get and List on certificates."],
    ['access.policyMissing', 'secretList', "Electronic invoicing can't read contoso-einvoicing: its access policy lacks List on secrets."],
    ['access.policyMissing', 'certificateGet', "Electronic invoicing can't read contoso-einvoicing: its access policy lacks Get on certificates."],
    ['access.itemDenied', 'secretGet certificateGet', "can't use it (missing get on secrets, get on certificates)"],
    ['access.itemDenied', 'certificateGet', "can't use it (missing get on certificates)"],
    ['access.itemDenied', 'principal', "can't use it (missing the principal)"],
  ])('%s lacking %s: the English the check said before it stored codes', (code, lacks, english) => {
    expect(say(code, { vault: 'contoso-einvoicing', lacks })).toBe(english);
  });

  test('a record written before (English in `missing`) is shown as it is', () => {
    expect(say('access.itemDenied', { missing: 'get on secrets' })).toBe("can't use it (missing get on secrets)");
  });

  test('the permissions are the catalog\'s words, not English inside a translated sentence', () => {
    const pseudo = new Translations().for('qps-ploc');
    const text = say('access.policyMissing', { vault: 'contoso-einvoicing', lacks: 'secretGet certificateList' }, pseudo);
    expect(text).not.toMatch(/on secrets|on certificates/);
    expect(text).toContain('contoso-einvoicing');
  });
});
