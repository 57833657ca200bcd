// The export pipeline end to end (issue "The export pipeline"): SQLite and PostgreSQL give the
// same rows in every format; the guide's DuckDB queries answer as the source does; PostgreSQL's
// RLS refuses other regions by itself; bad input is refused and leaves nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, copyFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { bin, cli, cliOk, tempDir, removeDir, sqlite, psql, q, scalar, pgUrl, assertSameRows } from './harness.mjs';

let work, sqliteUrl, sqliteDb;
const catalog = JSON.parse(cliOk(['datasets', '--json']).stdout).datasets;
const datasets = catalog.map((d) => d.name);

before(() => {
  assert.ok(pgUrl, 'SCOUT_TEST_PG_URL must name a PostgreSQL server (scripts/test.sh starts one)');
  work = tempDir();
  sqliteDb = path.join(work, 'warehouse.db');
  sqliteUrl = `sqlite:${sqliteDb}`;
  // A small, fixed demo in both warehouses: 25 stores, 2024-01-01 .. 2025-03-31.
  cliOk(['demo', '--warehouse', sqliteUrl, '--scale', '0.05', '--until', '2025-03-31']);
  cliOk(['demo', '--warehouse', pgUrl, '--scale', '0.05', '--until', '2025-03-31']);
});

after(() => removeDir(work));

function exportTo(warehouse, dataset, out, extra = []) {
  return JSON.parse(cliOk(['export', '--dataset', dataset, '--warehouse', warehouse, '--out', out, '--json', ...extra]).stdout);
}

