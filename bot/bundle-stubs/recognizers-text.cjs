'use strict';
/**
 * Stands in for the Recognizers-Text packages in the bundle (dist/bot/setupbot.mjs): they hold
 * language models (about 5 MB of code) that only botbuilder-dialogs' prompts use, and setupbot
 * uses no prompt. Loading them cost a second of start-up and 30 MB. Anything reading them at
 * load gets a harmless value; any call says plainly why it cannot work.
 */
const message = 'the Recognizers-Text models are left out of the setupbot bundle (no botbuilder-dialogs prompt is used)';
const culture = new Proxy({}, { get: (_target, key) => (typeof key === 'string' ? key.toLowerCase() : undefined) });
module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      if (key === 'Culture') return culture;
      if (key === '__esModule' || typeof key !== 'string') return undefined;
      return () => {
        throw new Error(`${message}: ${key}`);
      };
    },
  },
);
