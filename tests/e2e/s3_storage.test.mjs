// Exports to S3-compatible storage (issue 15), against the local store of tests/s3 (s3rver
// behind a front that verifies every signature): the CLI writing to s3://, the service with
// --storage s3://, presigned downloads from the store, multipart uploads, retried and aborted
// parts, DELETE, the manifest last. Objects are read back with @aws-sdk/client-s3 and their
// rows compared with the SQLite source by DuckDB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { api, assertSameRows, cliAsync, cliOk, createKey, removeDir, root, startServer, tempDir } from './harness.mjs';

const { startS3 } = await import(path.join(root, 'tests/s3/s3_harness.mjs'));

let s3, work, dataDir, db, server, key;
const EXPORTS = 'exports';  // the service's prefix in the bucket

before(async () => {
  s3 = await startS3();
  work = tempDir();
  dataDir = path.join(work, 'data');
  db = path.join(dataDir, 'warehouse.db');
  // The default demo: daily_transactions is ~15 MiB of Parquet, two 8 MiB parts.
  cliOk(['demo', '--warehouse', `sqlite:${db}`]);
  key = createKey(dataDir, 'analytics_export');
  server = await startServer({ dataDir, env: { ...s3.env, SCOUT_STORAGE: `s3://${s3.bucket}/${EXPORTS}` } });
});

after(async () => {
  await server?.stop();
  await s3?.stop();
  removeDir(work);
});

// The objects under `prefix`, downloaded by the AWS SDK into a folder of the same layout.
async function downloadPrefix(prefix, into) {
  const keys = await s3.keys(prefix);
  for (const k of keys) {
    const file = path.join(into, k.slice(prefix.length));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, await s3.get(k));
  }
  return keys.map((k) => k.slice(prefix.length));
}

// The source's rows of `dataset` as sqlite3 prints them, for assertSameRows.
function sourceRelation(dataset, where = '') {
  const csv = path.join(work, `${dataset}-${createHash('sha1').update(where).digest('hex').slice(0, 8)}-source.csv`);
  writeFileSync(csv, execFileSync('sqlite3', ['-csv', '-header', db, `SELECT * FROM "${dataset}" ${where}`], { maxBuffer: 1 << 30 }));
  return `read_csv('${csv}', header=true, all_varchar=true)`;
}

const parquetOf = (dir, files) => `read_parquet([${files.map((f) => `'${path.join(dir, f)}'`).join(', ')}], hive_partitioning=false, union_by_name=true)`;

