// Several instances as the guide deploys them (issue 15): two servers that share nothing on
// disk, only one S3 bucket (--storage, the local store of tests/s3 that verifies every
// signature) and one state database (--state). A job submitted to one is read, downloaded from
// the store and deleted on the other; and after a kill -9 in the middle of three large exports
// whose multipart uploads are in flight, the other instance finishes each exactly once: every
// object holds exactly the source's rows (read back with the AWS SDK, then DuckDB) and no
// multipart upload is left in the bucket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { api, cliOk, pgUrl, psql, q, removeDir, root, sqlite, startServer, tempDir, until } from './harness.mjs';

const { startS3 } = await import(path.join(root, 'tests/s3/s3_harness.mjs'));

const PREFIX = 'exports';
const work = tempDir('scout-several-');
const warehouseDb = path.join(work, 'warehouse.db');
const database = `scout_several_e2e_${randomBytes(5).toString('hex')}`;
const stateUrl = pgUrl ? pgUrl.replace(/\/[^/?]*(\?|$)/, `/${database}$1`) : '';
const running = [];
let s3, one, two, key, instances = 0;

const stateSql = (sql) => psql(stateUrl, sql);

// Each instance has a data dir of its own: nothing is shared but the bucket and the database.
async function start() {
  const dataDir = path.join(work, `instance-${++instances}`);
  const server = await startServer({
    dataDir,
    warehouse: `sqlite:${warehouseDb}`,
    env: { ...s3.env, SCOUT_STORAGE: `s3://${s3.bucket}/${PREFIX}`, SCOUT_STATE_URL: stateUrl,
           SCOUT_JOB_LEASE_SECONDS: '3', SCOUT_WORKERS: '3' },
  });
  running.push(server);
  return server;
}

before(async () => {
  assert.ok(pgUrl, 'SCOUT_TEST_PG_URL must name a PostgreSQL server (scripts/test.sh starts one)');
  psql(pgUrl, `CREATE DATABASE ${database}`);
  s3 = await startS3();
  cliOk(['demo', '--warehouse', `sqlite:${warehouseDb}`, '--scale', '0.8', '--until', '2025-12-31']);
  key = cliOk(['keys', 'create', '--role', 'analytics_export', '--name', 'several', '--state', stateUrl]).stdout.trim().split('\n').pop();
  one = await start();
  two = await start();
});

after(async () => {
  for (const server of running) await server.stop();
  if (pgUrl) psql(pgUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  if (s3) await s3.stop();
  removeDir(work);
});

test('both instances report the bucket and the database reachable', async () => {
  for (const server of [one, two]) {
    const health = await api(server.url, 'GET', '/health');
    assert.equal(health.status, 200, health.text);
    assert.equal(health.json.state, 'reachable');
    assert.equal(health.json.storage, 'reachable');
  }
});

test('an export made on one instance is read, downloaded from the store and deleted on the other', async () => {
  const done = await api(one.url, 'POST', '/export', { key, body: { dataset: 'payment_trends', format: 'csv' } });
  assert.equal(done.status, 200, done.text);
  const id = done.json.export_id;
  const seen = await api(two.url, 'GET', `/exports/${id}`, { key });
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.status, 'succeeded');
  // The other instance's link is the store's own presigned URL, and the store serves it.
  const link = new URL(seen.json.result.signed_url ?? seen.json.signed_url);
  assert.equal(link.origin, s3.endpoint);
  assert.equal(link.searchParams.get('X-Amz-Expires'), '3600');
  const body = await (await fetch(link)).text();
  const rows = body.trim().split('\r\n').length - 1;
  assert.equal(rows, sqlite(warehouseDb, 'SELECT count(*) AS n FROM payment_trends')[0].n);
  assert.deepEqual(await s3.keys(`${PREFIX}/${id}/`), [`${PREFIX}/${id}/manifest.json`, `${PREFIX}/${id}/payment_trends.csv`]);

  const deleted = await api(two.url, 'DELETE', `/exports/${id}`, { key });
  assert.equal(deleted.status, 200, deleted.text);
  assert.deepEqual(await s3.keys(`${PREFIX}/${id}/`), []);
  assert.equal((await api(one.url, 'GET', `/exports/${id}`, { key })).status, 404);
});

