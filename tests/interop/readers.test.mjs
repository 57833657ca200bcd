// Every file interop_write_matrix wrote, read by three independent readers (DuckDB, arrow-rs
// through parquet-wasm, hyparquet): each must find exactly the values, types, statistics and
// page index that <name>.expected.json describes. A failure names file, column, row, reader.
import { test } from 'node:test';
import { readOffsetIndex } from 'hyparquet';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openDuckDB, readDuckDB, readParquetWasm, readHyparquet, hyparquetMetadata, compareColumns, kindOf } from './read_back.mjs';
import { checkTypes, checkArrowSchema, checkHyparquetSchema, checkChunkStatistics, checkDuckDBStatistics, checkPageIndex, noProblems } from './checks.mjs';

const dir = process.env.SCOUT_MATRIX_DIR;
assert.ok(dir, 'SCOUT_MATRIX_DIR must name the folder interop_write_matrix wrote');
const specs = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort()
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
const duck = await openDuckDB();

test('the matrix covers every type, codec, dictionary mode and layout', () => {
  const types = new Set(specs.flatMap((s) => s.columns.map((c) => c.type)));
  for (const type of ['binary', 'boolean', 'date', 'decimal(18,4)', 'decimal(38,6)', 'decimal(9,2)', 'double', 'float',
    'int16', 'int32', 'int64', 'string', 'timestamp']) assert.ok(types.has(type), type);
  const cells = new Set(specs.map((s) => `${s.options.codec}/${s.dictionary_mode}/${s.layout}`));
  for (const codec of ['uncompressed', 'snappy', 'gzip', 'lz4', 'brotli', 'zstd']) {
    for (const mode of ['dictionary', 'fallback', 'plain']) {
      for (const layout of ['one-group', 'many-groups']) assert.ok(cells.has(`${codec}/${mode}/${layout}`), `${codec}/${mode}/${layout}`);
    }
  }
  assert.ok(specs.some((s) => s.rows === 0), 'a zero-row file');
  assert.ok(specs.some((s) => s.values === 'edges'), 'edge values');
});

