// The service over PostgreSQL, a burst from a real load tool (wrk), and the guide's smoke test
// against a server started by the README's run command.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { api, cliOk, createKey, pgUrl, q, removeDir, root, startServer, tempDir } from './harness.mjs';

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
    const regional = await api(server.url, 'POST', '/export', { key: ncr, body: { dataset: 'store_features' } });
    assert.equal(regional.status, 200, regional.text);
    const want = Number(psql("SELECT count(*) FROM scout_platinum.store_features WHERE region = 'NCR'"));
    assert.equal(regional.json.row_count, want);
  } finally {
    await server.stop();
  }
});

test('wrk: 200 connections of health checks and downloads, no errors', async () => {
  const dataDir = path.join(work, 'wrk');
  cliOk(['demo', '--warehouse', `sqlite:${path.join(dataDir, 'warehouse.db')}`, '--scale', '0.02', '--until', '2024-06-30']);
  const key = createKey(dataDir, 'admin');
  const server = await startServer({ dataDir });
  try {
    const e = await api(server.url, 'POST', '/export', { key, body: { dataset: 'hourly_patterns' } });
    for (const url of [`${server.url}/health`, e.json.signed_url]) {
      // Asynchronously: a blocked event loop would stop draining the server's log pipe and stall it.
      const { stdout: out } = await promisify(execFile)('wrk', ['-t', '2', '-c', '200', '-d', '3s', '--timeout', '10s', url], { encoding: 'utf8' });
      console.log(`# wrk ${new URL(url).pathname}: ${out.split('\n').filter((l) => /Requests\/sec|requests in|Socket errors|Non-2xx/.test(l)).map((l) => l.trim()).join('; ')}`);
      assert.doesNotMatch(out, /Non-2xx or 3xx responses/);
      const requests = Number(/(\d+) requests in/.exec(out)[1]);
      assert.ok(requests > 200, `wrk completed ${requests} requests`);
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      if (socketErrors) assert.deepEqual(socketErrors.slice(1).map(Number), [0, 0, 0, 0], 'no socket errors');
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
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
});
