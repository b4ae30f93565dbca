/** Fixed names the bench world and the history fixture share (the vault, Teams' service URL, the bot's registration). */
export const BENCH_APP_ID = '0b5e11c4-0000-4a00-8000-00000000be9c';
export const BENCH_TENANT_ID = '7e4a0c1d-6b2f-4c3e-9d8a-5f1e2b3c4d5e';
/** The vault the Key Vault stand-in answers for (through the proxy); requests the bench approves point here. */
export const VAULT_HOST = 'contoso-einvoicing.vault.azure.net';
export const VAULT_URI = `https://${VAULT_HOST}/`;
export const SAS_SECRET_NAME = 'storage-sas-token';
/** The serviceUrl Teams gives bots in EMEA; stored conversation addresses in history fixtures carry it. */
export const TEAMS_SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
