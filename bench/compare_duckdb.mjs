// Our writer against DuckDB's on the same rows, at the same thread count (issues "Parquet
// writer engine", item 4, and "Use every core").
//
//   node bench/compare_duckdb.mjs DIR OURS.jsonl [TEXT.jsonl]
//
// DIR holds our files as <codec>.parquet (scout-bench writer --threads N --keep DIR --json >
// OURS.jsonl). DuckDB loads our uncompressed file into an in-memory table (untimed), checks that
// it reads every one of our files back to the same values, then, with SET threads = N (ours'),
// times only COPY t TO ... (FORMAT parquet, COMPRESSION <codec>) for each codec, in wall-clock
// and CPU time, and prints both writers side by side with the targets:
//   speed:  our rows/s >= 1.5 x DuckDB's with snappy and zstd at 1 thread, >= 1.2 x at more
//   size:   our file no larger than DuckDB's at the same codec
//   memory: our peak RSS under 256 MiB (the target is stated for 20 million rows)
// A codec that our run wrote with fewer rows than the uncompressed one (brotli, at quality 11
// about 10,000 rows/s for both writers; run-writer-bench.sh's BENCH_BROTLI_ROWS) DuckDB writes
// from the same first rows, so both files hold the same rows (marked *). A codec that our run
// repeated (scout-bench writer --repeat N) DuckDB runs N times too, and both medians are compared.
// Exit code: 0 every target met, 1 a target missed, 2 the comparison could not run.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The interop suite's copy (scripts/setup.sh --tests installs it); no second install.
const { DuckDBInstance } = createRequire(path.join(root, 'tests/interop/package.json'))('@duckdb/node-api');

const SPEED_TARGET_ONE_THREAD = 1.5;
const SPEED_TARGET_MANY_THREADS = 1.2;
const MEMORY_TARGET_MIB = 256;
const MEMORY_TARGET_ROWS = 20_000_000;
// Our codec name -> DuckDB's COMPRESSION option and the codec parquet_metadata reports.
// DuckDB 1.5 takes both 'lz4' and 'lz4_raw' and writes LZ4_RAW (codec 7) for either.
const CODECS = {
  uncompressed: { duckdb: 'uncompressed', footer: 'UNCOMPRESSED' },
  snappy: { duckdb: 'snappy', footer: 'SNAPPY' },
  gzip: { duckdb: 'gzip', footer: 'GZIP' },
  lz4: { duckdb: 'lz4_raw', footer: 'LZ4_RAW' },
  brotli: { duckdb: 'brotli', footer: 'BROTLI' },
  zstd: { duckdb: 'zstd', footer: 'ZSTD' },
};
const SPEED_CODECS = new Set(['snappy', 'zstd']);

function fail(message) {
  console.error(`compare_duckdb: ${message}`);
  process.exit(2);
}

// The lower middle of an even count, as scout-bench writer takes it.
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const sql = (s) => `'${String(s).replaceAll("'", "''")}'`;
const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function readOurs(file) {
  const runs = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  if (runs.length === 0) fail(`${file} holds no runs`);
  const byCodec = new Map(runs.map((r) => [r.codec, r]));
  if (!byCodec.has('uncompressed')) fail(`${file} has no uncompressed run: DuckDB loads the rows from it`);
  for (const codec of byCodec.keys()) if (!CODECS[codec]) fail(`unknown codec '${codec}' in ${file}`);
  return byCodec;
}

async function one(conn, query) {
  const reader = await conn.runAndReadAll(query);
  return reader.getRowObjectsJson()[0];
}

// Row count and one hash sum per column: equal fingerprints mean DuckDB read the same values.
async function fingerprint(conn, from) {
  return JSON.stringify(await one(conn, `SELECT count(*)::BIGINT AS n, sum(hash(COLUMNS(*)))::VARCHAR FROM ${from}`));
}

