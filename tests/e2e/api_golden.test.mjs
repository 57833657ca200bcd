// The API's JSON, byte for byte: one export of each format (and a partitioned one), the job's
// status before and after a restart, a failed job, and the catalog, compared with the golden
// files in golden/. Ids, times, ports, signatures and durations are normalized; everything else
// (field order, indentation, sizes, checksums) must match. SCOUT_UPDATE_GOLDEN=1 rewrites them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, cliOk, createKey, removeDir, sqlite, startServer, tempDir } from './harness.mjs';

const goldenDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env.SCOUT_UPDATE_GOLDEN === '1';
let work, dataDir, db, server, admin;

before(async () => {
  work = tempDir('scout-golden-');
  dataDir = path.join(work, 'data');
  db = path.join(dataDir, 'warehouse.db');
  cliOk(['demo', '--warehouse', `sqlite:${db}`, '--scale', '0.05', '--until', '2025-03-31']);
  admin = createKey(dataDir, 'admin');
  server = await startServer({ dataDir });
});

after(async () => {
  await server?.stop();
  removeDir(work);
});

// What differs from run to run, replaced by a placeholder of the same JSON type.
function normalize(text, base) {
  return text
    .replaceAll(base, '<base>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .replace(/"requested_by": "key_[0-9a-f]+"/g, '"requested_by": "key_<id>"')
    .replace(/expires=\d+/g, 'expires=<unix>')
    .replace(/signature=[0-9A-Za-z_-]+/g, 'signature=<signature>')
    .replace(/"(created_unix|finished_unix|duration_ms)": \d+/g, '"$1": 0');
}

function assertGolden(name, response) {
  const got = normalize(response.text, server.url);
  const file = path.join(goldenDir, `${name}.json`);
  if (update || !existsSync(file)) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, got);
    if (!update) assert.fail(`${file} did not exist; written now, check it in`);
    return;
  }
  if (got !== readFileSync(file, 'utf8')) writeFileSync(`${file}.got`, got);
  assert.equal(got, readFileSync(file, 'utf8'), `${name}: the API's JSON changed (see ${name}.json.got)`);
}

const exports = {
  export_parquet: { dataset: 'daily_transactions', date_range: { start: '2025-03-01', end: '2025-03-02' } },
  export_csv: { dataset: 'store_rankings', format: 'csv', compression: 'gzip', limit: 40 },
  export_json: { dataset: 'hourly_patterns', format: 'json', compression: 'none', limit: 25, columns: ['transaction_date', 'hour', 'total_revenue'] },
  export_partitioned: { dataset: 'store_rankings', format: 'parquet', compression: 'zstd', parquet_version: 'v2', partition_by: 'region' },
};
const ids = {};

test('POST /export answers the same JSON for each format, partitioned too', async () => {
  for (const [name, body] of Object.entries(exports)) {
    const res = await api(server.url, 'POST', '/export', { key: admin, body });
    assert.equal(res.status, 200, res.text);
    ids[name] = res.json.export_id;
    assertGolden(name, res);
  }
});

test('GET /exports/{id} answers the same JSON, before and after a restart', async () => {
  const res = await api(server.url, 'GET', `/exports/${ids.export_parquet}`, { key: admin });
  assert.equal(res.status, 200);
  assertGolden('export_status_parquet', res);
  const part = await api(server.url, 'GET', `/exports/${ids.export_partitioned}`, { key: admin });
  assertGolden('export_status_partitioned', part);

  await server.stop();
  server = await startServer({ dataDir });
  const reloaded = await api(server.url, 'GET', `/exports/${ids.export_parquet}`, { key: admin });
  // A reloaded job has no progress counters (they are not kept on disk), else the same.
  assertGolden('export_status_parquet_reloaded', reloaded);
  const partReloaded = await api(server.url, 'GET', `/exports/${ids.export_partitioned}`, { key: admin });
  assertGolden('export_status_partitioned_reloaded', partReloaded);
});

test('a failed export: the refusal and the job status answer the same JSON, its error code kept across a restart', async () => {
  // The source no longer matches the catalog: a schema mismatch (422).
  sqlite(db, 'ALTER TABLE payment_trends RENAME TO payment_trends_gone; CREATE TABLE payment_trends (x INTEGER);');
  const failed = await api(server.url, 'POST', '/export', { key: admin, body: { dataset: 'payment_trends' } });
  assert.equal(failed.status, 422, failed.text);
  assertGolden('export_failed', failed);
  const started = await api(server.url, 'POST', '/export', { key: admin, body: { dataset: 'payment_trends', async: true } });
  assert.equal(started.status, 202);
  assertGolden('export_accepted', started);
  let status;
  for (let i = 0; i < 200; ++i) {
    status = await api(server.url, 'GET', `/exports/${started.json.export_id}`, { key: admin });
    if (status.json.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assertGolden('export_status_failed', status);

  // The record on disk keeps the error's code (it came back as "internal" before).
  await server.stop();
  server = await startServer({ dataDir });
  const reloaded = await api(server.url, 'GET', `/exports/${started.json.export_id}`, { key: admin });
  assertGolden('export_status_failed', reloaded);
});

test('GET /datasets answers the same JSON, and `datasets --json` prints the same list', async () => {
  const res = await api(server.url, 'GET', '/datasets', { key: admin });
  assert.equal(res.status, 200);
  assertGolden('datasets', res);
  assert.equal(cliOk(['datasets', '--json']).stdout, `${res.text}\n`);
});
