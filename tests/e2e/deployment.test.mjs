// The service over PostgreSQL, a burst from a real load tool (wrk), and the guide's smoke test
// against a server started by the README's run command.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { api, cliOk, createKey, pgUrl, q, removeDir, root, scalar, sqlite, startServer, tempDir } from './harness.mjs';

const work = tempDir('scout-deploy-');
after(() => removeDir(work));

test('the service over PostgreSQL: exports match the warehouse, a region key gets only what RLS allows', async () => {
  assert.ok(pgUrl, 'SCOUT_TEST_PG_URL must name a PostgreSQL server (scripts/test.sh starts one)');
  cliOk(['demo', '--warehouse', pgUrl, '--scale', '0.05', '--until', '2025-03-31']);
  const dataDir = path.join(work, 'pg');
  const analyst = createKey(dataDir, 'analytics_export');
  const ncr = createKey(dataDir, 'authenticated', 'NCR');
  const server = await startServer({ dataDir, warehouse: pgUrl });
  const psql = (sql) => execFileSync('psql', [pgUrl.replace('scout:scout', 'postgres:postgres'), '-qAt', '-c', sql], { encoding: 'utf8' }).trim();
  try {
    const health = await api(server.url, 'GET', '/health');
    assert.equal(health.json.status, 'healthy');
    const r = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'payment_trends', format: 'csv', date_range: { start: '2025-02-01', end: '2025-02-28' } } });
    assert.equal(r.status, 200, r.text);
    const file = path.join(work, 'pt.csv');
    execFileSync('curl', ['-s', '-o', file, r.json.signed_url]);
    const got = (await q(`SELECT count(*)::INT AS n, sum(total_amount)::VARCHAR AS s FROM read_csv('${file}', header=true, types={'total_amount': 'DECIMAL(14,2)'})`))[0];
    const [n, s] = psql("SELECT count(*) || '|' || sum(total_amount) FROM scout_gold.payment_trends WHERE transaction_date BETWEEN '2025-02-01' AND '2025-02-28'").split('|');
    assert.deepEqual([got.n, got.s], [Number(n), s]);
    // The estimate counts what the caller's RLS lets it see.
    const estimate = await api(server.url, 'POST', '/estimate', { key: analyst, body: { dataset: 'payment_trends', date_range: { start: '2025-02-01', end: '2025-02-28' } } });
    assert.equal(estimate.status, 200, estimate.text);
    assert.equal(estimate.json.estimated_rows, Number(n));
    const ncrEstimate = await api(server.url, 'POST', '/estimate', { key: ncr, body: { dataset: 'store_features' } });
    assert.equal(ncrEstimate.json.estimated_rows, Number(psql("SELECT count(*) FROM scout_platinum.store_features WHERE region = 'NCR'")));
    const regional = await api(server.url, 'POST', '/export', { key: ncr, body: { dataset: 'store_features' } });
    assert.equal(regional.status, 200, regional.text);
    const want = Number(psql("SELECT count(*) FROM scout_platinum.store_features WHERE region = 'NCR'"));
    assert.equal(regional.json.row_count, want);
  } finally {
    await server.stop();
  }
});

