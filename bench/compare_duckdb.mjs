// Writes the same rows with DuckDB's COPY ... TO (FORMAT parquet) on one thread and prints our
// writer's figures next to DuckDB's: throughput ratio, size ratio, peak memory, and the targets.
// Usage: node bench/compare_duckdb.mjs DIR OURS.jsonl   (DIR holds our uncompressed.parquet)
import { readFileSync, statSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { DuckDBInstance } = createRequire(path.join(root, 'tests/interop/package.json'))('@duckdb/node-api');

const [dir, oursFile] = process.argv.slice(2);
const ours = Object.fromEntries(readFileSync(oursFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.codec, r]));
const rows = ours.uncompressed?.rows ?? Object.values(ours)[0].rows;

const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${path.join(dir, 'uncompressed.parquet')}')`);
await c.run('SET threads = 1');
await c.run('SET preserve_insertion_order = true');

const duckCodec = { snappy: 'snappy', gzip: 'gzip', zstd: 'zstd', lz4: 'lz4_raw', brotli: 'brotli', uncompressed: 'uncompressed' };
const lines = [];
let failed = 0;
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`${rows.toLocaleString('en-US')} rows shaped like daily_transactions; DuckDB with SET threads = 1\n`);
console.log('codec         ours rows/s   duckdb rows/s   speed   our bytes      duckdb bytes   size   our peak MiB  verdict');
for (const [codec, mine] of Object.entries(ours)) {
  if (!duckCodec[codec]) continue;
  // DuckDB writes brotli at its slowest quality (about 12,000 rows/s here): 20 million rows
  // would take half an hour, so brotli is compared only when asked for.
  if (codec === 'brotli' && !process.env.BENCH_DUCKDB_BROTLI) {
    console.log(`${codec.padEnd(12)} ${fmt(rows / mine.seconds).padStart(12)}   (DuckDB not run; BENCH_DUCKDB_BROTLI=1 runs it)`);
    continue;
  }
  const out = path.join(dir, `duckdb-${codec}.parquet`);
  const t0 = performance.now();
  await c.run(`COPY t TO '${out}' (FORMAT parquet, COMPRESSION ${duckCodec[codec]})`);
  const seconds = (performance.now() - t0) / 1000;
  const duckBytes = statSync(out).size;
  rmSync(out);
  const speed = (rows / mine.seconds) / (rows / seconds);
  const size = mine.bytes / duckBytes;
  const checks = [];
  if (codec === 'snappy' || codec === 'zstd') checks.push(speed >= 1.5 ? 'speed>=1.5x ok' : 'speed<1.5x FAIL');
  checks.push(size <= 1.0 ? 'size<=duckdb ok' : 'size>duckdb FAIL');
  if (rows >= 20_000_000) checks.push(mine.peak_rss_mib < 256 ? 'mem<256MiB ok' : 'mem>=256MiB FAIL');
  if (checks.some((x) => x.endsWith('FAIL'))) failed += 1;
  console.log(`${codec.padEnd(12)} ${fmt(rows / mine.seconds).padStart(12)} ${fmt(rows / seconds).padStart(15)} ${fmt(speed, 2).padStart(6)}x ` +
    `${fmt(mine.bytes).padStart(13)} ${fmt(duckBytes).padStart(16)} ${fmt(size, 3).padStart(6)} ${fmt(mine.peak_rss_mib, 1).padStart(13)}  ${checks.join(', ')}`);
  lines.push({ codec, rows, ours_rows_per_s: rows / mine.seconds, duckdb_rows_per_s: rows / seconds, speed_ratio: speed,
    ours_bytes: mine.bytes, duckdb_bytes: duckBytes, size_ratio: size, peak_rss_mib: mine.peak_rss_mib });
}
console.log(`\n${failed === 0 ? 'all targets met' : `${failed} codec(s) miss a target`}`);
process.exitCode = failed === 0 ? 0 : 1;
