// Jest on Node 20 cannot require() an ES module, which @microsoft/app-manifest does for the
// ESM-only strip-bom (plain Node 20.19+ can). jest.config maps 'strip-bom' here: the same
// ten-line function as CommonJS. Only the test run uses it.
'use strict';
function stripBom(string) {
  if (typeof string !== 'string') throw new TypeError(`Expected a string, got ${typeof string}`);
  return string.charCodeAt(0) === 0xfeff ? string.slice(1) : string;
}
module.exports = stripBom;
module.exports.default = stripBom;