async function footerCodecs(conn, file) {
  const reader = await conn.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata(${sql(file)})`);
  return reader.getRows().map((r) => String(r[0])).join(',');
}

const [dir, oursFile] = process.argv.slice(2);
if (!dir || !oursFile) fail('usage: node bench/compare_duckdb.mjs DIR OURS.jsonl [TEXT.jsonl]');
const ours = readOurs(oursFile);
const rows = ours.get('uncompressed').rows;
const threads = ours.get('uncompressed').threads ?? 1;
for (const [codec, run] of ours) {
  if ((run.threads ?? 1) !== threads) fail(`the ${codec} run used ${run.threads} threads, the uncompressed one ${threads}`);
}
const SPEED_TARGET = threads === 1 ? SPEED_TARGET_ONE_THREAD : SPEED_TARGET_MANY_THREADS;
for (const [codec, run] of ours) {
  if (!(run.rows > 0 && run.rows <= rows)) fail(`the ${codec} run wrote ${run.rows} rows; expected 1 to ${rows}, the uncompressed run's`);
}

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const version = (await one(conn, 'SELECT version() AS v')).v;

// Untimed: load our rows, check them, check DuckDB reads every one of our files the same.
const source = path.join(dir, 'uncompressed.parquet');
await conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${sql(source)})`);
const sanity = await one(conn, `SELECT count(*)::BIGINT AS n,
    count(*) FILTER (WHERE round(cash_amount + gcash_amount + maya_amount + card_amount - total_revenue, 2) <> 0)::BIGINT AS bad_splits,
    count(*) FILTER (WHERE unique_customers IS NULL)::BIGINT AS null_customers,
    count(DISTINCT transaction_date)::BIGINT AS days FROM t`);
if (Number(sanity.n) !== rows) fail(`DuckDB reads ${sanity.n} rows from ${source}, the run wrote ${rows}`);
if (Number(sanity.bad_splits) !== 0) fail(`${sanity.bad_splits} rows whose payment splits do not sum to total_revenue`);
// A run of fewer rows wrote the first rows of the longer one (daily_transactions_rows.h).
const firstRows = (n) => (n < rows ? `(SELECT * FROM t LIMIT ${n})` : 't');
const expectedByRows = new Map();
for (const [codec, run] of ours) {
  const file = path.join(dir, `${codec}.parquet`);
  const got = await fingerprint(conn, `read_parquet(${sql(file)})`);
  if (!expectedByRows.has(run.rows)) expectedByRows.set(run.rows, await fingerprint(conn, firstRows(run.rows)));
  const expected = expectedByRows.get(run.rows);
  if (got !== expected) fail(`DuckDB reads different values from ${file} than from ${source}:\n  ${got}\n  ${expected}`);
  const codecs = await footerCodecs(conn, file);
  if (codecs !== CODECS[codec].footer) fail(`${file} is compressed with ${codecs}, expected ${CODECS[codec].footer}`);
}

await conn.run(`SET threads = ${threads}`);
await conn.run('SET preserve_insertion_order = true');

const results = [];
for (const [codec, mine] of ours) {
  const sample = mine.rows;
  const out = path.join(dir, `duckdb-${codec}.parquet`);
  const from = firstRows(sample);
  // As many runs as ours had (scout-bench writer --repeat), each timed alone; the median counts.
  const runs = [];
  for (let i = 0; i < (mine.repeats ?? 1); ++i) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await conn.run(`COPY ${from} TO ${sql(out)} (FORMAT parquet, COMPRESSION ${CODECS[codec].duckdb})`);
    const cpu = process.cpuUsage(cpu0);
    runs.push({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  }
  const seconds = median(runs.map((r) => r.seconds));
  const cpuSeconds = median(runs.map((r) => r.cpuSeconds));
  const written = await footerCodecs(conn, out);
  if (written !== CODECS[codec].footer) fail(`DuckDB wrote ${written} for COMPRESSION ${CODECS[codec].duckdb}`);
  const duckBytes = statSync(out).size;
  rmSync(out);
  const oursRate = mine.rows / mine.seconds;
  const duckRate = sample / seconds;
  // Rows per CPU-second: what each writer costs whatever else the machine runs.
  const cpuRatio = mine.cpu_seconds ? (mine.rows / mine.cpu_seconds) / (sample / cpuSeconds) : NaN;
  const busy = (mine.cpu_seconds ?? mine.seconds) < 0.9 * mine.seconds || cpuSeconds < 0.9 * seconds;
  const r = {
    codec, rows: sample, ours_rows_per_s: oursRate, duckdb_rows_per_s: duckRate, speed_ratio: oursRate / duckRate,
    ours_seconds: mine.seconds, ours_cpu_seconds: mine.cpu_seconds, duckdb_seconds: seconds, duckdb_cpu_seconds: cpuSeconds,
    cpu_speed_ratio: cpuRatio, busy,
    ours_bytes: mine.bytes, duckdb_bytes: duckBytes, size_ratio: mine.bytes / duckBytes,
    peak_rss_mib: mine.peak_rss_mib, repeats: mine.repeats ?? 1, checks: [],
  };
  if (SPEED_CODECS.has(codec)) r.checks.push(['speed', r.speed_ratio >= SPEED_TARGET]);
  r.checks.push(['size', r.size_ratio <= 1]);
  r.checks.push(['memory', r.peak_rss_mib < MEMORY_TARGET_MIB]);
  results.push(r);
}

// The report.
const [load1] = os.loadavg();
console.log(`${fmt(rows)} rows shaped like daily_transactions (${sanity.days} days, ` +
  `${fmt((100 * Number(sanity.null_customers)) / rows, 1)}% NULL unique_customers)`);
console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, load ${load1.toFixed(2)}; ` +
  `${new Date().toISOString()}`);
