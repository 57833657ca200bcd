// The service against a hostile network (issue "Harden the service"): raw bytes on a socket,
// as an attacker sends them, and what must hold afterwards: the process answers, its memory
// has not grown, its metrics and audit log say only what is true.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { api, cliOk, createKey, q, removeDir, sqlite, startServer, tempDir } from './harness.mjs';

let work, dataDir, server, port, analyst, ncrAnalyst, fileUrl, fileSize;
const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789';
const JWT_SECRET = 'hostile-test-jwt-secret-0123456789abcdef';
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function jwt(claims) {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}
const hourFromNow = () => Math.floor(Date.now() / 1000) + 3600;

before(async () => {
  work = tempDir();
  dataDir = path.join(work, 'data');
  cliOk(['demo', '--warehouse', `sqlite:${path.join(dataDir, 'warehouse.db')}`, '--scale', '0.1', '--until', '2025-03-31']);
  analyst = createKey(dataDir, 'analytics_export');
  ncrAnalyst = createKey(dataDir, 'analytics_export', 'NCR');
  server = await startServer({ dataDir, env: { SCOUT_HEADER_TIMEOUT_SECONDS: '2', SCOUT_MAX_CONNECTIONS: '400', SCOUT_JWT_SECRET: JWT_SECRET } });
  port = Number(new URL(server.url).port);
  const r = await api(server.url, 'POST', '/export', { key: analyst, body: { dataset: 'store_rankings', format: 'parquet' } });
  assert.equal(r.status, 200, r.text);
  fileUrl = r.json.signed_url;
  fileSize = r.json.file_size;
  assert.ok(fileSize > 1000);
});

after(async () => {
  await server?.stop();
  removeDir(work);
});

// Sends `bytes` on a fresh connection and resolves with everything the server sent back
// before it closed (or `waitMs` passed).
function raw(bytes, { waitMs = 5000, targetPort = port } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    const socket = net.connect(targetPort, '127.0.0.1', () => socket.write(bytes));
    const done = () => { socket.destroy(); resolve(Buffer.concat(chunks)); };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve(Buffer.concat(chunks)); });
  });
}

function parseResponse(buf) {
  const text = buf.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  assert.ok(end > 0, `no response head in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  const body = buf.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  return { status: Number(statusLine.split(' ')[1]), headers, body, json: () => JSON.parse(body.toString('utf8')) };
}

const get = (target, headers = '') => raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headers}\r\n`).then(parseResponse);

function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m[1]);
}

async function healthy() {
  const r = await api(server.url, 'GET', '/health');
  assert.equal(r.status, 200);
}

