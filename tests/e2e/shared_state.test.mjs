// Several instances sharing one state database (--state): two servers on one data dir (local
// storage on one machine, one signing key) and one PostgreSQL database of this run's own. A
// job is read, cancelled and deleted on the instance that did not take it; SCOUT_WORKERS caps
// the running exports of both together; a key revoked with `keys revoke --state` is refused
// everywhere within 5 s; and after a kill -9 in the middle of several exports, the other
// instance finishes every one of them, exactly once, with exactly the source's rows (read back
// by DuckDB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { api, cliOk, pgUrl, psql, q, removeDir, sqlite, startServer, tempDir, sleep, until } from './harness.mjs';

const work = tempDir('scout-shared-state-');
const dataDir = path.join(work, 'data');
const warehouseDb = path.join(dataDir, 'warehouse.db');
const database = `scout_state_e2e_${randomBytes(5).toString('hex')}`;
const stateUrl = pgUrl ? pgUrl.replace(/\/[^/?]*(\?|$)/, `/${database}$1`) : '';
const env = {
  SCOUT_STATE_URL: stateUrl,
  SCOUT_WORKERS: '3',
  SCOUT_MAX_QUEUE: '1',
  SCOUT_JOB_LEASE_SECONDS: '3',
};
const running = [];
let one, two, key;

const stateSql = (sql) => psql(stateUrl, sql);
const start = async () => {
  const server = await startServer({ dataDir, warehouse: `sqlite:${warehouseDb}`, env });
  running.push(server);
  return server;
};
// An export slow enough (JSON at gzip level 9, ~300k rows) to be caught while it runs.
const slowExport = { dataset: 'daily_transactions', format: 'json', compression: 'gzip', compression_level: 9, async: true };
const keysCli = (...args) => cliOk(['keys', ...args, '--state', stateUrl]).stdout.trim().split('\n').pop();

before(async () => {
  assert.ok(pgUrl, 'SCOUT_TEST_PG_URL must name a PostgreSQL server (scripts/test.sh starts one)');
  psql(pgUrl, `CREATE DATABASE ${database}`);
  cliOk(['demo', '--warehouse', `sqlite:${warehouseDb}`, '--scale', '0.8', '--until', '2025-12-31']);
  key = keysCli('create', '--role', 'analytics_export', '--name', 'shared');
  one = await start();  // first alone: it creates the schema and the signing key
  two = await start();
});

after(async () => {
  for (const server of running) await server.stop();
  if (pgUrl) psql(pgUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  removeDir(work);
});

test('/health reports the state database; the schema is migrated once', async () => {
  for (const server of [one, two]) {
    const health = await api(server.url, 'GET', '/health');
    assert.equal(health.status, 200, health.text);
    assert.equal(health.json.state, 'reachable');
  }
  assert.equal(stateSql('SELECT string_agg(version::text, \',\') FROM scout_export.schema_migrations'), '1');
});

test('a job submitted to one instance is read, cancelled and deleted on the other', async () => {
  // Finished: the other instance answers with the same record and links that work.
  const done = await api(one.url, 'POST', '/export', { key, body: { dataset: 'payment_trends', format: 'csv' } });
  assert.equal(done.status, 200, done.text);
  const seen = await api(two.url, 'GET', `/exports/${done.json.export_id}`, { key });
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.status, 'succeeded');
  assert.equal(seen.json.result.row_count, done.json.row_count);
  assert.equal(done.json.row_count, sqlite(warehouseDb, 'SELECT count(*) AS n FROM payment_trends')[0].n);

  // Running on one: its progress is seen on the other, which cancels it within ~2 s.
  const job = await api(one.url, 'POST', '/export', { key, body: slowExport });
  assert.equal(job.status, 202, job.text);
  const id = job.json.export_id;
  await until('progress seen from the other instance', async () => {
    const r = await api(two.url, 'GET', `/exports/${id}`, { key });
    return r.json.status === 'running' && r.json.progress.rows_written > 0;
  });
  const cancelledAt = Date.now();
  const cancel = await api(two.url, 'DELETE', `/exports/${id}`, { key });
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.json.status, 'cancelling');
  await until('the cancel to reach the running instance', async () => (await api(one.url, 'GET', `/exports/${id}`, { key })).json.status === 'cancelled', 5000, 50);
  const cancelMs = Date.now() - cancelledAt;
  assert.ok(cancelMs < 2500, `the cancel took ${cancelMs} ms`);
  console.log(`# cancel from the other instance took effect in ${cancelMs} ms`);

  const deleted = await api(two.url, 'DELETE', `/exports/${id}`, { key });
  assert.equal(deleted.json.status, 'deleted');
  assert.equal((await api(one.url, 'GET', `/exports/${id}`, { key })).status, 404);
  // Another caller sees none of it, whichever instance it asks.
  const stranger = keysCli('create', '--role', 'analytics_export', '--name', 'stranger');
  await until('the new key to be accepted', async () => (await api(two.url, 'GET', '/datasets', { key: stranger })).status === 200, 5000);
  assert.equal((await api(two.url, 'GET', `/exports/${done.json.export_id}`, { key: stranger })).status, 404);
});

