/**
 * What the read API returns, scoped to the caller, read through the domain services (never
 * the repositories): approvers see everything; anyone else their own requests and the
 * environments those requests created.
 */
import type { AuditLog } from '../../setup/audit.js';
import type { Clock } from '../../setup/ports.js';
import type { Registry, RecordedEnvironment } from '../../setup/registry.js';
import type { SetupRequest } from '../../setup/request.js';
import type { SetupRequests } from '../../setup/setup-requests.js';
import type { ApiCaller } from './caller.js';
import type { EnvironmentView, RequestDetailView, RequestSummaryView } from './shapes.js';
import { environmentView, requestDetailView, requestSummaryView } from './views.js';

export interface ReadModelDeps {
  requests: SetupRequests;
  registry: Registry;
  audit: AuditLog;
  clock: Clock;
}

function newestFirst(a: SetupRequest, b: SetupRequest): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id);
}

export class SetupReadModel {
  constructor(private readonly deps: ReadModelDeps) {}

  async requests(caller: ApiCaller): Promise<RequestSummaryView[]> {
    return (await this.visibleRequests(caller)).sort(newestFirst).map(requestSummaryView);
  }

  async request(caller: ApiCaller, id: string): Promise<RequestDetailView | undefined> {
    const found = await this.deps.requests.get(id);
    if (!found || !this.maySee(caller, found.value)) return undefined;
    const entries = await this.deps.audit.entries(found.value.id);
    // the request's own entries, verified where they sit in the chain (no scan of the whole log)
    const chain = await this.deps.audit.verifyEntries(entries);
    return requestDetailView(found.value, entries, chain, this.deps.clock.now().toISOString());
  }

  async environments(caller: ApiCaller): Promise<EnvironmentView[]> {
    const all = await this.deps.registry.environments();
    const visible = caller.seesEverything ? all : await this.ownEnvironments(caller, all);
    const sorted = [...visible].sort((a, b) => a.environment.name.localeCompare(b.environment.name));
    return Promise.all(sorted.map((recorded) => this.environmentView(recorded)));
  }

  async environment(caller: ApiCaller, name: string): Promise<EnvironmentView | undefined> {
    const recorded = await this.deps.registry.environment(name);
    if (!recorded) return undefined;
    if (!caller.seesEverything && (await this.ownEnvironments(caller, [recorded])).length === 0) return undefined;
    return this.environmentView(recorded);
  }

  private maySee(caller: ApiCaller, request: SetupRequest): boolean {
    return caller.seesEverything || request.requester.objectId === caller.objectId;
  }

  private async visibleRequests(caller: ApiCaller): Promise<SetupRequest[]> {
    if (caller.seesEverything) return (await this.deps.requests.list()).map((record) => record.value);
    return this.deps.requests.listByRequester(caller.objectId);
  }

  private async ownEnvironments(caller: ApiCaller, environments: readonly RecordedEnvironment[]): Promise<RecordedEnvironment[]> {
    const mine = new Set((await this.deps.requests.listByRequester(caller.objectId)).map((request) => request.id));
    return environments.filter((recorded) => mine.has(recorded.recordedBy));
  }

  private async environmentView(recorded: RecordedEnvironment): Promise<EnvironmentView> {
    const [reference, applications] = await Promise.all([
      this.deps.registry.keyVaultReference(recorded.keyVaultReference),
      Promise.all(recorded.connectedApplications.map((name) => this.deps.registry.connectedApplication(name))),
    ]);
    return environmentView(recorded, reference, applications);
  }
}
