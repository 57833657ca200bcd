// The export service as the guide's users call it (issue "The export service"): the guide's
// curl, Python and HTTP flows, jobs, estimates, signed downloads, access control, refusals,
// a burst of concurrent requests, and a crash in the middle of an export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { api, cliOk, createKey, q, removeDir, scalar, sqlite, startServer, tempDir } from './harness.mjs';

const PREFIX = '/functions/v1/export-parquet';
const JWT_SECRET = 'test-jwt-secret-with-enough-entropy-0123456789';
let work, dataDir, db, server, admin, analyst, ncr, viewer;

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function jwt(claims, secret = JWT_SECRET) {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
// The classic forgery: "alg": "none" and no signature at all.
const unsignedJwt = (claims) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;

before(async () => {
  work = tempDir();
  dataDir = path.join(work, 'data');
  db = path.join(dataDir, 'warehouse.db');
  cliOk(['demo', '--warehouse', `sqlite:${db}`, '--scale', '0.1', '--until', '2025-03-31']);
  admin = createKey(dataDir, 'admin');
  analyst = createKey(dataDir, 'analytics_export');
  ncr = createKey(dataDir, 'authenticated', 'NCR');
  viewer = createKey(dataDir, 'viewer');
  server = await startServer({ dataDir, env: { SCOUT_JWT_SECRET: JWT_SECRET } });
});

after(async () => {
  await server?.stop();
  removeDir(work);
});

const audit = () => readFileSync(path.join(dataDir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

// GET /exports/{id} until `until(status)` holds or 200 tries have passed; the last answer.
async function pollJob(base, id, key, until, everyMs = 50) {
  let status;
  for (let i = 0; i < 200; ++i) {
    status = await api(base, 'GET', `/exports/${id}`, { key });
    if (until(status)) break;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return status;
}
const finished = (status) => ['succeeded', 'failed'].includes(status.json.status);

async function download(url, file) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `download ${url}`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

test("the guide's curl export and download work against our server", async () => {
  const body = JSON.stringify({ dataset: 'daily_transactions', format: 'parquet',
    date_range: { start: '2025-01-01', end: '2025-01-31' }, compression: 'snappy' });
  const out = execFileSync('curl', ['-s', '-X', 'POST', `${server.url}${PREFIX}/export`,
    '-H', `Authorization: Bearer ${analyst}`, '-H', 'Content-Type: application/json', '-d', body], { encoding: 'utf8' });
  const result = JSON.parse(out);
  for (const field of ['export_id', 'file_path', 'file_size', 'row_count', 'schema', 'compression', 'created_at', 'signed_url',
    'format', 'files', 'expires_at', 'duration_ms']) assert.ok(field in result, `response has ${field}`);
  assert.equal(result.compression, 'snappy');
  assert.equal(Object.keys(result.schema).length, 11);
  const expiresIn = (Date.parse(result.expires_at) - Date.now()) / 1000;
  assert.ok(expiresIn > 3500 && expiresIn <= 3600, `signed URLs live one hour (${expiresIn}s)`);
  const file = path.join(work, 'daily_transactions.parquet');
  execFileSync('curl', ['-s', '-o', file, result.signed_url]);
  const source = sqlite(db, "SELECT count(*) AS n, round(sum(total_revenue), 2) AS rev, sum(unique_customers) AS uc FROM daily_transactions WHERE transaction_date BETWEEN '2025-01-01' AND '2025-01-31'")[0];
  const got = (await q(`SELECT count(*)::INT AS n, round(sum(total_revenue), 2)::DOUBLE AS rev, sum(unique_customers)::BIGINT AS uc FROM '${file}'`))[0];
  assert.equal(got.n, source.n);
  assert.equal(result.row_count, source.n);
  assert.equal(got.rev, source.rev);
  assert.equal(Number(got.uc), source.uc);
  const sha = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  assert.equal(sha, result.files[0].sha256);
});

test("the guide's Python requests flow runs as written", () => {
  const script = `
import requests
import json

API_URL = "${server.url}${PREFIX}"
API_KEY = "${analyst}"

headers = {
    "Authorization": f"Bearer {API_KEY}",
    "Content-Type": "application/json"
}

# Request export
export_request = {
    "dataset": "store_features",
    "format": "parquet",
    "compression": "snappy"
}

response = requests.post(f"{API_URL}/export", 
                        headers=headers, 
                        json=export_request)

if response.ok:
    result = response.json()
    print(f"Export ID: {result['export_id']}")
    print(f"File size: {result['file_size']} bytes")
    print(f"Rows: {result['row_count']}")
    
    # Download file
    file_response = requests.get(result['signed_url'])
    with open('store_features.parquet', 'wb') as f:
        f.write(file_response.content)
    
    print("Download complete!")
else:
    print(f"Export failed: {response.text}")
`;
  const dir = path.join(work, 'python');
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(path.join(dir, 'guide.py'), script);
  const out = execFileSync('python3', ['guide.py'], { cwd: dir, encoding: 'utf8' });
  assert.match(out, /Export ID: [0-9a-f-]{36}/);
  assert.match(out, /Download complete!/);
  const rows = Number(/Rows: (\d+)/.exec(out)[1]);
  assert.equal(rows, sqlite(db, 'SELECT count(*) AS n FROM store_features')[0].n);
  return q(`SELECT count(*)::INT AS n FROM '${path.join(dir, 'store_features.parquet')}'`).then((r) => assert.equal(r[0].n, rows));
});

test('GET /health, GET /datasets, OpenAPI and metrics answer as documented', async () => {
  const health = await api(server.url, 'GET', `${PREFIX}/health`);
  assert.equal(health.status, 200);
  assert.equal(health.json.status, 'healthy');
  assert.equal(health.json.parquet_support, true);
  assert.equal(health.json.available_datasets, 6);
  assert.ok(!Number.isNaN(Date.parse(health.json.timestamp)));
  const ds = await api(server.url, 'GET', '/datasets', { key: analyst });
  assert.equal(ds.status, 200);
  const daily = ds.json.datasets.find((d) => d.name === 'daily_transactions');
  assert.deepEqual([daily.table, daily.partition_column, daily.columns], ['scout_gold.daily_transactions', 'transaction_date', 11]);
  assert.equal(daily.schema.transaction_date, 'date');
  assert.equal((await api(server.url, 'GET', '/datasets')).status, 401);
  const openapi = await api(server.url, 'GET', '/openapi.json');
  assert.equal(openapi.json.openapi, '3.0.3');
  for (const p of ['/export', '/datasets', '/health', '/exports/{id}', '/estimate', '/download/{key}']) assert.ok(openapi.json.paths[p], p);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /scout_http_requests_total\{route="\/export",status="200"\} \d+/);
  assert.match(metrics, /scout_export_duration_seconds_count \d+/);
});

test('partitioned, async, cancel, delete and estimate', async () => {
  const part = await api(server.url, 'POST', '/export', { key: admin, body: { dataset: 'store_rankings', partition_by: 'region', format: 'csv', compression: 'gzip' } });
  assert.equal(part.status, 200, part.text);
  assert.ok(part.json.files.length >= 10);
  let total = 0;
  for (const f of part.json.files) {
    assert.match(f.file_path, /store_rankings\/region=[^/]+\/part-00000\.csv\.gz$/);
    const local = await download(f.signed_url, path.join(work, `part-${total}.csv.gz`));
    const r = await q(`SELECT count(*)::INT AS n, count(DISTINCT region)::INT AS regions, min(region) AS region FROM read_csv('${local}', header=true)`);
    assert.equal(r[0].n, f.rows);
    assert.equal(r[0].regions, 1);
    assert.equal(r[0].region, f.partition.region);
    total += r[0].n;
  }
  assert.equal(total, sqlite(db, 'SELECT count(*) AS n FROM store_rankings')[0].n);

  const started = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'ml_predictions', async: true } });
  assert.equal(started.status, 202);
  let status = await pollJob(server.url, started.json.export_id, analyst, finished);
  assert.equal(status.json.status, 'succeeded', status.text);
  assert.equal(status.json.progress.percent, 100);
  assert.equal(status.json.result.row_count, sqlite(db, 'SELECT count(*) AS n FROM ml_predictions')[0].n);
  // Another key may not see it.
  assert.equal((await api(server.url, 'GET', `/exports/${started.json.export_id}`, { key: ncr })).status, 404);
  // Delete removes its files; the link stops working.
  const url = status.json.result.signed_url;
  assert.equal((await fetch(url)).status, 200);
  const del = await api(server.url, 'DELETE', `/exports/${started.json.export_id}`, { key: analyst });
  assert.equal(del.json.status, 'deleted');
  assert.equal((await fetch(url)).status, 404);

  // Cancel an export while it runs (a big JSON export of every prediction).
  const slow = await api(server.url, 'POST', '/export', { key: admin, body: { dataset: 'ml_predictions', format: 'json', compression: 'brotli', async: true } });
  const cancel = await api(server.url, 'DELETE', `/exports/${slow.json.export_id}`, { key: admin });
  assert.ok(['cancelling', 'cancelled', 'deleted'].includes(cancel.json.status), cancel.text);
  status = await pollJob(server.url, slow.json.export_id, admin,
    (s) => s.status === 404 || ['cancelled', 'succeeded'].includes(s.json.status));
  if (status.status === 200 && status.json.status === 'cancelled') {
    assert.equal(existsSync(path.join(dataDir, 'exports', slow.json.export_id)), false, 'a cancelled export leaves no files');
  }

  const estimate = await api(server.url, 'POST', '/estimate', { key: analyst, body: { dataset: 'daily_transactions', date_range: { start: '2025-01-01', end: '2025-01-31' } } });
  assert.equal(estimate.status, 200);
  assert.equal(estimate.json.estimated_rows, sqlite(db, "SELECT count(*) AS n FROM daily_transactions WHERE transaction_date BETWEEN '2025-01-01' AND '2025-01-31'")[0].n);
  assert.ok(estimate.json.estimated_bytes > 0);
});

