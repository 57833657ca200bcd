// Readers use our statistics. sorted.parquet (interop_write_matrix --sorted): 1,000,000 rows
// sorted by id (so by day and ts too) in 10 row groups of 100,000, pages of at most 20,000 rows.
// Proof of skipping: copy the file, garble the pages a filter cannot need (the footer stays
// intact); a reader that skips them by statistics still answers right, one that reads them
// fails. A query that needs a garbled page must fail, or the garbling proved nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parquetReadObjects, readColumnIndex, readOffsetIndex } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { openDuckDB, hyparquetMetadata, dateText } from './read_back.mjs';
import { checkChunkStatistics, checkPageIndex, noProblems } from './checks.mjs';

const dir = process.env.SCOUT_MATRIX_DIR;
assert.ok(dir, 'SCOUT_MATRIX_DIR must name the folder interop_write_matrix wrote');
const file = path.join(dir, 'sorted.parquet');
const duck = await openDuckDB();
const GROUP = 100000;
const DAY0 = 19723;  // 2024-01-01
const TS0 = 1704067200000000n;

function garble(copy, ranges) {
  const fd = openSync(copy, 'r+');
  for (const [start, size] of ranges) writeSync(fd, Buffer.alloc(size, 0xff), 0, size, start);
  closeSync(fd);
}

