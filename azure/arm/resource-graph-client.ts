/**
 * Azure Resource Manager, read-only: Azure Resource Graph queries across every subscription the
 * identity can read (`POST /providers/Microsoft.ResourceGraph/resources`, rows as `{ data: [...] }`,
 * further pages through `$skipToken`) and plain resource GETs.
 */
import type { TokenCredential } from '@azure/identity';
import { JsonClient, type JsonClientOptions, type RestFailure, type RestResult } from '../rest/json-client.js';

export const ARM_ENDPOINT = 'https://management.azure.com';
export const RESOURCE_GRAPH_API_VERSION = '2022-10-01';

export interface ArmClientOptions extends Omit<JsonClientOptions, 'scope' | 'credential'> {
  credential: TokenCredential;
  /** Default https://management.azure.com (sovereign clouds: their ARM endpoint). */
  endpoint?: string;
  /** Stop after this many pages. Default 50. */
  maxPages?: number;
}

interface QueryAnswer<T> {
  data?: T[];
  $skipToken?: string;
}

/** A KQL string literal: single quotes, the few characters that need it escaped. */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export class ArmClient {
  readonly endpoint: string;
  private readonly client: JsonClient;
  private readonly maxPages: number;

  constructor(options: ArmClientOptions) {
    this.endpoint = (options.endpoint ?? ARM_ENDPOINT).replace(/\/+$/, '');
    this.client = new JsonClient({ ...options, scope: `${this.endpoint}/.default` });
    this.maxPages = options.maxPages ?? 50;
  }

  /** Every row of a Resource Graph query (object rows), all pages. */
  async query<T>(query: string): Promise<{ ok: true; rows: T[] } | RestFailure> {
    const url = `${this.endpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API_VERSION}`;
    const rows: T[] = [];
    let skipToken: string | undefined;
    for (let page = 0; page < this.maxPages; page++) {
      const options = { resultFormat: 'objectArray', $top: 1000, ...(skipToken ? { $skipToken: skipToken } : {}) };
      const answer: RestResult<QueryAnswer<T>> = await this.client.post<QueryAnswer<T>>(url, { query, options });
      if (!answer.ok) return answer;
      rows.push(...(answer.body.data ?? []));
      skipToken = answer.body.$skipToken;
      if (!skipToken) return { ok: true, rows };
    }
    return { ok: false, kind: 'network', code: 'TooManyPages' };
  }

  /** GET `{endpoint}{resourceId}?api-version=…`. */
  get<T>(resourceId: string, apiVersion: string): Promise<RestResult<T>> {
    return this.client.get<T>(`${this.endpoint}${resourceId}?api-version=${encodeURIComponent(apiVersion)}`);
  }
}