// Spark before 3.3 cannot read DELTA_BINARY_PACKED with its vectorized reader, so exports write
// only PLAIN and dictionary pages unless asked for v2, as DuckDB's and parquet-mr's writers do.
test('parquet_version: v1 by default writes only encodings every reader takes; v2 adds DELTA where smaller', async () => {
  const source = sqlite(db, 'SELECT count(*) AS n, sum(transaction_count) AS tc, CAST(round(sum(total_amount) * 100) AS INTEGER) AS cents FROM payment_trends')[0];
  const encodings = {};
  for (const version of [undefined, 'v1', 'v2']) {
    const r = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'payment_trends', parquet_version: version } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.parquet_version, version ?? 'v1');
    const file = await download(r.json.signed_url, path.join(work, `payment_trends-${version}.parquet`));
    const got = (await q(`SELECT count(*)::INT AS n, sum(transaction_count)::BIGINT AS tc, (sum(total_amount) * 100)::BIGINT AS cents FROM '${file}'`))[0];
    assert.deepEqual([got.n, Number(got.tc), Number(got.cents)], [source.n, source.tc, source.cents], `${version}: the same values`);
    const used = await q(`SELECT DISTINCT unnest(string_split(encodings, ', ')) AS e FROM parquet_metadata('${file}') ORDER BY e`);
    encodings[version ?? 'default'] = used.map((x) => x.e);
  }
  for (const version of ['default', 'v1']) {
    assert.deepEqual(encodings[version].filter((e) => !['PLAIN', 'RLE', 'RLE_DICTIONARY', 'PLAIN_DICTIONARY'].includes(e)), [],
      `${version}: ${encodings[version]}`);
  }
  assert.ok(encodings.v2.includes('DELTA_BINARY_PACKED'), `v2: ${encodings.v2}`);

  let r = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'payment_trends', parquet_version: '2' } });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /^parquet_version '2' is not known; choose v1 \(the default: PLAIN and dictionary pages only, .*\) or v2 \(also DELTA_BINARY_PACKED /);
  r = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'payment_trends', format: 'csv', parquet_version: 'v2' } });
  assert.deepEqual([r.status, r.json.error.message], [400, 'parquet_version applies to format parquet only']);
  r = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'payment_trends', format: 'csv' } });
  assert.deepEqual([r.status, r.json.parquet_version], [200, null]);

  // The asynchronous path and the job's status carry it too.
  const started = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'payment_trends', parquet_version: 'v2', async: true } });
  assert.equal(started.status, 202, started.text);
  const status = await pollJob(server.url, started.json.export_id, analyst, finished);
  assert.equal(status.json.status, 'succeeded', status.text);
  assert.equal(status.json.result.parquet_version, 'v2');
});