function filesOf(dir, ext) {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

// All rows of an export's files as one DuckDB relation.
function relation(dir, format, compression) {
  const ext = format === 'parquet' ? '.parquet' : `.${format}${compression === 'gzip' ? '.gz' : compression === 'zstd' ? '.zst' : ''}`;
  const files = filesOf(dir, ext).map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
  assert.ok(files.length > 0, `no ${ext} files in ${dir}`);
  if (format === 'parquet') return `read_parquet([${files}], hive_partitioning=false, union_by_name=true)`;
  if (format === 'csv') return `read_csv([${files}], header=true, union_by_name=true)`;
  return `read_json([${files}], format='newline_delimited', union_by_name=true)`;
}

const variants = [
  { name: 'parquet-snappy', format: 'parquet', compression: 'snappy', args: [] },
  { name: 'csv-gzip-range', format: 'csv', compression: 'gzip', args: ['--format', 'csv', '--compression', 'gzip', '--from', '2025-01-01', '--to', '2025-01-31'] },
  { name: 'json-zstd-limit', format: 'json', compression: 'zstd', args: ['--format', 'json', '--compression', 'zstd', '--limit', '777'] },
  { name: 'parquet-zstd-partitioned', format: 'parquet', compression: 'zstd', args: ['--compression', 'zstd', '--partition-by', 'PARTITION', '--from', '2025-02-01'] },
  { name: 'parquet-brotli-capped', format: 'parquet', compression: 'brotli', args: ['--compression', 'brotli', '--max-file-size', '65536'] },
  { name: 'csv-lz4-partitioned', format: 'csv', compression: 'lz4', args: ['--format', 'csv', '--compression', 'lz4', '--partition-by', 'PARTITION', '--limit', '500'] },
];

for (const dataset of datasets) {
  test(`${dataset}: SQLite and PostgreSQL exports hold the same rows in every format`, async () => {
    const partition = catalog.find((d) => d.name === dataset).partition_column;
    for (const v of variants) {
      if (v.compression === 'lz4' && v.format === 'csv') continue;  // DuckDB reads no LZ4 frames
      const args = v.args.map((a) => (a === 'PARTITION' ? partition : a));
      const a = path.join(work, `${dataset}-${v.name}-sqlite`), b = path.join(work, `${dataset}-${v.name}-pg`);
      const ra = exportTo(sqliteUrl, dataset, a, args), rb = exportTo(pgUrl, dataset, b, args);
      assert.equal(ra.row_count, rb.row_count, `${dataset} ${v.name}: row_count`);
      assert.ok(ra.row_count > 0, `${dataset} ${v.name}: exported no rows`);
      const n = await assertSameRows(dataset, relation(a, v.format, v.compression), relation(b, v.format, v.compression), `${dataset} ${v.name}`);
      assert.equal(n, ra.row_count, `${dataset} ${v.name}: files hold row_count rows`);
      if (args.includes('--partition-by')) {
        for (const f of ra.files) {
          const value = f.partition[partition];
          assert.ok(f.path.includes(`/${partition}=`), `${f.path} is Hive-style`);
          const distinct = await q(`SELECT DISTINCT CAST("${partition}" AS VARCHAR) AS v FROM ${relation(path.dirname(path.join(a, f.path)), v.format, v.compression)}`);
          assert.deepEqual(distinct.map((r) => r.v.slice(0, 10)), [value.slice(0, 10)], `${f.path} holds only its partition`);
        }
      }
      if (args.includes('--max-file-size') && ra.file_size > 2 * 65536) {
        assert.ok(ra.files.length > 1, `${dataset}: the size cap started new files`);
        assert.ok(ra.files.every((f) => f.path.includes('/part-')), 'capped files are numbered parts');
      }
    }
  });
}

test('every exported value equals the SQLite source, read back by DuckDB', async () => {
  for (const dataset of datasets) {
    const out = path.join(work, `${dataset}-vs-source`);
    exportTo(sqliteUrl, dataset, out, []);
    // The source as sqlite3 prints it, loaded into DuckDB with the catalog's types.
    const csv = path.join(work, `${dataset}-source.csv`);
    const rows = sqlite(sqliteDb, `SELECT count(*) AS n FROM "${dataset}"`)[0].n;
    const { execFileSync } = await import('node:child_process');
    execFileSync('sh', ['-c', `sqlite3 -csv -header '${sqliteDb}' 'SELECT * FROM "${dataset}"' > '${csv}'`]);
    const n = await assertSameRows(dataset, relation(out, 'parquet'), `read_csv('${csv}', header=true, all_varchar=true)`, `${dataset} vs source`);
    assert.equal(n, rows);
  }
});

test('a compression level changes the bytes, never the rows', async () => {
  const base = exportTo(sqliteUrl, 'daily_transactions', path.join(work, 'level-default'), ['--compression', 'zstd']);
  for (const [format, compression, level] of [['parquet', 'zstd', '19'], ['parquet', 'gzip', '1'], ['csv', 'zstd', '-5']]) {
    const out = path.join(work, `level-${format}-${compression}${level}`);
    const r = exportTo(sqliteUrl, 'daily_transactions', out, ['--format', format, '--compression', compression, '--compression-level', level]);
    assert.equal(r.row_count, base.row_count);
    await assertSameRows('daily_transactions', relation(out, format, compression), relation(path.join(work, 'level-default'), 'parquet'), `${format} ${compression} level ${level}`);
    if (format === 'parquet' && compression === 'zstd') assert.ok(r.file_size < base.file_size, `level 19 (${r.file_size} B) should beat level 1 (${base.file_size} B)`);
  }
});

test('the thread count changes no byte of an export, partitioned or not, in any format', () => {
  const sha = (dir, ext) => filesOf(dir, ext).filter((f) => path.basename(f) !== 'manifest.json').sort().map((f) => [path.relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex')]);
  for (const [format, compression, ext, extra] of [['parquet', 'zstd', '.parquet', []], ['parquet', 'snappy', '.parquet', ['--partition-by', 'transaction_date']],
    ['csv', 'gzip', '.csv.gz', []], ['json', 'none', '.json', []]]) {
    const runs = ['1', '2', '5'].map((threads) => {
      const out = path.join(work, `threads-${format}-${compression}-${extra.length}-${threads}`);
      const r = exportTo(sqliteUrl, 'daily_transactions', out, ['--format', format, '--compression', compression, '--threads', threads, ...extra]);
      assert.ok(r.row_count > 10000, `${r.row_count} rows are too few to be encoded in parallel`);
      return sha(out, ext);
    });
    assert.ok(runs[0].length > 0);
    assert.deepEqual(runs[1], runs[0], `${format} ${compression} ${extra.join(' ')}: 2 threads`);
    assert.deepEqual(runs[2], runs[0], `${format} ${compression} ${extra.join(' ')}: 5 threads`);
  }
  const refused = cli(['export', '--dataset', 'daily_transactions', '--warehouse', sqliteUrl, '--out', path.join(work, 'threads-0'), '--threads', '0']);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /threads/);
});

test("the guide's DuckDB queries give the source's answers", async () => {
  const dir = path.join(work, 'guide');
  for (const d of ['daily_transactions', 'store_rankings', 'store_features']) {
    exportTo(sqliteUrl, d, path.join(dir, d), []);
  }
  const file = (d) => path.join(dir, d, `${d}.parquet`);
  // Query 1, as the guide writes it (file names point at our export).
  const daily = await q(`
    SELECT transaction_date, COUNT(*) as num_stores, SUM(total_revenue) as daily_revenue,
           AVG(avg_transaction_value) as avg_ticket_size
    FROM '${file('daily_transactions')}'
    WHERE transaction_date >= '2025-01-01'
    GROUP BY transaction_date ORDER BY transaction_date`);
  const dailySrc = sqlite(sqliteDb, `
    SELECT transaction_date, COUNT(*) AS num_stores, SUM(total_revenue) AS daily_revenue,
           AVG(avg_transaction_value) AS avg_ticket_size
    FROM daily_transactions WHERE transaction_date >= '2025-01-01'
    GROUP BY transaction_date ORDER BY transaction_date`);
  assert.equal(daily.length, dailySrc.length);
  assert.ok(daily.length >= 90);
  daily.forEach((r, i) => {
    assert.equal(r.transaction_date, dailySrc[i].transaction_date);
    assert.equal(Number(r.num_stores), dailySrc[i].num_stores);
    assert.ok(Math.abs(r.daily_revenue - dailySrc[i].daily_revenue) < 1e-6 * Math.abs(dailySrc[i].daily_revenue));
    assert.ok(Math.abs(r.avg_ticket_size - dailySrc[i].avg_ticket_size) < 1e-9 * Math.abs(dailySrc[i].avg_ticket_size));
  });
  // Query 2: the join of rankings and features.
  const joined = await q(`
    SELECT sr.region, sr.performance_tier, COUNT(*) as store_count, AVG(sf.growth_potential_score) as avg_growth_score
    FROM '${file('store_rankings')}' sr
    JOIN '${file('store_features')}' sf ON sr.store_id = sf.store_id
    GROUP BY sr.region, sr.performance_tier
    ORDER BY avg_growth_score DESC, sr.region, sr.performance_tier`);
  const joinedSrc = sqlite(sqliteDb, `
    SELECT sr.region, sr.performance_tier, COUNT(*) AS store_count, AVG(sf.growth_potential_score) AS avg_growth_score
    FROM store_rankings sr JOIN store_features sf ON sr.store_id = sf.store_id
    GROUP BY sr.region, sr.performance_tier
    ORDER BY avg_growth_score DESC, sr.region, sr.performance_tier`);
  assert.equal(joined.length, joinedSrc.length);
  joined.forEach((r, i) => {
    assert.equal(r.region, joinedSrc[i].region);
    assert.equal(r.performance_tier, joinedSrc[i].performance_tier);
    assert.equal(Number(r.store_count), joinedSrc[i].store_count);
    assert.ok(Math.abs(r.avg_growth_score - joinedSrc[i].avg_growth_score) < 1e-9 * r.avg_growth_score);
  });
});

test("PostgreSQL's row-level security alone keeps a region's key to its rows", async () => {
  const region = 'NCR';
  for (const dataset of ['store_rankings', 'daily_transactions', 'store_features', 'ml_predictions']) {
    const pgOut = path.join(work, `${dataset}-rls-pg`), liteOut = path.join(work, `${dataset}-rls-sqlite`);
    const pg = exportTo(pgUrl, dataset, pgOut, ['--region', region, '--no-service-filter']);
    const lite = exportTo(sqliteUrl, dataset, liteOut, ['--region', region, '--no-service-filter']);
    const all = Number(sqlite(sqliteDb, `SELECT count(*) AS n FROM "${dataset}"`)[0].n);
    const spec = catalog.find((d) => d.name === dataset);
    const mine = Number(sqlite(sqliteDb, spec.schema.region
      ? `SELECT count(*) AS n FROM "${dataset}" WHERE region = '${region}'`
      : `SELECT count(*) AS n FROM "${dataset}" WHERE store_id IN (SELECT store_id FROM stores WHERE region = '${region}')`)[0].n);
    // With the service's filter off, SQLite (which has no RLS) gives everything...
    assert.equal(lite.row_count, all, `${dataset}: the service filter was really off`);
    // ...while PostgreSQL gives only the region's rows: the database refused the others.
    assert.ok(mine > 0 && mine < all);
    assert.equal(pg.row_count, mine, `${dataset}: RLS let through ${pg.row_count} rows, the region has ${mine}`);
  }
  // A role with no policy gets nothing at all from the database.
  const none = psql(pgUrl, `BEGIN; SET LOCAL ROLE authenticated; SELECT set_config('request.jwt.claims', '{"role":"viewer"}', true); SELECT count(*) FROM scout_gold.daily_transactions; ROLLBACK;`);
  assert.match(none, /\n0$/);
});

function assertRefused(args, pattern, out) {
  const r = cli(['export', ...args, '--out', out]);
  assert.notEqual(r.status, 0, `${args.join(' ')} should fail`);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.includes('Segmentation') || r.stderr.includes('Aborted'), false);
  if (existsSync(out)) assert.deepEqual(readdirSync(out), [], `${out} must stay empty`);
}

test('bad input is refused with a clear message and leaves nothing behind', () => {
  const out = path.join(work, 'refused');
  const w = ['--warehouse', sqliteUrl];
  assertRefused(['--dataset', 'nope', ...w], /Invalid dataset 'nope'\. Available datasets: daily_transactions, store_rankings/, out);
  assertRefused(['--dataset', 'daily_transactions', '--columns', 'store_id,bogus', ...w], /Unknown column 'bogus' in dataset 'daily_transactions'\. Available columns: transaction_date/, out);
  assertRefused(['--dataset', 'daily_transactions', '--from', '2025-02-01', '--to', '2025-01-01', ...w], /start 2025-02-01 is after end 2025-01-01/, out);
  assertRefused(['--dataset', 'daily_transactions', '--from', '2025-13-01', ...w], /Invalid date_range\.start '2025-13-01'/, out);
  assertRefused(['--dataset', 'daily_transactions', '--to', '31/01/2025', ...w], /Invalid date_range\.end '31\/01\/2025'/, out);
  assertRefused(['--dataset', 'daily_transactions', '--limit', '-5', ...w], /Invalid limit -5/, out);
  assertRefused(['--dataset', 'daily_transactions', '--partition-by', 'colour', ...w], /Invalid partition_by 'colour'.*Available columns/, out);
  assertRefused(['--dataset', 'daily_transactions', '--format', 'xlsx', ...w], /unknown format 'xlsx'; choose one of: parquet, csv, json/, out);
  assertRefused(['--dataset', 'daily_transactions', '--format', 'csv', '--compression', 'snappy', ...w], /not available for csv; choose one of: none, gzip, zstd, brotli, lz4/, out);
  assertRefused(['--dataset', 'daily_transactions', '--compression', 'zip', ...w], /unknown compression 'zip'.*snappy, gzip, lz4, brotli, zstd/, out);
  assertRefused(['--dataset', 'daily_transactions', '--compression', 'zstd', '--compression-level', '30', ...w], /compression_level 30 is out of range for zstd; choose 1 to 22/, out);
  assertRefused(['--dataset', 'daily_transactions', '--compression-level', '3', ...w], /compression 'snappy' takes no compression_level; gzip, zstd, brotli and lz4 do/, out);
  // An output folder that cannot be written.
  const r = cli(['export', '--dataset', 'hourly_patterns', ...w, '--out', '/proc/scout-cannot-write']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /cannot create output folder '\/proc\/scout-cannot-write'/);
});

test('a source whose schema differs from the catalog is refused, naming dataset and column', () => {
  const db = path.join(work, 'drifted.db');
  copyFileSync(sqliteDb, db);
  // The same table, but its hour column declared TEXT.
  sqlite(db, `ALTER TABLE hourly_patterns RENAME TO hp_old;
    CREATE TABLE hourly_patterns (transaction_date DATE NOT NULL, hour TEXT NOT NULL, transaction_count INTEGER NOT NULL,
      total_revenue DOUBLE NOT NULL, avg_basket_size DOUBLE, is_peak_hour BOOLEAN NOT NULL);
    INSERT INTO hourly_patterns SELECT * FROM hp_old;`);
  const out = path.join(work, 'drifted-out');
  assertRefused(['--dataset', 'hourly_patterns', '--warehouse', `sqlite:${db}`], /schema validation failed for dataset 'hourly_patterns': column 'hour' expected int16, found string/, out);
});

test('the database going away mid-export fails the export and leaves nothing', async () => {
  // A bigger warehouse (1,000 stores), so the export is still streaming when its backend dies.
  cliOk(['demo', '--warehouse', pgUrl, '--scale', '2', '--until', '2025-03-31']);
  const out = path.join(work, 'killed');
  const child = spawn(bin,
    ['export', '--dataset', 'ml_predictions', '--warehouse', pgUrl, '--out', out, '--format', 'csv', '--compression', 'gzip'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const exit = new Promise((resolve) => child.on('exit', resolve));
  let killed = 0;
  for (let i = 0; i < 400 && child.exitCode === null; ++i) {
    const n = psql(pgUrl.replace('scout:scout', 'postgres:postgres'), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'scout-export' AND state = 'active'");
    killed += Number(n);
    if (killed) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const code = await exit;
  assert.ok(killed > 0, 'the export backend was found and terminated');
  assert.notEqual(code, 0, 'the export failed');
  assert.match(stderr, /connection|terminat/i);
  if (existsSync(out)) assert.deepEqual(readdirSync(out), [], 'nothing left behind');
});