test('kill -9 while three multipart uploads are in flight: the other instance finishes each once, exactly, and no upload is left', async () => {
  // The victim takes all three: the other instance is stopped until they run.
  await two.stop();
  // A slow store, so the uploads are caught in flight; uncompressed JSON, ~45 MB a file, so
  // each goes up in several 8 MiB parts.
  s3.front.faults.delayUploadPartsMs = 1500;
  const ranges = [['2024-01-01', '2024-12-31'], ['2025-01-01', '2025-12-31'], ['2024-07-01', '2025-06-30']];
  const ids = [];
  for (const [from, to] of ranges) {
    const r = await api(one.url, 'POST', '/export', { key, body: { dataset: 'daily_transactions', format: 'json', async: true, date_range: { start: from, end: to } } });
    assert.equal(r.status, 202, r.text);
    ids.push(r.json.export_id);
  }
  await until('three multipart uploads in flight', async () => {
    const prefixes = new Set((await s3.uploads(`${PREFIX}/`)).map((u) => u.Key.split('/')[1]));
    return ids.every((id) => prefixes.has(id));
  }, 60000, 100);
  const survivor = await start();
  const killedAt = Date.now();
  await one.kill();
  s3.front.faults.delayUploadPartsMs = 0;

  const list = ids.map((id) => `'${id}'`).join(',');
  await until('every export to run again', () => stateSql(`SELECT count(*) FROM scout_export.jobs WHERE id IN (${list}) AND attempt = 2`) === '3', 30000, 50);
  const resumedMs = Date.now() - killedAt;
  await until('every export to finish', () => stateSql(`SELECT count(*) FROM scout_export.jobs WHERE id IN (${list}) AND status NOT IN ('running', 'queued')`) === '3', 180000, 100);
  const finishedMs = Date.now() - killedAt;
  console.log(`# S3 + PostgreSQL, lease 3 s: running again ${resumedMs} ms after kill -9, all three finished after ${finishedMs} ms`);

  assert.deepEqual(await s3.uploads(), [], 'multipart uploads left in the bucket');
  const downloads = path.join(work, 'downloads');
  for (const [i, id] of ids.entries()) {
    const r = await api(survivor.url, 'GET', `/exports/${id}`, { key });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'succeeded', r.text);
    assert.equal(stateSql(`SELECT attempt FROM scout_export.jobs WHERE id = '${id}'`), '2');
    assert.equal(stateSql(`SELECT count(*) FROM scout_export.audit_log WHERE event->>'event' = 'export_finished' AND event->>'export_id' = '${id}'`), '1');
    // Only the listed files and the manifest: the dead attempt left nothing behind.
    const listed = [...r.json.result.files.map((f) => `${PREFIX}/${id}/${f.path}`), `${PREFIX}/${id}/manifest.json`].sort();
    assert.deepEqual(await s3.keys(`${PREFIX}/${id}/`), listed, `export ${i}: objects`);
    const dir = path.join(downloads, id);
    mkdirSync(dir, { recursive: true });
    for (const f of r.json.result.files) {
      const bytes = await s3.get(`${PREFIX}/${id}/${f.path}`);
      assert.equal(bytes.length, f.bytes, `export ${i}: ${f.path} size`);
      assert.ok(bytes.length > 8 * 1024 * 1024, `export ${i}: ${bytes.length} bytes is one part only`);
      writeFileSync(path.join(dir, path.basename(f.path)), bytes);
    }
    const [from, to] = ranges[i];
    const source = sqlite(warehouseDb, `SELECT count(*) AS n, sum(transaction_count) AS tx, sum(CAST(round(total_revenue * 100) AS INTEGER)) AS cents, min(transaction_date) AS first, max(transaction_date) AS last FROM daily_transactions WHERE transaction_date BETWEEN '${from}' AND '${to}'`)[0];
    const files = path.join(dir, '*.json').replaceAll("'", "''");
    const [got] = await q(`SELECT count(*)::INT AS n, count(DISTINCT (transaction_date, device_id, store_id))::INT AS keys, sum(transaction_count)::BIGINT::VARCHAR AS tx, sum(round(total_revenue * 100))::BIGINT::VARCHAR AS cents, min(transaction_date)::VARCHAR AS first, max(transaction_date)::VARCHAR AS last FROM read_json('${files}', format='newline_delimited')`);
    assert.equal(got.n, source.n, `export ${i}: rows`);
    assert.equal(got.keys, source.n, `export ${i}: a row appears twice`);
    assert.equal(r.json.result.row_count, source.n);
    assert.deepEqual([got.tx, got.cents, got.first, got.last], [String(source.tx), String(source.cents), source.first, source.last], `export ${i}: values`);
  }
});