test('credentials: missing, wrong, expired and out-of-policy are refused and audited', async () => {
  const body = { dataset: 'daily_transactions', limit: 10 };
  const cases = [
    [{}, 401, /missing Authorization/],
    [{ key: 'sk_scout_wrong' }, 401, /invalid API key/],
    [{ key: jwt({ role: 'analytics_export', exp: Math.floor(Date.now() / 1000) - 60 }) }, 401, /expired/],
    [{ key: jwt({ role: 'analytics_export', exp: Math.floor(Date.now() / 1000) + 60 }).slice(0, -3) + 'AAA' }, 401, /invalid JWT/],
    [{ key: unsignedJwt({ role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 }) }, 401, /invalid JWT/],
    [{ key: jwt({ role: 'admin', exp: Math.floor(Date.now() / 1000) + 60 }, 'some-other-projects-secret-0123456789') }, 401, /invalid JWT/],
    [{ key: viewer }, 403, /role 'viewer' may not export dataset 'daily_transactions'/],
    [{ key: ncr, body: { dataset: 'hourly_patterns' } }, 403, /may not export dataset 'hourly_patterns'/],
  ];
  for (const [opts, status, message] of cases) {
    const r = await api(server.url, 'POST', '/export', { key: opts.key, body: opts.body ?? body });
    assert.equal(r.status, status, r.text);
    assert.match(r.json.error.message, message);
  }
  // A valid JWT works, with its region claim applied.
  const token = jwt({ role: 'authenticated', region: 'NCR', exp: Math.floor(Date.now() / 1000) + 600, sub: 'user-1' });
  const viaJwt = await api(server.url, 'POST', '/export', { key: token, body: { dataset: 'store_rankings' } });
  assert.equal(viaJwt.status, 200, viaJwt.text);
  // Keys made and revoked while the service runs count at once.
  const fresh = createKey(dataDir, 'analytics_export');
  assert.equal((await api(server.url, 'GET', '/datasets', { key: fresh })).status, 200);
  const id = cliOk(['keys', 'list', '--data-dir', dataDir]).stdout.trim().split('\n').pop().split(/\s+/)[0];
  cliOk(['keys', 'revoke', id, '--data-dir', dataDir]);
  assert.equal((await api(server.url, 'GET', '/datasets', { key: fresh })).status, 401);
  const events = audit();
  assert.ok(events.filter((e) => e.event === 'auth_refused').length >= 4);
  assert.ok(events.some((e) => e.event === 'export_refused' && e.role === 'viewer'));
});