async function exportJson(body) {
  const res = await api(server.url, 'POST', '/export', { key, body });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

async function waitFor(id, statuses) {
  for (let i = 0; i < 600; ++i) {
    const r = await api(server.url, 'GET', `/exports/${id}`, { key });
    if (statuses.includes(r.json.status)) return r.json;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`export ${id} did not reach ${statuses}`);
}

test('the CLI writes to s3://: every value equals the source, the manifest lists the objects', async () => {
  const before = s3.front.counts.UploadPart ?? 0;
  const r = await cliAsync(['export', '--dataset', 'daily_transactions', '--warehouse', `sqlite:${db}`, '--out', `s3://${s3.bucket}/cli/daily`, '--json'], s3.env);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  const dir = path.join(work, 'cli-daily');
  const files = await downloadPrefix('cli/daily/', dir);
  assert.deepEqual(files, ['daily_transactions.parquet', 'manifest.json']);
  const n = await assertSameRows('daily_transactions', parquetOf(dir, ['daily_transactions.parquet']), sourceRelation('daily_transactions'), 'CLI to s3');
  assert.equal(n, result.row_count);
  const manifest = JSON.parse(await s3.get('cli/daily/manifest.json'));
  const object = await s3.get('cli/daily/daily_transactions.parquet');
  assert.equal(manifest.files[0].sha256, createHash('sha256').update(object).digest('hex'));
  assert.equal(manifest.files[0].bytes, object.length);
  assert.ok(object.length > 8 << 20, `the file (${object.length} B) is larger than one part`);
  assert.ok((s3.front.counts.UploadPart ?? 0) - before >= 2, 'it went up as a multipart upload');
  assert.deepEqual(await s3.uploads(), [], 'no incomplete multipart upload is left');
  assert.ok(s3.front.published.indexOf('cli/daily/manifest.json') > s3.front.published.indexOf('cli/daily/daily_transactions.parquet'));
});

test('the CLI names a missing bucket, refused credentials and a bad URL, and writes nothing', async () => {
  let r = await cliAsync(['export', '--dataset', 'store_rankings', '--warehouse', `sqlite:${db}`, '--out', 's3://no-such-bucket/x'], s3.env);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bucket s3:\/\/no-such-bucket .* does not exist.*never creates buckets/);
  r = await cliAsync(['export', '--dataset', 'store_rankings', '--warehouse', `sqlite:${db}`, '--out', `s3://${s3.bucket}/x`], { ...s3.env, AWS_SECRET_ACCESS_KEY: 'wrong' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /refused the credentials.*HTTP 403.*AWS_SECRET_ACCESS_KEY/);
  r = await cliAsync(['export', '--dataset', 'store_rankings', '--warehouse', `sqlite:${db}`, '--out', 's3://Bad_Bucket/x'], s3.env);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bucket must be 3-63 characters/);
  r = await cliAsync(['export', '--dataset', 'store_rankings', '--warehouse', `sqlite:${db}`, '--out', `s3://${s3.bucket}/x`], { ...s3.env, AWS_ACCESS_KEY_ID: '' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
});

test('serve --storage s3: a Parquet export is in the bucket, its presigned URL downloads it from the store, tampered it is refused', async () => {
  const result = await exportJson({ dataset: 'daily_transactions', format: 'parquet', date_range: { start: '2025-01-01', end: '2025-01-31' } });
  const url = new URL(result.signed_url);
  assert.equal(url.origin, s3.endpoint, 'the link goes to the store, not the service');
  assert.equal(url.searchParams.get('X-Amz-Expires'), '3600');
  assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
  assert.equal(url.pathname, `/${s3.bucket}/${EXPORTS}/${result.export_id}/daily_transactions.parquet`);
  const res = await fetch(result.signed_url);
  assert.equal(res.status, 200);
  const body = Buffer.from(await res.arrayBuffer());
  const stored = await s3.get(`${EXPORTS}/${result.export_id}/daily_transactions.parquet`);
  assert.ok(body.equals(stored), 'the presigned download is the stored object');
  assert.equal(createHash('sha256').update(body).digest('hex'), result.files[0].sha256);
  const file = path.join(work, 'presigned.parquet');
  writeFileSync(file, body);
  const n = await assertSameRows('daily_transactions', parquetOf(work, ['presigned.parquet']),
    sourceRelation('daily_transactions', "WHERE transaction_date BETWEEN '2025-01-01' AND '2025-01-31'"), 'presigned download');
  assert.equal(n, result.row_count);
  // Range comes from the store.
  const ranged = await fetch(result.signed_url, { headers: { Range: 'bytes=0-3' } });
  assert.equal(ranged.status, 206);
  assert.equal(Buffer.from(await ranged.arrayBuffer()).toString(), 'PAR1');
  for (const tampered of [result.signed_url.replace('daily_transactions.parquet', 'manifest.json'),
    result.signed_url.replace('X-Amz-Expires=3600', 'X-Amz-Expires=7200'),
    result.signed_url.replace(/X-Amz-Signature=([0-9a-f])/, (m, c) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`)]) {
    const refused = await fetch(tampered);
    assert.equal(refused.status, 403, tampered);
  }
  // The manifest's link works as well.
  const manifest = await fetch(result.manifest_url);
  assert.equal(manifest.status, 200);
  assert.equal((await manifest.json()).row_count, result.row_count);
});

test('serve --storage s3: a partitioned export: each file complete, the manifest written last, every row the source\'s', async () => {
  const result = await exportJson({ dataset: 'store_rankings', format: 'parquet', partition_by: 'region' });
  assert.ok(result.files.length > 1);
  const prefix = `${EXPORTS}/${result.export_id}/`;
  const dir = path.join(work, 'partitioned');
  const files = await downloadPrefix(prefix, dir);
  assert.deepEqual(files.sort(), [...result.files.map((f) => f.path), 'manifest.json'].sort(), 'only data files and the manifest');
  for (const f of result.files) {
    const res = await fetch(f.signed_url);
    assert.equal(res.status, 200, f.path);
    assert.equal(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex'), f.sha256, f.path);
  }
  const n = await assertSameRows('store_rankings', parquetOf(dir, result.files.map((f) => f.path)), sourceRelation('store_rankings'), 'partitioned');
  assert.equal(n, result.row_count);
  const order = s3.front.published.filter((k) => k.startsWith(prefix));
  assert.equal(order.at(-1), `${prefix}manifest.json`, 'the manifest is the last object written');
  assert.equal(order.length, result.files.length + 1);
});

test('serve --storage s3: CSV (gzip)', async () => {
  const result = await exportJson({ dataset: 'payment_trends', format: 'csv', compression: 'gzip' });
  const dir = path.join(work, 'csv');
  await downloadPrefix(`${EXPORTS}/${result.export_id}/`, dir);
  const csv = path.join(dir, result.files[0].path);
  const n = await assertSameRows('payment_trends', `read_csv('${csv}', header=true)`, sourceRelation('payment_trends'), 'csv');
  assert.equal(n, result.row_count);
});

test('serve --storage s3: a multipart export (more than 8 MiB) leaves no incomplete upload', async () => {
  const parts = s3.front.counts.UploadPart ?? 0;
  const result = await exportJson({ dataset: 'daily_transactions', format: 'parquet', compression: 'uncompressed' });
  assert.ok(result.file_size > 8 << 20, `${result.file_size} B`);
  assert.ok((s3.front.counts.UploadPart ?? 0) - parts >= 2);
  assert.deepEqual(await s3.uploads(), []);
  const stored = await s3.get(`${EXPORTS}/${result.export_id}/daily_transactions.parquet`);
  assert.equal(createHash('sha256').update(stored).digest('hex'), result.files[0].sha256);
});

test('a failed part is retried; a part that keeps failing aborts the upload and leaves nothing', async () => {
  s3.front.faults.failUploadParts = 2;
  const retried = await exportJson({ dataset: 'daily_transactions', format: 'parquet', compression: 'uncompressed' });
  assert.equal(s3.front.faults.failUploadParts, 0, 'the injected failures were met');
  const stored = await s3.get(`${EXPORTS}/${retried.export_id}/daily_transactions.parquet`);
  assert.equal(createHash('sha256').update(stored).digest('hex'), retried.files[0].sha256);

  s3.front.faults.failUploadParts = 1000;
  const res = await api(server.url, 'POST', '/export', { key, body: { dataset: 'daily_transactions', format: 'parquet', compression: 'uncompressed', async: true } });
  assert.equal(res.status, 202);
  const failed = await waitFor(res.json.export_id, ['failed', 'succeeded']);
  s3.front.faults.failUploadParts = 0;
  assert.equal(failed.status, 'failed');
  assert.match(failed.error.message, /UploadPart/);
  assert.deepEqual(await s3.uploads(), [], 'the upload was aborted');
  assert.deepEqual(await s3.keys(`${EXPORTS}/${res.json.export_id}/`), [], 'no object of the failed export');
});

test('the CLI aborts its own upload when a part keeps failing (no service to clean up after it)', async () => {
  s3.front.faults.failUploadParts = 1000;
  const r = await cliAsync(['export', '--dataset', 'daily_transactions', '--warehouse', `sqlite:${db}`, '--compression', 'uncompressed',
    '--out', `s3://${s3.bucket}/cli/failing`], s3.env);
  s3.front.faults.failUploadParts = 0;
  assert.equal(r.status, 1);
  assert.match(r.stderr, /UploadPart 1 of cli\/failing\/daily_transactions.parquet: InternalError/);
  assert.deepEqual(await s3.uploads('cli/failing/'), [], 'the upload was aborted');
  assert.deepEqual(await s3.keys('cli/failing/'), []);
});

test('a cancelled export aborts its upload', async () => {
  s3.front.faults.failUploadParts = 1000;  // holds the export in its retries while it is cancelled
  const res = await api(server.url, 'POST', '/export', { key, body: { dataset: 'daily_transactions', format: 'parquet', compression: 'uncompressed', async: true } });
  for (let i = 0; i < 200 && !(s3.front.counts.CreateMultipartUpload && (await s3.uploads(`${EXPORTS}/${res.json.export_id}/`)).length); ++i) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal((await s3.uploads(`${EXPORTS}/${res.json.export_id}/`)).length, 1, 'an upload is under way');
  assert.equal((await api(server.url, 'DELETE', `/exports/${res.json.export_id}`, { key })).status, 200);
  const ended = await waitFor(res.json.export_id, ['cancelled', 'failed', 'succeeded']);
  s3.front.faults.failUploadParts = 0;
  assert.notEqual(ended.status, 'succeeded');
  assert.deepEqual(await s3.uploads(), []);
  assert.deepEqual(await s3.keys(`${EXPORTS}/${res.json.export_id}/`), []);
});

test('DELETE /exports/{id} removes its objects', async () => {
  const result = await exportJson({ dataset: 'store_rankings', format: 'parquet', partition_by: 'region' });
  const prefix = `${EXPORTS}/${result.export_id}/`;
  assert.equal((await s3.keys(prefix)).length, result.files.length + 1);
  const del = await api(server.url, 'DELETE', `/exports/${result.export_id}`, { key });
  assert.equal(del.status, 200);
  assert.equal(del.json.status, 'deleted');
  assert.deepEqual(await s3.keys(prefix), []);
  assert.equal((await fetch(result.signed_url)).status, 404, 'its link finds nothing');
});

test('/health reports the storage; a missing bucket or refused credentials stop the start', async () => {
  const health = await api(server.url, 'GET', '/health');
  assert.equal(health.status, 200, server.log().split('\n').filter((l) => l.startsWith('health')).join('\n'));
  assert.equal(health.json.storage, 'reachable');
  for (const [env, message] of [
    [{ ...s3.env, SCOUT_STORAGE: 's3://no-such-bucket' }, /storage s3:\/\/no-such-bucket: the bucket .* does not exist/],
    [{ ...s3.env, SCOUT_STORAGE: `s3://${s3.bucket}`, AWS_SECRET_ACCESS_KEY: 'wrong' }, /refused the credentials/],
    [{ ...s3.env, SCOUT_STORAGE: 'gs://elsewhere' }, /is not s3:\/\/BUCKET/],
    [{ ...s3.env, SCOUT_STORAGE: `s3://${s3.bucket}`, SCOUT_URL_TTL_SECONDS: '604801' }, /longer than S3's presigned URLs live/],
  ]) {
    const r = await cliAsync(['serve', '--port', '0', '--data-dir', path.join(work, 'other')], env);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, message);
  }
});
