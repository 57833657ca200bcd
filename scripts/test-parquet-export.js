#!/usr/bin/env node
// Smoke test of a running Scout Export deployment (the guide's Quick Start step 1):
// health, datasets, one export in each format, downloads, and a verdict.
//   node scripts/test-parquet-export.js --url URL --key KEY     (or SCOUT_URL and SCOUT_API_KEY)
// Exits 0 only when every check passes.
const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const base = (flag('--url') ?? process.env.SCOUT_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const key = flag('--key') ?? process.env.SCOUT_API_KEY;
if (!key) {
  console.error('test-parquet-export: no API key; pass --key KEY or set SCOUT_API_KEY');
  process.exit(2);
}

const checks = [];
async function check(name, fn) {
  try {
    const detail = await fn();
    checks.push(true);
    console.log(`PASS  ${name}${detail ? `: ${detail}` : ''}`);
  } catch (e) {
    checks.push(false);
    console.log(`FAIL  ${name}: ${e.message}`);
  }
}

async function call(method, route, body) {
  const res = await fetch(base + route, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(120000),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${json?.error?.message ?? text.slice(0, 200)}`);
  return json;
}

const expectBytes = { parquet: (b) => b.subarray(0, 4).toString() === 'PAR1' && b.subarray(-4).toString() === 'PAR1',
  csv: (b) => b.toString('utf8', 0, 200).startsWith('transaction_date,'), json: (b) => JSON.parse(b.toString('utf8').split('\n')[0]).transaction_date !== undefined };

await check('health', async () => {
  const h = await call('GET', '/health');
  if (h.status !== 'healthy' || !h.parquet_support) throw new Error(JSON.stringify(h));
  return `${h.available_datasets} datasets, ${h.parquet_writer}`;
});
await check('datasets', async () => {
  const d = await call('GET', '/datasets');
  const daily = d.datasets.find((x) => x.name === 'daily_transactions');
  if (!daily || daily.columns !== 11) throw new Error('daily_transactions with 11 columns is missing');
  return d.datasets.map((x) => x.name).join(', ');
});
for (const format of ['parquet', 'csv', 'json']) {
  await check(`export ${format} and download`, async () => {
    const r = await call('POST', '/export', { dataset: 'daily_transactions', format, limit: 1000 });
    if (r.row_count !== 1000) throw new Error(`row_count ${r.row_count}, expected 1000`);
    const res = await fetch(r.signed_url, { signal: AbortSignal.timeout(120000) });
    if (!res.ok) throw new Error(`download: HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length !== r.file_size) throw new Error(`downloaded ${bytes.length} bytes, file_size says ${r.file_size}`);
    if (!expectBytes[format](bytes)) throw new Error(`the download is not ${format}`);
    return `${r.row_count} rows, ${r.file_size} bytes`;
  });
}
await check('invalid dataset is refused', async () => {
  try {
    await call('POST', '/export', { dataset: 'invalid_dataset' });
  } catch (e) {
    if (/Invalid dataset/.test(e.message)) return 'HTTP 400 with "Invalid dataset"';
    throw e;
  }
  throw new Error('accepted');
});

const passed = checks.filter(Boolean).length;
console.log(`\n${passed} passed, ${checks.length - passed} failed`);
console.log(passed === checks.length ? `VERDICT: ${base} is working` : `VERDICT: ${base} is NOT working`);
process.exit(passed === checks.length ? 0 : 1);