test('1: paths of any bytes get 4xx and the process lives', async () => {
  for (const target of ['/%ff', '/health%e9', '/download/%c0%ae%c0%ae/keys.json', '/%00', '/a%zz', '/\xff\xfe']) {
    const r = parseResponse(await raw(Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1')));
    assert.ok(r.status >= 400 && r.status < 500, `${target}: ${r.status}`);
    assert.equal(typeof r.json().error.code, 'string');
  }
  // Bytes that are not UTF-8 in headers and the query too.
  const h = parseResponse(await raw(Buffer.from('GET /datasets?x=%ff HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\nConnection: close\r\n\r\n', 'latin1')));
  assert.equal(h.status, 401);
  await healthy();
});

test('2: a chunked body past the limit is refused while read, and memory stays', async () => {
  const before = rssKiB(server.child.pid);
  const answer = await new Promise((resolve) => {
    const chunks = [];
    const socket = net.connect(port, '127.0.0.1');
    const piece = Buffer.alloc(1 << 20, 'x');
    let sent = 0;
    let closed = false;
    let sentWhenAnswered;
    const pump = () => {
      while (!closed && sentWhenAnswered === undefined && sent < 64) {
        sent++;
        if (!socket.write(`${piece.length.toString(16)}\r\n`) || !socket.write(piece) || !socket.write('\r\n')) {
          return socket.once('drain', pump);
        }
      }
      if (!closed && sentWhenAnswered === undefined) socket.end('0\r\n\r\n');
    };
    socket.on('connect', () => {
      socket.write('POST /export HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      pump();
    });
    socket.on('data', (c) => { sentWhenAnswered ??= sent; chunks.push(c); });
    socket.on('error', () => {});
    socket.on('close', () => { closed = true; resolve({ buf: Buffer.concat(chunks), sent: sentWhenAnswered ?? sent }); });
  });
  const r = parseResponse(answer.buf);
  assert.equal(r.status, 413);
  assert.equal(r.json().error.code, 'payload_too_large');
  assert.ok(answer.sent < 64, `the server answered only after all ${answer.sent} MiB`);
  const grown = rssKiB(server.child.pid) - before;
  assert.ok(grown < 16 * 1024, `RSS grew by ${grown} KiB`);
  await healthy();
});

test('3: Range is clamped, refused when unsatisfiable, and never amplifies', async () => {
  const u = new URL(fileUrl);
  const target = u.pathname + u.search;
  let r = await get(target, 'Range: bytes=0-1048575\r\n');
  assert.equal(r.status, 206);
  assert.equal(r.headers['content-length'], String(fileSize));
  assert.equal(r.headers['content-range'], `bytes 0-${fileSize - 1}/${fileSize}`);
  assert.equal(r.body.length, fileSize);
  for (const range of [`bytes=${fileSize + 1000}-${fileSize + 2000}`, `bytes=${fileSize}-`, 'bytes=-0', 'bytes=9223372036854775807-', 'bytes=100-50']) {
    r = await get(target, `Range: ${range}\r\n`);
    assert.equal(r.status, 416, range);
    assert.equal(r.headers['content-range'], `bytes */${fileSize}`, range);
    assert.equal(r.json().error.code, 'range_not_satisfiable', range);
  }
  r = await get(target, `Range: bytes=${Array(50).fill('0-').join(',')}\r\n`);
  assert.ok([200, 206].includes(r.status));
  assert.equal(r.body.length, fileSize);
  assert.equal(Number(r.headers['content-length']), fileSize);
  r = await get(target, 'Range: bytes=10-19\r\n');
  assert.equal(r.status, 206);
  assert.equal(r.body.length, 10);
  const whole = Buffer.from(await (await fetch(fileUrl)).arrayBuffer());
  assert.deepEqual(r.body, whole.subarray(10, 20));
});

test('4: a region claim restricts whatever the role', async () => {
  const r = await api(server.url, 'POST', '/export', { key: ncrAnalyst, body: { dataset: 'store_rankings', format: 'parquet' } });
  assert.equal(r.status, 200, r.text);
  const db = path.join(dataDir, 'warehouse.db');
  const [{ n: ncrRows }] = sqlite(db, "SELECT count(*) AS n FROM store_rankings WHERE region = 'NCR'");
  const [{ n: allRows }] = sqlite(db, 'SELECT count(*) AS n FROM store_rankings');
  assert.ok(ncrRows > 0 && ncrRows < allRows);
  assert.equal(r.json.row_count, ncrRows);
  const file = path.join(work, 'ncr.parquet');
  writeFileSync(file, Buffer.from(await (await fetch(r.json.signed_url)).arrayBuffer()));
  const regions = await q(`SELECT DISTINCT region FROM read_parquet('${file}')`);
  assert.deepEqual(regions, [{ region: 'NCR' }]);
});

test('5: JWTs without sub do not share exports', async () => {
  const mine = jwt({ role: 'admin', exp: hourFromNow() });
  const theirs = jwt({ role: 'anon', exp: hourFromNow(), iat: 1 });
  const made = await api(server.url, 'POST', '/export', { key: mine, body: { dataset: 'store_rankings', format: 'csv', async: true } });
  assert.equal(made.status, 202, made.text);
  const id = made.json.export_id;
  assert.equal((await api(server.url, 'GET', `/exports/${id}`, { key: theirs })).status, 404);
  assert.equal((await api(server.url, 'DELETE', `/exports/${id}`, { key: theirs })).status, 404);
  assert.equal((await api(server.url, 'GET', `/exports/${id}`, { key: mine })).status, 200);
});

test('6: malformed claims are 401 naming the claim; nbf is honoured; the scheme is case-insensitive', async () => {
  for (const [claims, name] of [[{ role: 5 }, 'role'], [{ role: null }, 'role'], [{ role: [] }, 'role'],
    [{ role: 'admin', sub: 5 }, 'sub'], [{ role: 'admin', sub: null }, 'sub']]) {
    const r = await api(server.url, 'GET', '/datasets', { key: jwt({ ...claims, exp: hourFromNow() }) });
    assert.equal(r.status, 401, JSON.stringify(claims));
    assert.equal(r.json.error.code, 'unauthorized');
    assert.match(r.json.error.message, new RegExp(`'${name}'`), JSON.stringify(claims));
  }
  const notYet = await api(server.url, 'GET', '/datasets', { key: jwt({ role: 'admin', exp: hourFromNow() + 3600, nbf: hourFromNow() }) });
  assert.equal(notYet.status, 401);
  const lower = await api(server.url, 'GET', '/datasets', { headers: { Authorization: `bearer ${analyst}` } });
  assert.equal(lower.status, 200);
});

test('7: /metrics labels come from route templates only', async () => {
  const forged = await get('/x%22%7D%201%0Ainjected_total%7Bsource%3D%22probe');
  assert.equal(forged.status, 404);
  const size = async () => (await (await fetch(`${server.url}/metrics`)).text());
  const before = await size();
  assert.doesNotMatch(before, /injected_total/);
  await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(`${server.url}/probe-${i}-${'a'.repeat(100)}`).then((r) => r.text())));
  const after = await size();
  assert.doesNotMatch(after, /probe-/);
  assert.ok(after.length - before.length < 200, `metrics grew by ${after.length - before.length} bytes`);
  assert.match(after, /scout_http_requests_total\{route="unmatched",status="404"\} \d+/);
});

test('7: /metrics behind a bearer token when metrics_token is set', async () => {
  const dir = path.join(work, 'metrics-data');
  cliOk(['demo', '--warehouse', `sqlite:${path.join(dir, 'warehouse.db')}`, '--scale', '0.01', '--until', '2025-01-31']);
  const guarded = await startServer({ dataDir: dir, env: { SCOUT_METRICS_TOKEN: METRICS_TOKEN } });
  try {
    assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${guarded.url}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    const ok = await fetch(`${guarded.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /scout_http_requests_total/);
  } finally {
    await guarded.stop();
  }
});

test('8: each client error has its own code; a wrong method gets 405 with Allow', async () => {
  for (const method of ['PUT', 'FOO']) {
    const r = parseResponse(await raw(`${method} /export HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.allow, 'POST');
    assert.equal(r.json().error.code, 'method_not_allowed');
  }
  const long = parseResponse(await raw(`GET /${'a'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
  assert.equal(long.status, 414);
  assert.equal(long.json().error.code, 'uri_too_long');
  const fields = parseResponse(await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(30000)}\r\n\r\n`));
  assert.equal(fields.status, 431);
  const garbage = parseResponse(await raw('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n'));
  assert.equal(garbage.status, 400);
  assert.equal(garbage.json().error.code, 'bad_request');
});

test('9: a JSON body sent as a form is refused with 415 naming application/json', async () => {
  const body = JSON.stringify({ dataset: 'daily_transactions', format: 'parquet', pad: 'x'.repeat(10000) });
  const r = await fetch(`${server.url}/export`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${analyst}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  assert.equal(r.status, 415);
  const j = await r.json();
  assert.equal(j.error.code, 'unsupported_media_type');
  assert.match(j.error.message, /application\/json/);
});

test('11: the data dir and what it holds are private', () => {
  assert.equal(statSync(dataDir).mode & 0o777, 0o700);
  const exportsDir = path.join(dataDir, 'exports');
  const id = readdirSync(exportsDir)[0];
  const files = readdirSync(path.join(exportsDir, id));
  for (const f of files) assert.equal(statSync(path.join(exportsDir, id, f)).mode & 0o077, 0, f);
  for (const f of readdirSync(path.join(dataDir, 'jobs'))) assert.equal(statSync(path.join(dataDir, 'jobs', f)).mode & 0o077, 0, f);
});

test('12: the audit log records refusals of known callers, 304s, ranges and regions', async () => {
  const big = JSON.stringify({ dataset: 'daily_transactions', pad: 'x'.repeat(70000) });
  let r = await fetch(`${server.url}/export`, { method: 'POST', headers: { Authorization: `Bearer ${analyst}`, 'Content-Type': 'application/json' }, body: big });
  assert.equal(r.status, 413);
  r = await fetch(`${server.url}/export`, { method: 'POST', headers: { Authorization: `Bearer ${analyst}`, 'Content-Type': 'application/json' }, body: '{"dataset": 5}' });
  assert.equal(r.status, 400);
  r = await fetch(`${server.url}/estimate`, { method: 'POST', headers: { Authorization: `Bearer ${ncrAnalyst}`, 'Content-Type': 'application/json' }, body: '{"dataset": "nope"}' });
  assert.equal(r.status, 400);
  const regional = await api(server.url, 'POST', '/export', { key: ncrAnalyst, body: { dataset: 'store_rankings', format: 'csv', async: true } });
  assert.equal(regional.status, 202, regional.text);
  const first = await fetch(fileUrl);
  await first.arrayBuffer();
  const etag = first.headers.get('etag');
  assert.equal((await fetch(fileUrl, { headers: { 'If-None-Match': etag } })).status, 304);
  await (await fetch(fileUrl, { headers: { Range: 'bytes=0-99' } })).arrayBuffer();
  const lines = readFileSync(path.join(dataDir, 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.some((l) => l.event === 'request_refused' && l.status === 413 && l.role === 'analytics_export'), '413');
  assert.ok(lines.some((l) => l.event === 'export_refused' && l.status === 400 && l.role === 'analytics_export'), '400');
  assert.ok(lines.some((l) => l.event === 'estimate_refused' && l.status === 400 && l.region === 'NCR'), 'estimate 400');
  assert.ok(lines.some((l) => l.event === 'download' && l.status === 304), '304');
  assert.ok(lines.some((l) => l.event === 'download' && l.status === 206 && l.bytes === 100 && l.range === 'bytes=0-99'), 'range');
  assert.ok(lines.some((l) => l.event === 'export_requested' && l.region === 'NCR'), 'region');
});

test('slow clients: 300 half-sent headers do not stall /health, and are let go', async () => {
  const sockets = [];
  await Promise.all(Array.from({ length: 300 }, () => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '); resolve(); });
    s.on('error', () => resolve());
    s.resume();  // past the connection cap a socket gets a 503 to read before its end
    sockets.push(s);
  })));
  const started = performance.now();
  const r = await api(server.url, 'GET', '/health');
  const ms = performance.now() - started;
  assert.equal(r.status, 200);
  assert.ok(ms < 1000, `/health took ${ms.toFixed(0)} ms behind 300 slow clients`);
  // The header deadline (2 s here) closes them all.
  const closed = await Promise.all(sockets.map((s) => new Promise((resolve) => {
    if (s.destroyed) return resolve(true);
    const t = setTimeout(() => resolve(false), 8000);
    s.on('close', () => { clearTimeout(t); resolve(true); });
  })));
  assert.equal(closed.filter((c) => !c).length, 0);
});

test('/health, open to anyone, tells nothing of the warehouse but whether it answers', async () => {
  const dir = path.join(work, 'unreachable-data');
  const down = await startServer({ dataDir: dir, warehouse: 'postgresql://scout:s3cret-pw@127.0.0.1:9/warehouse?password=other-pw' });
  try {
    const r = await api(down.url, 'GET', '/health');
    assert.equal(r.status, 503);
    assert.equal(r.json.warehouse, 'unreachable');
    assert.doesNotMatch(r.text, /s3cret|other-pw|127\.0\.0\.1:9/);
  } finally {
    await down.stop();
  }
});

test('a cap on connections answers 503 rather than stalling', async () => {
  const dir = path.join(work, 'capped-data');
  cliOk(['demo', '--warehouse', `sqlite:${path.join(dir, 'warehouse.db')}`, '--scale', '0.01', '--until', '2025-01-31']);
  const capped = await startServer({ dataDir: dir, env: { SCOUT_MAX_CONNECTIONS: '20' } });
  const cappedPort = Number(new URL(capped.url).port);
  const held = [];
  try {
    await Promise.all(Array.from({ length: 20 }, () => new Promise((resolve) => {
      const s = net.connect(cappedPort, '127.0.0.1', () => { s.write('GET /health HTTP/1.1\r\n'); resolve(); });
      s.on('error', () => resolve());
      held.push(s);
    })));
    await new Promise((r) => setTimeout(r, 200));
    const r = parseResponse(await raw('GET /health HTTP/1.1\r\nHost: x\r\n\r\n', { targetPort: cappedPort }));
    assert.equal(r.status, 503);
    assert.equal(r.json().error.code, 'unavailable');
  } finally {
    held.forEach((s) => s.destroy());
    await capped.stop();
  }
});

test('the guide\'s flows still work over keep-alive, HEAD and 100-continue', async () => {
  const head = await fetch(fileUrl, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String(fileSize));
  // RFC 9110 §14.2: Range is for GET alone.
  const headRange = await fetch(fileUrl, { method: 'HEAD', headers: { Range: 'bytes=0-9' } });
  assert.equal(headRange.status, 200);
  assert.equal(headRange.headers.get('content-length'), String(fileSize));
  const body = JSON.stringify({ dataset: 'payment_trends', format: 'csv', pad: undefined });
  const r = parseResponse(await raw(`POST /export HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${analyst}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, { waitMs: 30000 }));
  // A 100 Continue may come first; the final answer follows it.
  assert.ok([100, 200].includes(r.status));
  await healthy();
});