test('DuckDB sees per-row-group min/max/null counts equal to what was written', async () => {
  const stats = await duck.rows(`SELECT row_group_id::INT AS g, path_in_schema AS p, stats_min_value AS lo, stats_max_value AS hi,
      stats_null_count::BIGINT AS nulls FROM parquet_metadata('${file}') ORDER BY g, column_id`);
  assert.equal(stats.length, 40, '10 row groups × 4 columns');
  const problems = [];
  for (const s of stats) {
    const [first, last] = [s.g * GROUP, s.g * GROUP + GROUP - 1];
    const ts = (r) => new Date(Number((TS0 + BigInt(r) * 1000000n) / 1000n)).toISOString().replace('T', ' ').replace('.000Z', '+00');
    const want = {
      id: [String(first), String(last), 0],
      day: [dateText(DAY0 + Math.floor(first / 1000)), dateText(DAY0 + Math.floor(last / 1000)), 0],
      ts: [ts(first), ts(last), 0],
      amount: [null, null, GROUP / 10],
    }[s.p];
    const got = [s.lo, s.hi, Number(s.nulls)];
    if (s.p === 'amount') got.splice(0, 2, null, null);  // unsorted: only the null count is known
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`row group ${s.g} column ${s.p}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  assert.deepEqual(problems, []);
});

test('hyparquet sees chunk statistics and a page index that match all 1,000,000 rows', () => {
  const { ab, metadata } = hyparquetMetadata(file);
  const n = 1000000;
  const columns = [
    { name: 'id', type: 'int64', values: Array.from({ length: n }, (_, r) => String(r)) },
    { name: 'day', type: 'date', values: Array.from({ length: n }, (_, r) => dateText(DAY0 + Math.floor(r / 1000))) },
    { name: 'ts', type: 'timestamp', values: Array.from({ length: n }, (_, r) => String(TS0 + BigInt(r) * 1000000n)) },
    { name: 'amount', type: 'double', values: Array.from({ length: n }, (_, r) => (r % 10 === 3 ? null : (r % 977) / 4)) },
  ];
  noProblems([...checkChunkStatistics(metadata, 'sorted.parquet', columns),
    ...checkPageIndex(ab, metadata, 'sorted.parquet', columns, { maxPageRows: 20000 })]);
  // Sorted pages are declared so: readers may then binary-search the page bounds.
  for (const ch of metadata.row_groups[0].columns.slice(0, 3)) {
    const ci = readColumnIndex({ view: new DataView(ab, Number(ch.column_index_offset), ch.column_index_length), offset: 0 },
      { type: ch.meta_data.type });
    assert.equal(ci.boundary_order, 'ASCENDING', `boundary_order of ${ch.meta_data.path_in_schema}`);
  }
});

test('DuckDB skips the row groups whose statistics cannot match a filter', async () => {
  const garbled = path.join(dir, 'sorted.garbled-groups.parquet');
  copyFileSync(file, garbled);
  // Every chunk of row groups 5..9, dictionary pages included.
  const chunks = await duck.rows(`SELECT coalesce(dictionary_page_offset, data_page_offset)::BIGINT AS start,
      total_compressed_size::BIGINT AS size FROM parquet_metadata('${garbled}') WHERE row_group_id >= 5`);
  assert.equal(chunks.length, 20);
  garble(garbled, chunks.map((c) => [Number(c.start), Number(c.size)]));
  const q = (where) => duck.rows(`SELECT count(*)::BIGINT AS n, sum(id)::BIGINT AS s, count(amount)::BIGINT AS a FROM read_parquet('${garbled}') WHERE ${where}`);
  assert.deepEqual(await q('id BETWEEN 250000 AND 250099'), [{ n: '100', s: String((250000 + 250099) * 50), a: '90' }], 'filter on id (INT64)');
  assert.deepEqual(await q(`day < DATE '2024-01-11'`), [{ n: '10000', s: String((9999 * 10000) / 2), a: '9000' }], 'filter on day (DATE)');
  assert.deepEqual(await q(`ts >= TIMESTAMPTZ '2024-01-05 00:00:00+00' AND ts < TIMESTAMPTZ '2024-01-05 00:00:10+00'`),
    [{ n: '10', s: String(345600 * 10 + 45), a: '9' }], 'filter on ts (TIMESTAMP)');
  await assert.rejects(q('id >= 950000'), 'a filter that needs a garbled row group reads it and fails');
  await assert.rejects(duck.rows(`SELECT sum(amount) FROM read_parquet('${garbled}')`), 'a full scan fails');
});

test('hyparquet skips pages by our column index and offset index', async () => {
  const { ab, metadata } = hyparquetMetadata(file);
  const g = 2;
  const rg = metadata.row_groups[g];
  // Keep only the page holding rows 250000..250099 (row group 2, rows 50000..50099 of it) in
  // every column; garble every other data page of the group, and every other row group whole.
  const garbled = path.join(dir, 'sorted.garbled-pages.parquet');
  copyFileSync(file, garbled);
  const ranges = [];
  let kept = 0;
  metadata.row_groups.forEach((group, gi) => {
    for (const ch of group.columns) {
      const md = ch.meta_data;
      if (gi !== g) {
        ranges.push([Number(md.dictionary_page_offset ?? md.data_page_offset), Number(md.total_compressed_size)]);
        continue;
      }
      assert.ok(ch.offset_index_offset !== undefined, `${md.path_in_schema} has an offset index`);
      const pages = readOffsetIndex({ view: new DataView(ab, Number(ch.offset_index_offset), ch.offset_index_length), offset: 0 }).page_locations;
      assert.ok(pages.length >= 5, `${md.path_in_schema}: ${pages.length} pages of at most 20,000 rows`);
      pages.forEach((p, i) => {
        const end = i + 1 < pages.length ? Number(pages[i + 1].first_row_index) : Number(rg.num_rows);
        if (Number(p.first_row_index) <= 50000 && 50099 < end) ++kept;
        else ranges.push([Number(p.offset), p.compressed_page_size]);
      });
    }
  });
  assert.equal(kept, 4, 'one page kept per column');
  garble(garbled, ranges);
  const gab = hyparquetMetadata(garbled).ab;
  const read = (usePageIndex) => parquetReadObjects({
    file: gab, metadata, compressors, columns: ['id', 'day', 'amount'], usePageIndex,
    filter: { id: { $gte: 250000n, $lte: 250099n } },
  });
  const rows = await read(true);
  assert.equal(rows.length, 100);
  assert.deepEqual(rows.map((r) => Number(r.id)), Array.from({ length: 100 }, (_, i) => 250000 + i));
  assert.equal(rows.filter((r) => r.amount === null || r.amount === undefined).length, 10);
  await assert.rejects(read(false), 'without the page index hyparquet reads the garbled pages and fails');
});
