// The web console in a real browser: Debian's Chromium driven by playwright-core (never a
// downloaded browser). Signs in with a wrong key, then the right one; lists the datasets;
// estimates; exports store_rankings as CSV and January 2025 of daily_transactions as Parquet,
// downloads each file and compares it with the warehouse value by value (DuckDB reads the
// files, sqlite3 the warehouse); checks the previews; cancels a long export; and checks that
// the key never appears in a request URL nor anywhere but sessionStorage. A screenshot of each
// step is kept in console-screenshots/ of the build folder (the test's working directory).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { api, cliOk, createKey, q, reader, removeDir, root, sqlite, startServer, tempDir } from './harness.mjs';

const { chromium } = createRequire(path.join(root, 'web/package.json'))('playwright-core');

const shots = path.resolve(process.env.SCOUT_ARTIFACT_DIR ?? 'console-screenshots');
const datasetNames = ['daily_transactions', 'store_rankings', 'hourly_patterns', 'payment_trends', 'store_features', 'ml_predictions'];

let work, dataDir, db, server, key, browser, page;
const requestUrls = [];
const fetches = [];  // { url, range } of every fetch() the page made
let step = 0;

async function shot(name) {
  step++;
  await page.screenshot({ path: path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  work = tempDir('scout-console-');
  dataDir = path.join(work, 'data');
  db = path.join(dataDir, 'warehouse.db');
  // Enough rows for an export to run for seconds with brotli, so it can be cancelled.
  cliOk(['demo', '--warehouse', `sqlite:${db}`, '--scale', '0.3', '--until', '2025-06-30']);
  key = createKey(dataDir, 'analytics_export');
  server = await startServer({ dataDir, env: { SCOUT_WORKERS: '1' } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('request', (r) => {
    requestUrls.push(r.url());
    if (r.resourceType() === 'fetch') fetches.push({ url: r.url(), range: r.headers().range });
  });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  removeDir(work);
});

// A cell as both sides are compared: numbers by value (CSV text, doubles and BIGINT strings),
// everything else as text.
function same(a, b) {
  if (a === null || a === undefined || a === '') return b === null || b === undefined || b === '';
  const x = Number(a), y = Number(b);
  if (typeof a !== 'boolean' && a !== '' && b !== '' && !Number.isNaN(x) && !Number.isNaN(y)) {
    return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  }
  return String(a) === String(b);
}

function assertRowsEqual(got, expected, columns, what) {
  assert.equal(got.length, expected.length, `${what}: row count`);
  const key = (row) => columns.map((c) => String(row[c])).join('\u0001');
  const sortedGot = [...got].sort((a, b) => key(a).localeCompare(key(b)));
  const sortedExpected = [...expected].sort((a, b) => key(a).localeCompare(key(b)));
  sortedGot.forEach((row, i) => {
    for (const c of columns) {
      assert.ok(same(row[c], sortedExpected[i][c]), `${what}: row ${i} column ${c}: file ${row[c]} vs warehouse ${sortedExpected[i][c]}`);
    }
  });
}

// The preview table's header names and cells.
async function previewTable() {
  const table = page.getByRole('table', { name: 'Preview' });
  const headers = await table.locator('thead th').allTextContents();
  const rows = [];
  for (const tr of await table.locator('tbody tr').all()) rows.push(await tr.locator('td').allTextContents());
  return { headers, rows };
}

// Waits for the preview to be shown; its note says why when it is not.
async function previewShown() {
  await page.locator('#preview-note').filter({ hasText: /./ }).waitFor({ timeout: 60000 });
  assert.ok(await page.locator('#preview tbody tr').count() > 0, await page.locator('#preview-note').textContent());
}

async function download(linkName, file) {
  const link = page.locator('#result').getByRole('link', { name: linkName });
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const target = path.join(work, file);
  await dl.saveAs(target);
  return target;
}

async function chooseExport({ dataset, format, compression, start = '', end = '' }) {
  await page.getByLabel('Dataset', { exact: true }).selectOption(dataset);
  await page.getByLabel('Format', { exact: true }).selectOption(format);
  if (compression) await page.getByLabel('Compression', { exact: true }).selectOption(compression);
  await page.getByLabel('Start date', { exact: true }).fill(start);
  await page.getByLabel('End date', { exact: true }).fill(end);
}

test('the console in Chromium, from sign-in to downloads, previews and a cancel', async () => {
  const home = await fetch(`${server.url}/`);
  const csp = home.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /style-src 'self';/);
  assert.match(csp, /default-src 'none'/);
  const html = await home.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(html, /<style|style=/, 'no inline style');
  assert.doesNotMatch(html, /https?:\/\//, 'no other origin');
  assert.equal((await fetch(`${server.url}/console/../index.html`)).status, 404);

  await page.goto(`${server.url}/`, { waitUntil: 'networkidle' });
  const firstLoad = await page.evaluate(() => [
    ...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource'),
  ].map((e) => ({ name: e.name, transferSize: e.transferSize })));
  const firstLoadBytes = firstLoad.reduce((n, e) => n + e.transferSize, 0);
  console.log(`measure: first load transferred ${firstLoadBytes} bytes in ${firstLoad.length} requests: ${firstLoad.map((e) => `${new URL(e.name).pathname} ${e.transferSize}`).join(', ')}`);
  assert.ok(firstLoad.every((e) => e.transferSize > 0));
  await shot('sign-in');

  // Keyboard: the key field, then Tab to the button, with a visible focus ring.
  await page.getByRole('textbox', { name: 'API key' }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Sign in');
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none');

  // A wrong key: the API's 401 message, and no data.
  const wrong = 'sk_scout_wrong_key_for_the_test';
  const refusal = (await api(server.url, 'GET', '/datasets', { key: wrong })).json.error.message;
  await page.getByRole('textbox', { name: 'API key' }).fill(wrong);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: refusal }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Datasets' }).isVisible(), false);
  assert.equal(await page.locator('#dataset-list li').count(), 0);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await shot('wrong-key');

  // The right key: the six datasets with their layer, description, schema and row count.
  await page.getByRole('textbox', { name: 'API key' }).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).press('Enter');
  await page.getByRole('heading', { name: 'Datasets' }).waitFor();
  assert.deepEqual(await page.locator('#dataset-list h3').allTextContents(), datasetNames);
  const catalog = (await api(server.url, 'GET', '/datasets', { key })).json.datasets;
  for (const d of catalog) {
    const card = page.locator(`#dataset-list li[data-dataset="${d.name}"]`);
    await assert.doesNotReject(card.getByText(d.description, { exact: true }).waitFor());
    assert.equal(await card.locator('dd').first().textContent(), d.layer);
    const rows = sqlite(db, `SELECT count(*) AS n FROM ${d.name}`)[0].n;
    await card.locator(`[data-row-count="${d.name}"]`).filter({ hasText: rows.toLocaleString('en-US') }).waitFor();
    await card.getByText(/^Schema/).click();
    for (const column of Object.keys(d.schema)) await card.locator('code', { hasText: column }).first().waitFor();
  }
  await shot('datasets');
  // The key is in sessionStorage and nowhere else; a reload keeps the session.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('scout-export-api-key')), key);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.deepEqual(await page.context().cookies(), []);
  await page.reload();
  await page.getByRole('heading', { name: 'Datasets' }).waitFor();

  // The form starts empty; codecs follow the format; presets fill the dates.
  assert.equal(await page.getByLabel('Start date', { exact: true }).inputValue(), '');
  assert.equal(await page.getByLabel('End date', { exact: true }).inputValue(), '');
  assert.equal(await page.getByRole('spinbutton', { name: 'Limit' }).inputValue(), '');
  const partition = page.getByLabel('Partition by', { exact: true });
  assert.equal(await partition.inputValue(), '');
  assert.equal(await partition.locator('option').first().textContent(), '(none)');
  const compression = page.getByLabel('Compression', { exact: true });
  await page.getByLabel('Format', { exact: true }).selectOption('parquet');
  assert.deepEqual(await compression.locator('option').allTextContents(), ['snappy', 'gzip', 'lz4', 'brotli', 'zstd', 'uncompressed']);
  await page.getByLabel('Format', { exact: true }).selectOption('csv');
  assert.deepEqual(await compression.locator('option').allTextContents(), ['none', 'gzip', 'lz4', 'brotli', 'zstd']);
  await page.getByRole('button', { name: 'Last 7 days' }).click();
  assert.match(await page.getByLabel('Start date', { exact: true }).inputValue(), /^\d{4}-\d{2}-\d{2}$/);

  // An API error is shown with the API's message.
  await chooseExport({ dataset: 'store_rankings', format: 'csv' });
  await page.getByRole('spinbutton', { name: 'Limit' }).fill('0');
  const limitError = (await api(server.url, 'POST', '/estimate', { key, body: { dataset: 'store_rankings', limit: 0 } })).json.error.message;
  await page.getByRole('button', { name: 'Estimate' }).click();
  await page.getByRole('alert').filter({ hasText: limitError }).waitFor();
  await page.getByRole('spinbutton', { name: 'Limit' }).fill('');

  // Estimate, then export store_rankings as CSV.
  const rankings = sqlite(db, 'SELECT * FROM store_rankings');
  await page.getByRole('button', { name: 'Estimate' }).click();
  await page.locator('#estimate-output').filter({ hasText: `Estimated ${rankings.length.toLocaleString('en-US')} rows` }).waitFor();
  await shot('estimate');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.locator('#result').getByRole('link', { name: 'Download store_rankings.csv' }).waitFor({ timeout: 60000 });
  await previewShown();
  await shot('csv-finished');
  const csvFile = await download('Download store_rankings.csv', 'store_rankings.csv');
  const rankingColumns = catalog.find((d) => d.name === 'store_rankings');
  const csvRows = await q(`SELECT * FROM read_csv('${csvFile}', header=true, all_varchar=true)`);
  assertRowsEqual(csvRows, rankings, Object.keys(rankingColumns.schema), 'store_rankings.csv');
  const csvPreview = await previewTable();
  assert.deepEqual(csvPreview.headers, Object.keys(rankingColumns.schema));
  assert.equal(csvPreview.rows.length, 10);
  csvPreview.rows.forEach((cells, i) => cells.forEach((cell, c) =>
    assert.ok(same(cell, csvRows[i][csvPreview.headers[c]]), `CSV preview row ${i} column ${csvPreview.headers[c]}`)));
  assert.match(await page.locator('#manifest').textContent(), /"manifest_version"/);

  // daily_transactions as Parquet for January 2025: the time from Export to the link.
  await chooseExport({ dataset: 'daily_transactions', format: 'parquet', compression: 'snappy', start: '2025-01-01', end: '2025-01-31' });
  const clicked = Date.now();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await page.locator('#result').getByRole('link', { name: 'Download daily_transactions.parquet' }).waitFor({ timeout: 120000 });
  console.log(`measure: Export to download link for January daily_transactions (Parquet): ${Date.now() - clicked} ms`);
  await previewShown();
  await shot('parquet-finished');
  const parquetFile = await download('Download daily_transactions.parquet', 'daily_transactions.parquet');
  const january = sqlite(db, "SELECT * FROM daily_transactions WHERE transaction_date BETWEEN '2025-01-01' AND '2025-01-31'");
  assert.ok(january.length > 1000);
  const dailyColumns = Object.keys(catalog.find((d) => d.name === 'daily_transactions').schema);
  const parquetRows = await q(`SELECT * FROM ${reader(parquetFile)}`);
  assertRowsEqual(parquetRows, january, dailyColumns, 'daily_transactions.parquet');
  const parquetPreview = await previewTable();
  assert.deepEqual(parquetPreview.headers, dailyColumns);
  assert.equal(parquetPreview.rows.length, 10);
  parquetPreview.rows.forEach((cells, i) => cells.forEach((cell, c) =>
    assert.ok(same(cell, parquetRows[i][dailyColumns[c]]), `Parquet preview row ${i} column ${dailyColumns[c]}: ${cell} vs ${parquetRows[i][dailyColumns[c]]}`)));
  // The preview read the Parquet file by ranges, not whole.
  const parquetReads = fetches.filter((f) => f.url.includes('/download/') && f.url.includes('daily_transactions.parquet'));
  assert.ok(parquetReads.length >= 2, 'the footer, then pages');
  for (const read of parquetReads) assert.match(read.range ?? '', /^bytes=\d+-\d+$/, `a whole-file read ${read.url}`);

  // Your exports: both, newest first, succeeded, with their links.
  const history = page.locator('#history-list > li');
  await history.filter({ hasText: 'daily_transactions (parquet)' }).getByRole('link', { name: 'Download daily_transactions.parquet' }).waitFor();
  assert.match(await history.nth(0).textContent(), /^daily_transactions \(parquet\).*succeeded/);
  assert.match(await history.nth(1).textContent(), /^store_rankings \(csv\).*succeeded/);
  await shot('your-exports');

  // A long export (the whole table with brotli, the slowest codec): progress, then Cancel.
  await chooseExport({ dataset: 'daily_transactions', format: 'parquet', compression: 'brotli' });
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const progress = page.getByRole('progressbar');
  await page.locator('#progress-text').filter({ hasText: /[1-9][\d,]* of [\d,]+ rows written \(running\)/ }).waitFor({ timeout: 60000 });
  assert.ok(Number(await progress.getAttribute('value')) > 0 || Number(await progress.evaluate((p) => p.value)) > 0);
  await shot('export-running');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('status').filter({ hasText: 'Export cancelled.' }).waitFor({ timeout: 30000 });
  await history.first().filter({ hasText: 'cancelled' }).waitFor();
  await shot('cancelled');

  // Phone width: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  await shot('phone');

  // The key never travelled in a URL, plain or encoded.
  assert.ok(requestUrls.length > 10);
  for (const url of requestUrls) {
    assert.ok(!url.includes(key) && !url.includes(encodeURIComponent(key)), `the key is in the request URL ${url}`);
  }
  // Nor in the service's audit log, the right key or the wrong one.
  const audit = readFileSync(path.join(dataDir, 'audit.log'), 'utf8');
  assert.match(audit, /export_requested/);
  assert.ok(!audit.includes(key) && !audit.includes(wrong), 'a key is in the audit log');
  // Every request went to the service itself.
  for (const url of requestUrls) assert.ok(url.startsWith(server.url), `a request left the service: ${url}`);
});
