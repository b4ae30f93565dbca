/**
 * An Entra group as Microsoft Graph tells it: its display name (`GET /v1.0/groups/{id}`) and its
 * users, nested groups followed (`GET /v1.0/groups/{id}/transitiveMembers`, every page through
 * `@odata.nextLink`, 429 waited out by the JSON client as `Retry-After` says). Only users count:
 * devices, service principals and the nested groups themselves are left out.
 * Needs the Microsoft Graph application permission GroupMember.Read.All.
 */
import type { DirectoryUser } from '../../setup/ports.js';
import type { GraphClient } from './graph-client.js';

export type GroupRead = { ok: true; name?: string; users: DirectoryUser[] } | { ok: false; code: string };

export const GRAPH_USER_TYPE = '#microsoft.graph.user';

interface DirectoryObject {
  '@odata.type'?: unknown;
  id?: unknown;
  displayName?: unknown;
}

const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class GraphGroupReader {
  constructor(private readonly graph: GraphClient) {}

  async read(groupId: string): Promise<GroupRead> {
    // the id goes into a URL path: only a GUID is sent
    if (!GROUP_ID.test(groupId)) return { ok: false, code: 'NotAGroupId' };
    const [group, members] = await Promise.all([
      this.graph.getJson<DirectoryObject>(`/v1.0/groups/${groupId}?$select=id,displayName`),
      this.graph.getAllPages<DirectoryObject>(`/v1.0/groups/${groupId}/transitiveMembers?$select=id,displayName`),
    ]);
    if (!members.ok) return { ok: false, code: failureCode(members) };
    const users = members.items.flatMap((item): DirectoryUser[] =>
      item['@odata.type'] === GRAPH_USER_TYPE && typeof item.id === 'string' ? [{ id: item.id.toLowerCase(), name: typeof item.displayName === 'string' ? item.displayName : item.id }] : [],
    );
    const name = group.ok && typeof group.body.displayName === 'string' ? group.body.displayName : undefined;
    return { ok: true, ...(name ? { name } : {}), users };
  }
}

function failureCode(failure: { kind: string; code?: string; status?: number }): string {
  return failure.kind === 'http' ? `HTTP ${failure.status ?? '?'}${failure.code ? ` ${failure.code}` : ''}` : (failure.code ?? failure.kind);
}
