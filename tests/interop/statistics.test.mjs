// DuckDB uses our statistics: a filter on a sorted column reads only the row groups whose
// min/max can match. Proof: garble the pages of row groups that cannot match; a query that
// skips them still succeeds, while one that needs them fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const file = path.join(process.env.SCOUT_MATRIX_DIR, 'sorted.parquet');
const duck = await (await DuckDBInstance.create(':memory:')).connect();
const rows = async (sql) => (await duck.runAndReadAll(sql)).getRowObjectsJson();

test('row-group statistics are the real min and max', async () => {
  const stats = await rows(`SELECT row_group_id::INT AS g, stats_min_value AS lo, stats_max_value AS hi
    FROM parquet_metadata('${file}') WHERE path_in_schema = 'id' ORDER BY g`);
  assert.equal(stats.length, 10);
  stats.forEach((s, g) => {
    assert.equal(s.lo, String(g * 100000));
    assert.equal(s.hi, String(g * 100000 + 99999));
  });
  const days = await rows(`SELECT stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('${file}')
    WHERE path_in_schema = 'day' AND row_group_id = 0`);
  assert.deepEqual(days, [{ lo: '2024-01-01', hi: '2024-04-09' }]);
});

test('a selective filter on the sorted column skips the row groups that cannot match', async () => {
  const garbled = `${file}.garbled.parquet`;
  copyFileSync(file, garbled);
  // Overwrite every page of row groups 5..9 (all columns) with 0xFF; the footer stays intact.
  const chunks = await rows(`SELECT row_group_id::INT AS g, coalesce(dictionary_page_offset, data_page_offset)::BIGINT AS start,
      total_compressed_size::BIGINT AS size FROM parquet_metadata('${garbled}') WHERE row_group_id >= 5`);
  assert.equal(chunks.length, 15);
  const fd = openSync(garbled, 'r+');
  for (const c of chunks) writeSync(fd, Buffer.alloc(Number(c.size), 0xff), 0, Number(c.size), Number(c.start));
  closeSync(fd);
  // Rows 250000..250099 live in row group 2: DuckDB never touches the garbled groups.
  const hit = await rows(`SELECT count(*)::INT AS n, sum(id)::BIGINT AS s FROM read_parquet('${garbled}') WHERE id BETWEEN 250000 AND 250099`);
  assert.deepEqual(hit, [{ n: 100, s: String((250000 + 250099) * 50) }]);
  const byDay = await rows(`SELECT count(*)::INT AS n FROM read_parquet('${garbled}') WHERE day < DATE '2024-01-11'`);
  assert.deepEqual(byDay, [{ n: 10000 }]);
  // A filter that needs a garbled group reads it, and fails: the skipping above was real.
  await assert.rejects(rows(`SELECT sum(amount) FROM read_parquet('${garbled}') WHERE id >= 950000`));
});