console.log(`ours with ${threads} encoding thread${threads === 1 ? '' : 's'}; DuckDB ${version} (@duckdb/node-api), SET threads = ${threads}, COPY from an in-memory table\n`);
const header = ['codec', 'ours rows/s', 'DuckDB rows/s', 'speed', 'CPU speed', 'our bytes', 'DuckDB bytes', 'size', 'our peak MiB', 'targets'];
const table = results.map((r) => [
  r.codec,
  fmt(r.ours_rows_per_s),
  fmt(r.duckdb_rows_per_s) + (r.rows < rows ? '*' : ''),
  `${fmt(r.speed_ratio, 2)}x${r.busy ? '!' : ''}`,
  Number.isNaN(r.cpu_speed_ratio) ? '-' : `${fmt(r.cpu_speed_ratio, 2)}x`,
  fmt(r.ours_bytes),
  fmt(r.duckdb_bytes),
  fmt(r.size_ratio, 3),
  fmt(r.peak_rss_mib, 1),
  r.checks.map(([name, ok]) => `${name} ${ok ? 'PASS' : 'FAIL'}`).join(', '),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
// scout-bench writer puts the level it used on the line of each codec that takes one.
const ourLevels = [...ours.entries()].filter(([, r]) => r.compression_level !== undefined)
  .map(([c, r]) => `${c} ${r.compression_level}`).join(', ');
console.log(line(header));
for (const row of table) console.log(line(row));
console.log(`
speed = our rows/s / DuckDB's at ${threads} thread${threads === 1 ? '' : 's'} each, wall clock (target >= ${SPEED_TARGET}x with snappy and zstd); CPU speed = the same
per CPU-second (user + system), which other load on the machine does not skew; size = our bytes / DuckDB's
(target <= 1); memory: our peak RSS < ${MEMORY_TARGET_MIB} MiB (the target is stated for ${fmt(MEMORY_TARGET_ROWS)} rows${rows < MEMORY_TARGET_ROWS ? '; this run has fewer, so it proves less' : ''}).
Levels: ours ${ourLevels}; DuckDB gzip (miniz) 6, zstd 3, brotli 11.`);
const repeated = results.filter((r) => r.repeats > 1);
if (repeated.length > 0) {
  console.log(`Times are the median of ${repeated.map((r) => `${r.repeats} runs`).filter((v, i, a) => a.indexOf(v) === i).join(' / ')} ` +
    `of each writer for ${repeated.map((r) => r.codec).join(', ')}; one run for the others.`);
}
if (results.some((r) => r.busy)) {
  console.log('! a writer got under 90% of a CPU while timed: the machine was busy, so the wall-clock speed is\n' +
    '  skewed by other work; run again on a quiet machine, and read CPU speed meanwhile.');
}
for (const r of results.filter((r) => r.rows < rows)) {
  console.log(`* ${r.codec}: both writers wrote the first ${fmt(r.rows)} rows (run-writer-bench.sh: BENCH_BROTLI_ROWS), ` +
    `and their sizes compare as they are; its memory figure is for those rows.`);
}
// CSV and JSON (scout-bench writer --format csv|json into the same DIR, their runs in TEXT.jsonl):
// DuckDB's COPY ... (FORMAT csv|json) of the same rows at the same thread count. No target: the
// ratio, whatever it is, and each of our files read back by DuckDB to the same row count.
const TEXT_CODECS = { none: 'none', gzip: 'gzip', zstd: 'zstd' };
const textFile = process.argv[4];
if (textFile) {
  const textRuns = readFileSync(textFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const textResults = [];
  for (const run of textRuns) {
    if (!TEXT_CODECS[run.codec]) continue;  // DuckDB writes text with these stream codecs only
    if (run.rows !== rows) fail(`the ${run.format} ${run.codec} run wrote ${run.rows} rows, the parquet runs ${rows}`);
    const ext = run.format === 'csv' ? 'csv' : 'json';
    const suffix = { none: '', gzip: '.gz', zstd: '.zst' }[run.codec];
    const mine = path.join(dir, `${run.codec}.${ext}${suffix}`);
    const reader = run.format === 'csv' ? 'read_csv' : 'read_json';
    const back = await one(conn, `SELECT count(*)::BIGINT AS n FROM ${reader}(${sql(mine)})`);
    if (Number(back.n) !== rows) fail(`DuckDB reads ${back.n} rows from ${mine}, the run wrote ${rows}`);
    const out = path.join(dir, `duckdb-${run.codec}.${ext}${suffix}`);
    const times = [];
    for (let i = 0; i < (run.repeats ?? 1); ++i) {
      const t0 = performance.now();
      await conn.run(`COPY t TO ${sql(out)} (FORMAT ${ext}, COMPRESSION ${TEXT_CODECS[run.codec]})`);
      times.push((performance.now() - t0) / 1000);
    }
    const duckBytes = statSync(out).size;
    rmSync(out);
    const seconds = median(times);
    textResults.push([`${run.format} ${run.codec}`, fmt(rows / run.seconds), fmt(rows / seconds),
      `${fmt(seconds / run.seconds, 2)}x`, fmt(run.bytes), fmt(duckBytes), fmt(run.peak_rss_mib, 1)]);
  }
  const header = ['format', 'ours rows/s', 'DuckDB rows/s', 'speed', 'our bytes', 'DuckDB bytes', 'our peak MiB'];
  const widths = header.map((h, i) => Math.max(h.length, ...textResults.map((row) => row[i].length)));
  const pad = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\nCSV and JSON (newline-delimited), ${threads} thread${threads === 1 ? '' : 's'} each; DuckDB COPY (FORMAT csv|json):`);
  console.log(pad(header));
  for (const row of textResults) console.log(pad(row));
}

const missed = results.flatMap((r) => r.checks.filter(([, ok]) => !ok).map(([name]) => `${r.codec} ${name}`));
console.log(missed.length === 0 ? '\nall targets met' : `\ntargets missed: ${missed.join(', ')}`);
if (process.env.BENCH_RESULTS_JSON) {
  const { appendFileSync } = await import('node:fs');
  appendFileSync(process.env.BENCH_RESULTS_JSON, results.map((r) => JSON.stringify({ ...r, threads, checks: Object.fromEntries(r.checks) })).join('\n') + '\n');
}
process.exitCode = missed.length === 0 ? 0 : 1;
