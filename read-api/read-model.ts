/**
 * What the read API returns, scoped to the caller, read through the domain services (never
 * the repositories): approvers see everything; anyone else their own requests and the
 * environments those requests created.
 */
import type { AuditLog } from '../setup/audit/audit.js';
import { HISTORY_PAGE_SIZE, type EnvironmentHistory } from '../setup/audit/history.js';
import type { Clock } from '../setup/ports.js';
import type { Registry, RecordedEnvironment } from '../setup/registry/registry.js';
import type { SetupRequest } from '../setup/model/request.js';
import type { SetupRequests } from '../setup/requests/setup-requests.js';
import type { Words } from '../i18n/translations.js';
import type { ApiCaller } from './caller.js';
import type { EnvironmentHistoryView, EnvironmentView, RequestDetailView, RequestSummaryView } from './shapes.js';
import { environmentView, historyView, requestDetailView, requestSummaryView } from './views.js';

export interface ReadModelDeps {
  requests: SetupRequests;
  registry: Registry;
  audit: AuditLog;
  clock: Clock;
  /** `history <environment>`'s data: the environment's audit trail, paged. */
  history: EnvironmentHistory;
}

function newestFirst(a: SetupRequest, b: SetupRequest): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id);
}

/** Every view is said in the words given (the caller's Accept-Language, see routes.ts). */
export class SetupReadModel {
  constructor(private readonly deps: ReadModelDeps) {}

  async requests(caller: ApiCaller, words: Words): Promise<RequestSummaryView[]> {
    return (await this.visibleRequests(caller)).sort(newestFirst).map((request) => requestSummaryView(request, words));
  }

  async request(caller: ApiCaller, id: string, words: Words): Promise<RequestDetailView | undefined> {
    const found = await this.deps.requests.get(id);
    if (!found || !this.maySee(caller, found.value)) return undefined;
    const entries = await this.deps.audit.entries(found.value.id);
    // the request's own entries, verified where they sit in the chain (no scan of the whole log)
    const chain = await this.deps.audit.verifyEntries(entries);
    return requestDetailView(found.value, entries, chain, this.deps.clock.now().toISOString(), words);
  }

  async environments(caller: ApiCaller, words: Words): Promise<EnvironmentView[]> {
    const all = await this.deps.registry.environments();
    const visible = caller.seesEverything ? all : await this.ownEnvironments(caller, all);
    const sorted = [...visible].sort((a, b) => a.environment.name.localeCompare(b.environment.name));
    return Promise.all(sorted.map((recorded) => this.environmentView(recorded, words)));
  }

  async environment(caller: ApiCaller, name: string, words: Words): Promise<EnvironmentView | undefined> {
    const recorded = await this.deps.registry.environment(name);
    if (!recorded) return undefined;
    if (!caller.seesEverything && (await this.ownEnvironments(caller, [recorded])).length === 0) return undefined;
    return this.environmentView(recorded, words);
  }

  /**
   * Page `page` (1 = newest) of an environment's history, as `history <environment>` shows it,
   * under the same rule: approvers see every environment's; anyone else the history of an
   * environment they asked for something for. Undefined when not visible or never named.
   */
  async history(caller: ApiCaller, name: string, page: number, words: Words): Promise<EnvironmentHistoryView | undefined> {
    if (!caller.seesEverything && !(await this.deps.history.requesterIds(name)).has(caller.objectId)) return undefined;
    const found = await this.deps.history.page(name, page - 1, HISTORY_PAGE_SIZE);
    return found ? historyView(found, HISTORY_PAGE_SIZE, this.deps.clock.now().toISOString(), words) : undefined;
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

  private async environmentView(recorded: RecordedEnvironment, words: Words): Promise<EnvironmentView> {
    const [reference, applications] = await Promise.all([
      this.deps.registry.keyVaultReference(recorded.keyVaultReference),
      Promise.all(recorded.connectedApplications.map((name) => this.deps.registry.connectedApplication(name))),
    ]);
    return environmentView(recorded, reference, applications, words);
  }
}
