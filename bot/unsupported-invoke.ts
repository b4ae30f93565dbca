import type { InvokeResponse } from 'botbuilder';

/**
 * The answer to an invoke the bot does not handle (anything but `adaptiveCard/action`: task
 * modules, message extensions, sign-in, config …): a 400 that says so. botbuilder's default is a
 * 501 with no body, a server error for what is a client's request the bot never offered.
 */
export function unsupportedInvoke(): InvokeResponse {
  return { status: 400, body: { code: 'UnsupportedInvoke', message: 'This bot only handles card actions (adaptiveCard/action); this invoke is not supported.' } };
}