for (const spec of specs) {
  const file = path.join(dir, spec.file);
  const label = spec.file;
  const multiPage = spec.rows > 0 && (spec.options.max_page_rows < Math.min(spec.rows, spec.options.max_row_group_rows) ||
    spec.options.target_page_bytes < (1 << 20));

  test(label, async (t) => {
    const { ab, metadata } = hyparquetMetadata(file);
    let arrowSchema;

    await t.test('DuckDB reads every value as written', async () => {
      const problems = compareColumns('duckdb', label, spec.columns, await readDuckDB(duck, file, spec.columns));
      noProblems(problems);
    });

    await t.test('parquet-wasm (arrow-rs) reads every value as written, one row group at a time', async () => {
      const { values, schema } = await readParquetWasm(file, spec.columns);
      arrowSchema = schema;
      const problems = compareColumns('parquet-wasm', label, spec.columns, values);
      noProblems(problems);
    });

    await t.test('hyparquet reads every value as written, one row group at a time', async () => {
      const { values } = await readHyparquet(file, spec.columns);
      const problems = compareColumns('hyparquet', label, spec.columns, values);
      noProblems(problems);
    });

    await t.test('every reader sees the types written: DATE, TIMESTAMP(UTC, micros), DECIMAL(p,s), INT16, STRING', async () => {
      const problems = [
        ...await checkTypes(duck, file, label, spec.columns),
        ...checkArrowSchema(arrowSchema, label, spec.columns),
        ...checkHyparquetSchema(metadata, label, spec.columns),
      ];
      noProblems(problems);
    });

    await t.test('the footer holds the rows, row groups, codec, key-value metadata and created_by', async () => {
      const meta = (await duck.rows(`SELECT created_by, num_rows::BIGINT AS n, num_row_groups::BIGINT AS g FROM parquet_file_metadata('${file}')`))[0];
      assert.match(meta.created_by, /^scout-export version \d+\.\d+\.\d+ \(build [^)]+\)$/);
      assert.equal(Number(meta.n), spec.rows, 'num_rows');
      const groups = (await duck.rows(`SELECT DISTINCT row_group_id::INT AS g, row_group_num_rows::BIGINT AS n FROM parquet_metadata('${file}') ORDER BY g`))
        .map((r) => Number(r.n));
      if (spec.row_group_rows) {
        assert.deepEqual(groups, spec.row_group_rows, `rows per row group (max_row_group_rows ${spec.options.max_row_group_rows})`);
      } else {  // cut by max_row_group_bytes: see the byte-limit test below
        assert.equal(groups.reduce((x, y) => x + y, 0), spec.rows, 'rows in all row groups');
        assert.ok(groups.every((n) => n > 0 && n <= spec.options.max_row_group_rows), `row groups ${groups}`);
      }
      assert.equal(Number(meta.g), groups.length, 'num_row_groups');
      const kv = await duck.rows(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${file}')`);
      assert.deepEqual(kv, Object.entries(spec.options.key_value_metadata).map(([k, v]) => ({ k, v })));
      const codec = { uncompressed: 'UNCOMPRESSED', snappy: 'SNAPPY', gzip: 'GZIP', lz4: 'LZ4_RAW', brotli: 'BROTLI', zstd: 'ZSTD' }[spec.options.codec];
      const codecs = await duck.rows(`SELECT DISTINCT compression AS c FROM parquet_metadata('${file}')`);
      if (spec.rows) assert.deepEqual(codecs, [{ c: codec }], 'every chunk has the codec asked for');
    });

    await t.test(`the chunks are encoded as asked (${spec.dictionary_mode})`, async () => {
      const chunks = await duck.rows(`SELECT row_group_id::INT AS g, path_in_schema AS p, encodings AS e,
          dictionary_page_offset IS NOT NULL AS dict FROM parquet_metadata('${file}')`);
      const problems = [];
      for (const ch of chunks) {
        const c = spec.columns.find((x) => x.name === ch.p);
        const usesDictionary = /DICTIONARY/.test(ch.e);
        const where = `duckdb: ${label} row group ${ch.g} column ${ch.p}: encodings [${ch.e}], dictionary page ${ch.dict}`;
        if (usesDictionary !== ch.dict) problems.push(`${where}: dictionary encoding and dictionary page disagree`);
        if (spec.dictionary_mode === 'plain' && (usesDictionary || ch.dict)) problems.push(`${where}: dictionary off, yet used`);
        // Few distinct values: the dictionary must win for every column that has values.
        const hasValues = c.values.some((v) => v !== null);
        if (spec.values === 'few-distinct' && spec.dictionary_mode === 'dictionary' && kindOf(c.type) !== 'boolean' && hasValues && !usesDictionary) {
          problems.push(`${where}: 7 distinct values, yet no dictionary`);
        }
        // Fallback: the first pages use the dictionary, later ones (past the 1 KiB limit) not.
        if (spec.dictionary_mode === 'fallback' && ch.g === 0 && kindOf(c.type) !== 'boolean' && hasValues) {
          const valueEncodings = ch.e.split(', ').filter((e) => e !== 'RLE' && !/DICTIONARY/.test(e));
          if (!usesDictionary || !valueEncodings.length) problems.push(`${where}: expected dictionary pages and, after the fallback, non-dictionary pages`);
        }
      }
      noProblems(problems);
    });

    await t.test('DuckDB and hyparquet see the chunk statistics written for the values', async () => {
      const problems = [
        ...checkChunkStatistics(metadata, label, spec.columns),
        ...await checkDuckDBStatistics(duck, file, label, spec.columns),
      ];
      noProblems(problems);
    });

    await t.test(spec.options.write_page_index ? 'hyparquet sees a page index that matches the pages' : 'no page index when it was turned off', async () => {
      if (!spec.options.write_page_index) {
        const with_ = metadata.row_groups.flatMap((rg) => rg.columns)
          .filter((ch) => ch.column_index_offset !== undefined || ch.offset_index_offset !== undefined);
        assert.equal(with_.length, 0, 'chunks that point at a page index');
        return;
      }
      const problems = checkPageIndex(ab, metadata, label, spec.columns, { maxPageRows: spec.options.max_page_rows });
      noProblems(problems);
    });

    if (spec.options.max_row_group_bytes < 128 * 2 ** 20) {
      // One batch of large values is still cut into several row groups and pages by bytes.
      await t.test('row groups and pages are cut by bytes inside one batch', () => {
        const groups = metadata.row_groups.map((rg) => Number(rg.num_rows));
        const sizes = metadata.row_groups.map((rg) => rg.columns.reduce((x, ch) => x + Number(ch.meta_data.total_uncompressed_size), 0));
        assert.ok(groups.length > 1, `${groups.length} row group(s) of ${groups} rows, ${sizes} bytes, max_row_group_bytes ${spec.options.max_row_group_bytes}`);
        const pages = metadata.row_groups[0].columns.map((ch) => readOffsetIndex({
          view: new DataView(ab, Number(ch.offset_index_offset), ch.offset_index_length), offset: 0 }).page_locations);
        const biggest = Math.max(...pages.flat().map((p) => p.compressed_page_size));
        assert.ok(biggest <= 4 * spec.options.target_page_bytes, `largest page ${biggest} bytes, target_page_bytes ${spec.options.target_page_bytes}`);
      });
    }

    if (multiPage) {
      await t.test('rows from the middle of row groups, through the offset index (hyparquet) and row selection (arrow-rs)', async () => {
        const problems = [];
        let start = 0;
        for (const [g, n] of metadata.row_groups.map((rg) => Number(rg.num_rows)).entries()) {
          const [a, b] = [start + Math.floor(n / 3), start + Math.floor((2 * n) / 3) + 1];
          const hy = await readHyparquet(file, spec.columns, [a, b]);
          problems.push(...compareColumns(`hyparquet rows ${a}..${b - 1}`, label, spec.columns, hy.values, { rows: [a, b], rowOffset: a }));
          const pw = await readParquetWasm(file, spec.columns, { group: g, offset: a - start, limit: b - a });
          problems.push(...compareColumns(`parquet-wasm rows ${a}..${b - 1}`, label, spec.columns, pw.values, { rows: [a, b], rowOffset: a }));
          start += n;
        }
        noProblems(problems);
      });
    }
  });
}
