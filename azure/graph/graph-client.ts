/**
 * Microsoft Graph, read-only: one JSON document (`getJson`) or every page of a collection
 * (`getAllPages`, following `@odata.nextLink` as given, never rebuilt). Throttling (429 with
 * Retry-After) is waited out by the JSON client within its bounds. Used here for the e-Invoicing
 * Service principal; built for group membership (`/groups/{id}/transitiveMembers`) too.
 */
import type { TokenCredential } from '@azure/identity';
import { JsonClient, type JsonClientOptions, type RestFailure, type RestResult } from '../rest/json-client.js';

export const GRAPH_ENDPOINT = 'https://graph.microsoft.com';

export interface GraphClientOptions extends Omit<JsonClientOptions, 'scope' | 'credential'> {
  credential: TokenCredential;
  /** Default https://graph.microsoft.com (sovereign clouds: their Graph endpoint). */
  endpoint?: string;
  /** Stop after this many pages (a runaway nextLink loop). Default 100. */
  maxPages?: number;
}

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

export class GraphClient {
  readonly endpoint: string;
  private readonly client: JsonClient;
  private readonly maxPages: number;

  constructor(options: GraphClientOptions) {
    this.endpoint = (options.endpoint ?? GRAPH_ENDPOINT).replace(/\/+$/, '');
    this.client = new JsonClient({ ...options, scope: `${this.endpoint}/.default` });
    this.maxPages = options.maxPages ?? 100;
  }

  /**
   * `path` is relative to the endpoint, e.g. `/v1.0/servicePrincipals(appId='…')`; `headers` for
   * advanced queries (`ConsistencyLevel: eventual`).
   */
  getJson<T>(path: string, headers: Record<string, string> = {}): Promise<RestResult<T>> {
    return this.client.get<T>(`${this.endpoint}${path}`, headers);
  }

  /** Every `value` of a paged collection; a failure on any page fails the whole. */
  async getAllPages<T>(path: string, headers: Record<string, string> = {}): Promise<{ ok: true; items: T[] } | RestFailure> {
    const items: T[] = [];
    let url: string | undefined = `${this.endpoint}${path}`;
    for (let page = 0; url; page++) {
      if (page >= this.maxPages) return { ok: false, kind: 'network', code: 'TooManyPages' };
      // a nextLink must stay on this Graph endpoint: the token is not sent anywhere else
      if (!url.startsWith(`${this.endpoint}/`)) return { ok: false, kind: 'network', code: 'ForeignNextLink' };
      const answer: RestResult<Page<T>> = await this.client.get<Page<T>>(url, headers);
      if (!answer.ok) return answer;
      items.push(...(answer.body.value ?? []));
      url = answer.body['@odata.nextLink'];
    }
    return { ok: true, items };
  }
}
