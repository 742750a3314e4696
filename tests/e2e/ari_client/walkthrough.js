// Drives sorceryd with the npm `ari-client` library: connect (swagger api-docs), then the
// push-configuration walkthrough (auth, aor, endpoint for alice) through
// client.asterisk.updateObject / getObject / deleteObject, plus info and ping.
// Usage: node walkthrough.js <base-url> <user> <password>. Exit code 0 = every check passed.
'use strict';

const assert = require('assert');
const ari = require('ari-client');

const [baseUrl, user, password] = process.argv.slice(2);

function tuples(fields) {
  return Object.entries(fields).map(([attribute, value]) => ({ attribute, value }));
}

function asMap(list) {
  assert.ok(Array.isArray(list), 'expected a list of ConfigTuple, got ' + JSON.stringify(list));
  const out = {};
  for (const t of list) {
    assert.deepStrictEqual(Object.keys(t), ['attribute', 'value']);
    out[t.attribute] = t.value;
  }
  return out;
}

// ari-client rejects with an Error whose message is the response body.
async function expectError(promise, message) {
  try {
    await promise;
  } catch (err) {
    assert.deepStrictEqual(JSON.parse(err.message), { message });
    return;
  }
  throw new Error('expected a failure: ' + message);
}

async function main() {
  const client = await ari.connect(baseUrl, user, password);
  for (const op of ['getObject', 'updateObject', 'deleteObject', 'getInfo', 'ping']) {
    assert.strictEqual(typeof client.asterisk[op], 'function', 'client.asterisk.' + op);
  }
  const id = { configClass: 'res_pjsip' };

  const auth = asMap(await client.asterisk.updateObject({
    ...id, objectType: 'auth', id: 'alice',
    fields: tuples({ auth_type: 'userpass', username: 'alice', password: 'secret' }),
  }));
  assert.strictEqual(auth.username, 'alice');
  assert.strictEqual(auth.password, 'secret');
  assert.strictEqual(auth.auth_type, 'userpass');

  const aor = asMap(await client.asterisk.updateObject({
    ...id, objectType: 'aor', id: 'alice',
    // already wrapped: ari-client must send it as is
    fields: { fields: tuples({ support_path: 'yes', max_contacts: '1' }) },
  }));
  assert.strictEqual(aor.max_contacts, '1');
  assert.strictEqual(aor.support_path, 'true');

  const endpoint = asMap(await client.asterisk.updateObject({
    ...id, objectType: 'endpoint', id: 'alice',
    fields: tuples({ transport: 'transport-udp', context: 'default', aors: 'alice', auth: 'alice',
                     allow: '!all,ulaw', direct_media: 'no' }),
  }));
  assert.strictEqual(endpoint.context, 'default');
  assert.strictEqual(endpoint.aors, 'alice');
  assert.strictEqual(endpoint.auth, 'alice');
  assert.strictEqual(endpoint.allow, '(ulaw)');
  assert.strictEqual(endpoint.direct_media, 'false');

  for (const [type, key, want] of [['auth', 'username', 'alice'], ['aor', 'max_contacts', '1'],
                                   ['endpoint', 'context', 'default']]) {
    const got = asMap(await client.asterisk.getObject({ ...id, objectType: type, id: 'alice' }));
    assert.strictEqual(got[key], want, type + '.' + key);
  }

  const info = await client.asterisk.getInfo({ only: 'system' });
  assert.deepStrictEqual(Object.keys(info), ['system']);
  const pong = await client.asterisk.ping();
  assert.strictEqual(pong.ping, 'pong');

  await expectError(client.asterisk.getObject({ ...id, objectType: 'auth', id: 'nobody' }),
                    "Object with id 'nobody' not found");

  for (const type of ['endpoint', 'aor', 'auth']) {
    await client.asterisk.deleteObject({ ...id, objectType: type, id: 'alice' });
    await expectError(client.asterisk.getObject({ ...id, objectType: type, id: 'alice' }),
                      "Object with id 'alice' not found");
  }
  console.log('ari-client walkthrough: all checks passed');
}

main().catch((err) => {
  console.error('ari-client walkthrough FAILED:', err && err.stack ? err.stack : err);
  process.exit(1);
});