// A real load tool on loopback: three wrk runs at once, 200 connections in all, of exports
// (through tests/e2e/load/wrk-export.lua), downloads and health checks.
test('wrk: 200 concurrent connections of exports, downloads and health checks; only the announced 429s fail, every finished export is right', async () => {
  const dataDir = path.join(work, 'wrk');
  const db = path.join(dataDir, 'warehouse.db');
  cliOk(['demo', '--warehouse', `sqlite:${db}`, '--scale', '0.05', '--until', '2025-03-31']);
  const key = createKey(dataDir, 'analytics_export');
  const server = await startServer({ dataDir });
  const start = '2025-01-01';
  const expectedRows = sqlite(db, `SELECT count(*) AS n FROM payment_trends WHERE transaction_date >= '${start}'`)[0].n;
  try {
    const first = await api(server.url, 'POST', '/export', { key, body: { dataset: 'hourly_patterns' } });
    assert.equal(first.status, 200, first.text);
    // Asynchronously: a blocked event loop would stop draining the server's log pipe and stall it.
    const wrk = (connections, url, extra = [], env = {}) => promisify(execFile)(
      'wrk', ['-t', '1', '-c', String(connections), '-d', '4s', '--timeout', '30s', ...extra, url],
      { encoding: 'utf8', env: { ...process.env, ...env } }).then(({ stdout }) => stdout);
    const [health, download, exports] = await Promise.all([
      wrk(80, `${server.url}/health`),
      wrk(80, first.json.signed_url),
      wrk(40, `${server.url}/export`, ['-s', path.join(root, 'tests/e2e/load/wrk-export.lua')],
        { SCOUT_KEY: key, SCOUT_BODY_DATASET: 'payment_trends', SCOUT_BODY_START: start }),
    ]);
    const summary = (out) => out.split('\n').filter((l) => /Requests\/sec|requests in|Socket errors|Non-2xx/.test(l)).map((l) => l.trim()).join('; ');
    for (const [name, out] of [['health', health], ['download', download]]) {
      console.log(`# wrk ${name}, 80 connections: ${summary(out)}`);
      assert.doesNotMatch(out, /Non-2xx or 3xx responses/, name);
      assert.doesNotMatch(out, /Socket errors/, name);
      assert.ok(Number(/(\d+) requests in/.exec(out)[1]) > 100, `${name}: ${out}`);
    }
    const result = JSON.parse(/WRK_RESULT (.*)/.exec(exports)[1]);
    console.log(`# wrk export, 40 connections: ${summary(exports)}; by status ${JSON.stringify(result.statuses)}`);
    assert.doesNotMatch(exports, /Socket errors/);
    assert.deepEqual(Object.keys(result.statuses).filter((s) => s !== '200' && s !== '429'), [], 'only 200 and 429');
    assert.equal(result.missing_retry_after, 0, 'every 429 says when to retry');
    assert.ok(result.ids.length > 0 && result.ids.length === result.statuses['200']);
    // Every finished export is complete and correct: each job's record, and a sample of its files.
    for (const [i, id] of result.ids.entries()) {
      const job = await api(server.url, 'GET', `/exports/${id}`, { key });
      assert.equal(job.status, 200, job.text);
      assert.equal(job.json.status, 'succeeded');
      const done = job.json.result;
      assert.equal(done.row_count, expectedRows, id);
      if (i % Math.ceil(result.ids.length / 6) !== 0) continue;
      const file = path.join(work, `wrk-${i}.${done.format}`);
      execFileSync('curl', ['-sf', '-o', file, done.signed_url]);
      const reader = done.format === 'csv' ? `read_csv('${file}', header=true)` : `'${file}'`;
      assert.equal(Number(await scalar(`SELECT count(*) FROM ${reader}`)), expectedRows, file);
    }
  } finally {
    await server.stop();
  }
});

test("the guide's smoke test passes against the README's run command", async () => {
  const dataDir = path.join(work, 'run');
  const port = String(18000 + Math.floor(Math.random() * 1000));
  const child = spawn(path.join(root, 'scripts/run.sh'), ['--port', port], { env: { ...process.env, SCOUT_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  try {
    for (let i = 0; i < 3000 && !/listening on/.test(output); ++i) await new Promise((r) => setTimeout(r, 200));
    assert.match(output, /API key: sk_scout_[0-9a-f]+/, output.slice(-2000));
    assert.match(output, /curl -X POST "http:\/\/127\.0\.0\.1:\d+\/functions\/v1\/export-parquet\/export"/);
    const key = /API key: (sk_scout_[0-9a-f]+)/.exec(output)[1];
    const smoke = execFileSync('node', [path.join(root, 'scripts/test-parquet-export.js'), '--url', `http://127.0.0.1:${port}`, '--key', key], { encoding: 'utf8' });
    assert.match(smoke, /6 passed, 0 failed/);
    assert.match(smoke, /VERDICT: .* is working/);
    // The web console is served by the same command, with no step of its own.
    const consolePage = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(consolePage.status, 200);
    assert.match(consolePage.headers.get('content-type'), /^text\/html/);
    assert.match(consolePage.headers.get('content-security-policy'), /script-src 'self'/);
    assert.match(await consolePage.text(), /<label for="api-key">API key<\/label>/);
    assert.match(output, /Web console: http:\/\/127\.0\.0\.1:\d+\//);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
});