test('a region-scoped key gets only its region rows', async () => {
  for (const dataset of ['store_rankings', 'daily_transactions']) {
    const r = await api(server.url, 'POST', '/export', { key: ncr, body: { dataset } });
    assert.equal(r.status, 200, r.text);
    const file = await download(r.json.signed_url, path.join(work, `ncr-${dataset}.parquet`));
    const expected = sqlite(db, dataset === 'store_rankings'
      ? "SELECT count(*) AS n FROM store_rankings WHERE region = 'NCR'"
      : "SELECT count(*) AS n FROM daily_transactions WHERE store_id IN (SELECT store_id FROM stores WHERE region = 'NCR')")[0].n;
    assert.equal(Number(await scalar(`SELECT count(*) FROM '${file}'`)), expected);
    if (dataset === 'store_rankings') assert.deepEqual(await q(`SELECT DISTINCT region FROM '${file}'`), [{ region: 'NCR' }]);
  }
});

test('signed URLs: tampered, expired and path-escaping links are refused', async () => {
  const r = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'payment_trends', format: 'json' } });
  const url = new URL(r.json.signed_url);
  const bad = [];
  const tampered = new URL(url); tampered.searchParams.set('signature', url.searchParams.get('signature').replace(/.$/, (c) => (c === '0' ? '1' : '0')));
  bad.push([tampered, 403]);
  const longer = new URL(url); longer.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
  bad.push([longer, 403]);
  const other = new URL(url); other.pathname = other.pathname.replace('payment_trends.json', 'manifest.json');
  bad.push([other, 403]);
  for (const [u, status] of bad) assert.equal((await fetch(u)).status, status, String(u));
  for (const escape of ['/download/..%2Fkeys.json', '/download/x/..%2F..%2Fkeys.json', '/download/%2Fetc%2Fpasswd', '/download/../audit.log']) {
    const res = await fetch(`${server.url}${escape}?${url.searchParams}`);
    assert.ok([403, 404].includes(res.status), `${escape}: ${res.status}`);
    const text = await res.text();
    assert.ok(!text.includes('sk_scout') && !text.includes('root:'), `${escape} leaked a file`);
  }
  // Range requests and ETags on a good link.
  const part = await fetch(url, { headers: { Range: 'bytes=0-9' } });
  assert.equal(part.status, 206);
  assert.equal((await part.arrayBuffer()).byteLength, 10);
  const etag = part.headers.get('etag');
  assert.equal((await fetch(url, { headers: { 'If-None-Match': etag } })).status, 304);
  // A short-lived server proves expiry: its links die after a second.
  const shortDir = path.join(work, 'short');
  cliOk(['demo', '--warehouse', `sqlite:${path.join(shortDir, 'warehouse.db')}`, '--scale', '0.01', '--until', '2024-02-01']);
  const key = createKey(shortDir, 'admin');
  const short = await startServer({ dataDir: shortDir, env: { SCOUT_URL_TTL_SECONDS: '1' } });
  try {
    const e = await api(short.url, 'POST', '/export', { key, body: { dataset: 'hourly_patterns' } });
    assert.equal((await fetch(e.json.signed_url)).status, 200);
    await new Promise((res) => setTimeout(res, 2200));
    const expired = await api(short.url, 'GET', new URL(e.json.signed_url).pathname + new URL(e.json.signed_url).search);
    assert.equal(expired.status, 403);
    assert.match(expired.json.error.message, /expired/);
  } finally {
    await short.stop();
  }
  assert.ok(audit().some((e) => e.event === 'download_refused'));
});

