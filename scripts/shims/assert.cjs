// What the bundle gives dependencies for `require('assert')` (scripts/bundle.mjs): the calls they make,
// without loading node:assert at start-up.
'use strict';
function fail(message) {
  const e = new Error(message || 'assertion failed');
  e.code = 'ERR_ASSERTION';
  throw e;
}
function assert(value, message) { if (!value) fail(message); }
assert.ok = assert;
// eslint-disable-next-line eqeqeq
assert.equal = (a, b, message) => { if (a != b) fail(message || `${a} == ${b}`); };
assert.strictEqual = (a, b, message) => { if (a !== b) fail(message || `${a} === ${b}`); };
module.exports = assert;
