/**
 * Edit and resubmit links requests into a line: each new request names the one it replaces. The
 * line decides whose names and registry records a request may take over.
 */
import type { Repository } from '../ports.js';
import type { SetupRequest } from '../model/request.js';

/** A line longer than this is treated as ending there (guards against a corrupted loop). */
const MAX_LINE = 50;

/**
 * The request `id` and every request it replaces, nearest first (`id` itself first). Missing
 * records end the line.
 */
export async function lineOf(requests: Pick<Repository<SetupRequest>, 'get'>, id: string): Promise<string[]> {
  const line: string[] = [];
  let next: string | undefined = id;
  while (next && !line.includes(next) && line.length < MAX_LINE) {
    line.push(next);
    next = (await requests.get(next))?.value.resubmittedFrom;
  }
  return line;
}

/** The requests this one replaces, nearest first (empty for a request that replaces none). */
export async function predecessorsOf(requests: Pick<Repository<SetupRequest>, 'get'>, request: Pick<SetupRequest, 'id' | 'resubmittedFrom'>): Promise<string[]> {
  if (!request.resubmittedFrom) return [];
  return (await lineOf(requests, request.resubmittedFrom)).filter((id) => id !== request.id);
}