test('bad bodies and SQL in every string field are refused with clear messages', async () => {
  const post = (body, key = analyst) => api(server.url, 'POST', '/export', { key, body });
  let r = await post('{"dataset": ');
  assert.deepEqual([r.status, r.json.error.message], [400, 'Request body is not valid JSON']);
  r = await post('[1,2]');
  assert.equal(r.status, 400);
  r = await post({ dataset: 'daily_transactions', limit: '10' });
  assert.deepEqual([r.status, r.json.error.message], [400, "Field 'limit' must be a whole number of rows"]);
  r = await post({ dataset: 'daily_transactions', date_range: '2025-01' });
  assert.equal(r.status, 400);
  r = await post({ dataset: 'daily_transactions', colour: 'red' });
  assert.match(r.json.error.message, /Unknown field 'colour'; valid fields: dataset, format/);
  r = await post({ dataset: 'x'.repeat(100000) });
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'payload_too_large');
  r = await post({ dataset: 'invalid_dataset', format: 'parquet' });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /^Invalid dataset 'invalid_dataset'\. Available datasets:/);
  const sql = "x'; DROP TABLE daily_transactions; --";
  for (const [field, body, message] of [
    ['dataset', { dataset: sql }, /Invalid dataset/],
    ['format', { dataset: 'daily_transactions', format: sql }, /unknown format/],
    ['compression', { dataset: 'daily_transactions', compression: sql }, /unknown compression/],
    ['partition_by', { dataset: 'daily_transactions', partition_by: sql }, /Invalid partition_by/],
    ['date_range.start', { dataset: 'daily_transactions', date_range: { start: sql } }, /Invalid date_range\.start/],
    ['date_range.end', { dataset: 'daily_transactions', date_range: { end: `2025-01-01' OR '1'='1` } }, /Invalid date_range\.end/],
    ['columns', { dataset: 'daily_transactions', columns: [sql] }, /Unknown column/],
    ['parquet_version', { dataset: 'daily_transactions', parquet_version: sql }, /^parquet_version '.*' is not known; choose v1/],
  ]) {
    r = await post(body);
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.match(r.json.error.message, message, field);
  }
  assert.ok(sqlite(db, 'SELECT count(*) AS n FROM daily_transactions')[0].n > 0, 'the table is still there');
  assert.ok(audit().some((e) => e.event === 'export_refused' && e.request?.dataset === sql));
});

