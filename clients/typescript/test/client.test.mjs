// The client against a real server: the guide's snippets that use it, run as written apart from
// the URL and key, with the downloaded files checked by DuckDB against the warehouse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createParquetClient, ParquetConfig, ParquetExportError } from '../dist/index.js';
import { cliOk, createKey, q, removeDir, sqlite, startServer, tempDir } from '../../../tests/e2e/harness.mjs';

let work, dataDir, db, server, key, client;

before(async () => {
  work = tempDir('scout-client-');
  dataDir = path.join(work, 'data');
  db = path.join(dataDir, 'warehouse.db');
  // Up to yesterday, so the guide's LAST_30_DAYS finds rows.
  cliOk(['demo', '--warehouse', `sqlite:${db}`, '--scale', '0.05']);
  key = createKey(dataDir, 'analytics_export');
  server = await startServer({ dataDir });
  client = createParquetClient(`${server.url}${ParquetConfig.FUNCTION_PATH}`, key);
});

after(async () => {
  await server?.stop();
  removeDir(work);
});

async function save(blob, name) {
  const file = path.join(work, name);
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  return file;
}

test("Advanced Usage: bulk export of three datasets, then download all files", async () => {
  // Bulk export multiple datasets
  const results = await client.bulkExport([
    ParquetConfig.DATASETS.DAILY_TRANSACTIONS,
    ParquetConfig.DATASETS.STORE_RANKINGS,
    ParquetConfig.DATASETS.STORE_FEATURES
  ], {
    date_range: ParquetConfig.DATE_RANGES.LAST_30_DAYS(),
    compression: ParquetConfig.COMPRESSION.SNAPPY
  });

  // Download all files
  const range = ParquetConfig.DATE_RANGES.LAST_30_DAYS();
  const dateColumn = { daily_transactions: 'transaction_date', store_rankings: 'as_of_date', store_features: 'feature_timestamp' };
  for (const result of results) {
    const blob = await client.downloadFile(result.signed_url);
    console.log(`Downloaded ${result.file_path}: ${result.file_size} bytes`);
    assert.equal(blob.size, result.file_size);
    const file = await save(blob, `${result.dataset}.parquet`);
    const col = dateColumn[result.dataset];
    const expected = sqlite(db, `SELECT count(*) AS n FROM ${result.dataset} WHERE substr(${col}, 1, 10) BETWEEN '${range.start}' AND '${range.end}'`)[0].n;
    const got = (await q(`SELECT count(*)::INT AS n FROM '${file}'`))[0].n;
    assert.equal(got, expected, result.dataset);
    assert.equal(result.row_count, expected);
  }
  assert.ok(results[0].row_count > 0);
});

test('Error Handling: an invalid dataset throws with "Invalid dataset" in its message', async () => {
  const logged = [];
  try {
    const result = await client.requestExport({
      dataset: 'invalid_dataset',
      format: 'parquet'
    });
    assert.fail('no error');
  } catch (error) {
    if (error.message.includes('Invalid dataset')) {
      logged.push('Dataset not found. Available datasets:');
      const datasets = await client.listDatasets();
      datasets.forEach(d => logged.push(`  - ${d.name}`));
    } else {
      throw error;
    }
    assert.ok(error instanceof ParquetExportError);
    assert.equal(error.status, 400);
  }
  assert.equal(logged.length, 7);
  assert.equal(logged[1], '  - daily_transactions');
});

test('Memory Issues: chunked export by date ranges', async () => {
  // Use streaming approach for large exports
  const dateRanges = [
    { start: '2025-01-01', end: '2025-01-07' },
    { start: '2025-01-08', end: '2025-01-14' },
    { start: '2025-01-15', end: '2025-01-21' },
  ];

  for (const range of dateRanges) {
    const result = await client.requestExport({
      dataset: 'daily_transactions',
      date_range: range,
      format: 'parquet'
    });

    console.log(`Exported ${range.start} to ${range.end}: ${result.row_count} rows`);
    const file = await save(await client.downloadFile(result.signed_url), `chunk-${range.start}.parquet`);
    const expected = sqlite(db, `SELECT count(*) AS n, round(sum(total_revenue), 2) AS r FROM daily_transactions WHERE transaction_date BETWEEN '${range.start}' AND '${range.end}'`)[0];
    const got = (await q(`SELECT count(*)::INT AS n, round(sum(total_revenue), 2)::DOUBLE AS r, min(transaction_date)::VARCHAR AS lo, max(transaction_date)::VARCHAR AS hi FROM '${file}'`))[0];
    assert.deepEqual([got.n, got.r, got.lo, got.hi], [expected.n, expected.r, range.start, range.end]);
    await new Promise(resolve => setTimeout(resolve, 10)); // Rate limiting (shortened from the guide's 1 s)
  }
});

