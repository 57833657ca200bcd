// Shared pieces of the end-to-end tests: the built binary, throwaway data folders, a running
// service, DuckDB (from the interop suite's npm install) and the sqlite3 and psql clients.
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const bin = process.env.SCOUT_BIN ?? path.join(root, 'build/src/cli/scout-export');
export const pgUrl = process.env.SCOUT_TEST_PG_URL;

const require = createRequire(path.join(root, 'tests/interop/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

export function tempDir(prefix = 'scout-e2e-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// Runs the CLI; returns { status, stdout, stderr }.
export function cli(args, env = {}) {
  const r = spawnSync(bin, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Runs the CLI without blocking this process's event loop (a server in the test process, such
// as the S3 store of tests/s3, keeps answering); resolves to { status, stdout, stderr }.
export function cliAsync(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function cliOk(args, env = {}) {
  const r = cli(args, env);
  if (r.status !== 0) throw new Error(`scout-export ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

export function sqlite(db, sql) {
  const out = execFileSync('sqlite3', ['-json', db, sql], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return out.trim() ? JSON.parse(out) : [];
}

export function psql(url, sql) {
  return execFileSync('psql', [url, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' }).trim();
}

let duck;
export async function duckdb() {
  if (!duck) {
    const db = await DuckDBInstance.create(':memory:');
    duck = await db.connect();
  }
  return duck;
}

// Rows as JSON objects (BIGINT and DECIMAL come back as strings).
export async function q(sql) {
  const c = await duckdb();
  return (await c.runAndReadAll(sql)).getRowObjectsJson();
}

export async function scalar(sql) {
  const rows = await q(sql);
  return Object.values(rows[0])[0];
}

// The DuckDB reader for an exported file or folder of files.
export function reader(file) {
  const f = file.replaceAll("'", "''");
  if (/\.parquet$/.test(f)) return `read_parquet('${f}', hive_partitioning=false)`;
  if (/\.csv(\.gz|\.zst)?$/.test(f)) return `read_csv('${f}', header=true, auto_detect=true)`;
  if (/\.json(\.gz|\.zst)?$/.test(f)) return `read_json('${f}', format='newline_delimited')`;
  throw new Error(`no reader for ${file}`);
}

let catalogCache;
function catalogDatasets() {
  catalogCache ??= JSON.parse(cliOk(['datasets', '--json']).stdout).datasets;
  return catalogCache;
}

// DuckDB casts that put every format's columns into the catalog's types.
export function typedColumns(dataset) {
  const spec = catalogDatasets().find((d) => d.name === dataset);
  const duckType = (t) => ({ boolean: 'BOOLEAN', int16: 'SMALLINT', int32: 'INTEGER', int64: 'BIGINT', float: 'FLOAT',
    double: 'DOUBLE', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMPTZ', binary: 'BLOB' }[t] ?? t.toUpperCase());
  return Object.entries(spec.schema).map(([c, t]) => `CAST("${c}" AS ${duckType(t)}) AS "${c}"`).join(', ');
}

// The two relations hold the same rows, value by value (EXCEPT ALL both ways); their count.
export async function assertSameRows(dataset, relA, relB, label) {
  const cols = typedColumns(dataset);
  const a = `(SELECT ${cols} FROM ${relA})`, b = `(SELECT ${cols} FROM ${relB})`;
  const [na, nb] = [Number(await scalar(`SELECT count(*) FROM ${a}`)), Number(await scalar(`SELECT count(*) FROM ${b}`))];
  assert.equal(na, nb, `${label}: row counts differ`);
  const onlyA = Number(await scalar(`SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`));
  const onlyB = Number(await scalar(`SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})`));
  assert.equal(onlyA + onlyB, 0, `${label}: ${onlyA} rows only in the first, ${onlyB} only in the second`);
  return na;
}

// Starts `scout-export serve` on a free port; resolves when it listens.
function endChild(child, signal) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill(signal);
  });
}

export async function startServer({ dataDir, warehouse, env = {} } = {}) {
  const args = ['serve', '--port', '0', '--data-dir', dataDir];
  if (warehouse) args.push('--warehouse', warehouse);
  const child = spawn(bin, args, { env: { ...process.env, SCOUT_DATA_DIR: dataDir, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 60000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/[^\s]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${log}`)));
  });
  child.stderr.on('data', (chunk) => { log += chunk; });
  return {
    url,
    child,
    log: () => log,  // what the server wrote to stderr so far
    // Both resolve once the process is gone; a process already gone (exited or killed) is fine.
    stop: () => endChild(child, 'SIGTERM'),
    kill: () => endChild(child, 'SIGKILL'),
  };
}

export function createKey(dataDir, role, region) {
  const args = ['keys', 'create', '--role', role, '--data-dir', dataDir];
  if (region) args.push('--region', region);
  return cliOk(args).stdout.trim().split('\n').pop();
}

export async function api(base, method, route, { key, body, headers = {} } = {}) {
  const h = { ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(base + route, { method, headers: h, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` until it returns something truthy (which is returned), or fails naming `what`.
export async function until(what, check, timeoutMs = 30000, everyMs = 100) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