test('200 concurrent mixed requests: nothing fails but by the 429 it was told to expect', async () => {
  const first = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'hourly_patterns' } });
  const expectedRows = sqlite(db, "SELECT count(*) AS n FROM payment_trends WHERE transaction_date >= '2025-01-01'")[0].n;
  const started = Date.now();
  const jobs = Array.from({ length: 200 }, (_, i) => {
    if (i % 4 === 0) return api(server.url, 'GET', '/health').then((r) => ({ kind: 'health', r }));
    if (i % 4 === 1) return fetch(first.json.signed_url).then(async (res) => ({ kind: 'download', r: { status: res.status, bytes: (await res.arrayBuffer()).byteLength } }));
    return api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'payment_trends', date_range: { start: '2025-01-01' }, format: i % 3 ? 'parquet' : 'csv' } })
      .then((r) => ({ kind: 'export', r }));
  });
  const results = await Promise.all(jobs);
  const seconds = (Date.now() - started) / 1000;
  const tally = {};
  for (const { kind, r } of results) {
    tally[`${kind} ${r.status}`] = (tally[`${kind} ${r.status}`] ?? 0) + 1;
    if (kind === 'export' && r.status === 429) {
      assert.equal(r.headers.get('retry-after'), '5');
      continue;
    }
    assert.equal(r.status, 200, `${kind}: ${r.text ?? ''}`);
    if (kind === 'download') assert.equal(r.bytes, first.json.file_size);
    if (kind === 'export') assert.equal(r.json.row_count, expectedRows);
  }
  // Every finished export is complete and correct: spot-check files from several of them.
  const finished = results.filter((x) => x.kind === 'export' && x.r.status === 200).slice(0, 5);
  for (const [i, { r }] of finished.entries()) {
    const file = await download(r.json.signed_url, path.join(work, `load-${i}${r.json.format === 'csv' ? '.csv' : '.parquet'}`));
    const reader = r.json.format === 'csv' ? `read_csv('${file}', header=true)` : `'${file}'`;
    assert.equal(Number(await scalar(`SELECT count(*) FROM ${reader}`)), expectedRows);
  }
  console.log(`# load: 200 requests in ${seconds.toFixed(2)} s: ${JSON.stringify(tally)}`);
});

test('killing the server mid-export leaves no partial file, marks the job failed, keeps earlier exports', async () => {
  // Its own server over a bigger warehouse (1,000 stores), so the export is surely mid-way.
  const killDir = path.join(work, 'kill');
  cliOk(['demo', '--warehouse', `sqlite:${path.join(killDir, 'warehouse.db')}`, '--scale', '2', '--until', '2025-03-31']);
  const key = createKey(killDir, 'admin');
  let srv = await startServer({ dataDir: killDir });
  try {
    const earlier = await api(srv.url, 'POST', '/export', { key, body: { dataset: 'payment_trends' } });
    assert.equal(earlier.status, 200);
    const running = await api(srv.url, 'POST', '/export', { key, body: { dataset: 'ml_predictions', format: 'json', compression: 'brotli', async: true } });
    const seen = await pollJob(srv.url, running.json.export_id, key,
      (s) => s.json.status === 'running' && s.json.progress.rows_written > 0, 10);
    assert.equal(seen.json.status, 'running', 'the export was caught mid-way');
    await srv.kill();
    srv = await startServer({ dataDir: killDir });
    const after = await api(srv.url, 'GET', `/exports/${running.json.export_id}`, { key });
    assert.equal(after.status, 200);
    assert.equal(after.json.status, 'failed');
    assert.match(after.json.error.message, /server stopped/);
    assert.equal(existsSync(path.join(killDir, 'exports', running.json.export_id)), false, 'no partial files');
    const leftovers = [];
    const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.name.startsWith('.scout-staging') || e.name.endsWith('.tmp')) leftovers.push(p); if (e.isDirectory()) walk(p); } };
    walk(path.join(killDir, 'exports'));
    assert.deepEqual(leftovers, []);
    // The earlier export's link, signed before the crash, still downloads the same bytes.
    const res = await fetch(earlier.json.signed_url.replace(/^http:\/\/[^/]+/, srv.url));
    assert.equal(res.status, 200);
    assert.equal((await res.arrayBuffer()).byteLength, earlier.json.file_size);
  } finally {
    await srv.stop();
  }
});