test('beyond the guide: async with progress, cancel, partitioned downloads, estimates, health', async () => {
  const id = await client.startExport({ dataset: 'ml_predictions', format: 'csv', compression: 'gzip' });
  const seen = [];
  const done = await client.waitForExport(id, { intervalMs: 20, onProgress: (s) => seen.push(s.status) });
  assert.equal(done.status, 'succeeded');
  assert.equal(done.progress.percent, 100);
  assert.ok(seen.length >= 1);
  assert.equal((await client.cancelExport(id)).status, 'deleted');
  await assert.rejects(client.getExport(id), (e) => e instanceof ParquetExportError && e.status === 404);

  const partitioned = await client.requestExport({ dataset: 'store_rankings', partition_by: 'region' });
  const files = await client.downloadAll(partitioned);
  assert.equal(files.length, partitioned.files.length);
  assert.ok(files.length > 3);
  let rows = 0;
  for (const [i, f] of files.entries()) {
    assert.match(f.path, /^store_rankings\/region=/);
    rows += (await q(`SELECT count(*)::INT AS n FROM '${await save(f.blob, `part-${i}.parquet`)}'`))[0].n;
  }
  assert.equal(rows, sqlite(db, 'SELECT count(*) AS n FROM store_rankings')[0].n);

  const bytes = await client.estimateExportSize('daily_transactions');
  assert.ok(bytes > 0);
  const health = await client.checkHealth();
  assert.equal(health.parquet_support, true);
  const bad = createParquetClient(server.url, 'sk_scout_not_a_key');
  await assert.rejects(bad.checkHealth(), (e) => e.status === 401 && /invalid API key/.test(e.message));
  assert.throws(() => createParquetClient('production', undefined), /No API key/);
});

test("listExports: the caller's own exports, newest first, a page at a time; bad pages are 400s", async () => {
  const mine = createParquetClient(server.url, createKey(dataDir, 'analytics_export'));
  const admin = createParquetClient(server.url, createKey(dataDir, 'admin'));
  await admin.requestExport({ dataset: 'store_rankings', limit: 1 });
  const ids = [];
  for (const limit of [1, 2, 3]) {
    ids.push((await mine.requestExport({ dataset: 'store_rankings', limit, format: 'csv' })).export_id);
    await new Promise((resolve) => setTimeout(resolve, 5));  // distinct creation milliseconds
  }
  const first = await mine.listExports({ limit: 2 });
  assert.deepEqual(first.exports.map((e) => e.export_id), [ids[2], ids[1]]);
  assert.equal(first.exports[0].status, 'succeeded');
  assert.equal(first.exports[0].result.row_count, 3);
  assert.equal(first.exports[0].request.format, 'csv');
  assert.match(first.exports[0].result.files[0].signed_url, /\/download\/.*signature=/);
  assert.equal(typeof first.next_cursor, 'string');
  const second = await mine.listExports({ limit: 2, cursor: first.next_cursor });
  assert.deepEqual(second.exports.map((e) => e.export_id), [ids[0]]);
  assert.equal(second.next_cursor, null);
  // The admin lists its own export only: "your exports", not everyone's.
  const adminList = await admin.listExports();
  assert.equal(adminList.exports.length, 1);
  assert.ok(!adminList.exports.some((e) => ids.includes(e.export_id)));

  await assert.rejects(mine.listExports({ limit: 0 }),
    (e) => e.status === 400 && e.code === 'invalid_request' && e.message === "limit must be a whole number from 1 to 100, got '0'");
  await assert.rejects(mine.listExports({ limit: 101 }), (e) => e.status === 400 && /from 1 to 100/.test(e.message));
  await assert.rejects(mine.listExports({ cursor: 'not-ours' }),
    (e) => e.status === 400 && /cursor is not one this service gave/.test(e.message));
  const anonymous = createParquetClient(server.url, 'sk_scout_not_a_key');
  await assert.rejects(anonymous.listExports(), (e) => e.status === 401);

  const choices = await mine.compressionChoices();
  assert.deepEqual(choices.parquet, ['snappy', 'gzip', 'lz4', 'brotli', 'zstd', 'uncompressed']);
  assert.deepEqual(choices.csv, ['none', 'gzip', 'lz4', 'brotli', 'zstd']);
});