test('SCOUT_WORKERS caps the running exports of all instances together; past the queue, 429', async () => {
  const ids = [];

  for (let i = 0; i < 4; i += 1) {
    const r = await api(i % 2 ? two.url : one.url, 'POST', '/export', { key, body: slowExport });
    assert.equal(r.status, 202, r.text);
    ids.push(r.json.export_id);
  }
  const counts = () => stateSql("SELECT count(*) FILTER (WHERE status = 'running') || '|' || count(*) FILTER (WHERE status = 'queued') FROM scout_export.jobs").split('|').map(Number);

  await until('three exports to run and one to wait', () => counts().join() === '3,1', 10000);
  const full = await api(two.url, 'POST', '/export', { key, body: slowExport });
  assert.equal(full.status, 429, full.text);
  assert.equal(full.json.error.code, 'too_many_exports');
  assert.ok(Number(full.headers.get('retry-after')) > 0);
  // Both instances have three free workers each, yet three run, and the fourth waits.
  let most = 0;
  for (let i = 0; i < 5; i += 1) {
    const [runningNow, queued] = counts();
    most = Math.max(most, runningNow);
    assert.ok(runningNow <= 3, `${runningNow} exports run at once`);
    if (i === 4) assert.equal(queued, 1);
    await sleep(200);
  }
  assert.equal(most, 3);
  const owners = stateSql("SELECT count(DISTINCT owner) FROM scout_export.jobs WHERE status = 'running'");
  console.log(`# 3 running exports on ${owners} instance(s), 1 queued`);
  for (const id of ids) await api(one.url, 'DELETE', `/exports/${id}`, { key });
  await until('the cancelled exports to end', () => stateSql("SELECT count(*) FROM scout_export.jobs WHERE status IN ('running', 'queued')") === '0', 10000);
});

test('a key revoked with keys revoke --state is refused by every instance within 5 s', async () => {
  const doomed = keysCli('create', '--role', 'analytics_export', '--name', 'doomed');
  const createdAt = Date.now();
  await until('the new key to be accepted', async () => {
    const [a, b] = await Promise.all([api(one.url, 'GET', '/datasets', { key: doomed }), api(two.url, 'GET', '/datasets', { key: doomed })]);
    return a.status === 200 && b.status === 200;
  }, 5000, 50);
  console.log(`# new key accepted by both instances after ${Date.now() - createdAt} ms`);
  keysCli('revoke', 'doomed');
  const revokedAt = Date.now();
  await until('the revoked key to be refused', async () => {
    const [a, b] = await Promise.all([api(one.url, 'GET', '/datasets', { key: doomed }), api(two.url, 'GET', '/datasets', { key: doomed })]);
    return a.status === 401 && b.status === 401;
  }, 5000, 50);
  console.log(`# revoked key refused by both instances after ${Date.now() - revokedAt} ms`);
  assert.equal((await api(two.url, 'GET', '/datasets', { key })).status, 200);
});

// A TCP relay to the state database that the test can cut and restore, as a database that
// goes away and comes back.
function relayTo(target) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    listen: (port = 0) => new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server.address().port))),
    cut: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(resolve);
    }),
  };
}

test('a state database that goes away gives 503s with JSON, not a crash, and is used again when it returns', async () => {
  const relay = relayTo(new URL(stateUrl));
  const port = await relay.listen();
  const relayed = new URL(stateUrl);
  relayed.host = `127.0.0.1:${port}`;
  const server = await startServer({ dataDir, warehouse: `sqlite:${warehouseDb}`, env: { ...env, SCOUT_STATE_URL: relayed.href } });
  running.push(server);
  try {
    const done = await api(server.url, 'POST', '/export', { key, body: { dataset: 'payment_trends', format: 'csv' } });
    assert.equal(done.status, 200, done.text);
    const id = done.json.export_id;

    await relay.cut();
    const health = await until('/health to see the database gone', async () => {
      const r = await api(server.url, 'GET', '/health');
      return r.status === 503 ? r : null;
    }, 10000, 250);
    assert.equal(health.json.state, 'unreachable');
    assert.equal(health.json.status, 'degraded');
    for (const [method, route, body] of [['GET', `/exports/${id}`], ['DELETE', `/exports/${id}`], ['POST', '/export', { dataset: 'payment_trends', format: 'csv' }]]) {
      const r = await api(server.url, method, route, { key, body });
      assert.equal(r.status, 503, `${method} ${route}: ${r.text}`);
      assert.equal(r.json.error.code, 'unavailable');
      assert.match(r.json.error.message, /state database/);
    }
    assert.equal(server.child.exitCode, null, 'the server died');

    await relay.listen(port);
    await until('the database to be used again', async () => (await api(server.url, 'GET', `/exports/${id}`, { key })).status === 200, 10000, 250);
    await until('/health to see the database back', async () => (await api(server.url, 'GET', '/health')).status === 200, 5000, 250);
  } finally {
    await server.stop();
    await relay.cut();
  }
});

test('kill -9 in the middle of three exports: the other instance finishes each exactly once, with exactly the source rows', async () => {
  // The victim runs all three: the other instance is started only once they run.
  await two.stop();
  const ids = [];
  const ranges = [['2024-01-01', '2024-12-31'], ['2025-01-01', '2025-12-31'], ['2024-07-01', '2025-06-30']];
  for (const [from, to] of ranges) {
    const r = await api(one.url, 'POST', '/export', { key, body: { ...slowExport, date_range: { start: from, end: to } } });
    assert.equal(r.status, 202, r.text);
    ids.push(r.json.export_id);
  }
  const list = ids.map((id) => `'${id}'`).join(',');
  await until('the three exports to write rows', () => stateSql(`SELECT count(*) FROM scout_export.jobs WHERE id IN (${list}) AND status = 'running' AND rows_written > 0`) === '3', 30000);
  const survivor = await start();
  const killedAt = Date.now();
  await one.kill();

  await until('every export to run again', () => stateSql(`SELECT count(*) FROM scout_export.jobs WHERE id IN (${list}) AND attempt = 2`) === '3', 20000, 50);
  const resumedMs = Date.now() - killedAt;
  await until('every export to finish', () => stateSql(`SELECT count(*) FROM scout_export.jobs WHERE id IN (${list}) AND status <> 'running' AND status <> 'queued'`) === '3', 120000, 100);
  const finishedMs = Date.now() - killedAt;
  console.log(`# takeover after kill -9 (lease 3 s): running again after ${resumedMs} ms, all three finished after ${finishedMs} ms`);

  for (const [i, id] of ids.entries()) {
    const r = await api(survivor.url, 'GET', `/exports/${id}`, { key });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'succeeded', r.text);
    assert.equal(stateSql(`SELECT attempt FROM scout_export.jobs WHERE id = '${id}'`), '2');
    // Ended once: one export_finished event in the shared audit log.
    assert.equal(stateSql(`SELECT count(*) FROM scout_export.audit_log WHERE event->>'event' = 'export_finished' AND event->>'export_id' = '${id}'`), '1');
    // The dead attempt's output was discarded: nothing but the listed files and the manifest
    // (its hidden staging folder would be left otherwise).
    const held = readdirSync(path.join(dataDir, 'exports', id), { recursive: true }).sort();
    assert.deepEqual(held, [...r.json.result.files.map((f) => f.path), 'manifest.json'].sort(), `export ${i}: leftovers`);
    const [from, to] = ranges[i];
    const where = `transaction_date BETWEEN '${from}' AND '${to}'`;
    const source = sqlite(warehouseDb, `SELECT count(*) AS n, count(DISTINCT transaction_date || '|' || device_id || '|' || store_id) AS keys, sum(transaction_count) AS tx, sum(CAST(round(total_revenue * 100) AS INTEGER)) AS cents, min(transaction_date) AS first, max(transaction_date) AS last FROM daily_transactions WHERE ${where}`)[0];
    const files = path.join(dataDir, 'exports', id, '**', '*.json.gz').replaceAll("'", "''");
    const [got] = await q(`SELECT count(*)::INT AS n, count(DISTINCT (transaction_date, device_id, store_id))::INT AS keys, sum(transaction_count)::BIGINT::VARCHAR AS tx, sum(round(total_revenue * 100))::BIGINT::VARCHAR AS cents, min(transaction_date)::VARCHAR AS first, max(transaction_date)::VARCHAR AS last FROM read_json('${files}', format='newline_delimited')`);
    assert.equal(got.n, source.n, `export ${i}: rows`);
    assert.equal(got.keys, source.n, `export ${i}: a row appears twice`);
    assert.equal(r.json.result.row_count, source.n);
    assert.deepEqual([got.tx, got.cents, got.first, got.last], [String(source.tx), String(source.cents), source.first, source.last], `export ${i}: values`);
  }
});
