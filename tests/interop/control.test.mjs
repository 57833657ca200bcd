// Proves the harness rather than our writer: DuckDB (and, for the page index, which DuckDB does
// not write, arrow-rs through parquet-wasm) writes the same values as a sample of the
// matrix (every codec, edge values, several row groups, zero rows) from the .expected.json
// files, and the three readers, normalised as in readers.test.mjs, must find exactly those
// values, types and statistics in DuckDB's files. A failure here is a harness (or reader)
// problem, not a writer bug; a failure only in readers.test.mjs points at our writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ParquetFile, WriterPropertiesBuilder, EnabledStatistics, Compression, writeParquet } from 'parquet-wasm';
import path from 'node:path';
import { openDuckDB, readDuckDB, readParquetWasm, readHyparquet, hyparquetMetadata, compareColumns, kindOf } from './read_back.mjs';
import { checkTypes, checkArrowSchema, checkHyparquetSchema, checkChunkStatistics, checkDuckDBStatistics, checkPageIndex, noProblems } from './checks.mjs';

const dir = process.env.SCOUT_MATRIX_DIR;
assert.ok(dir, 'SCOUT_MATRIX_DIR must name the folder interop_write_matrix wrote');
const controlDir = path.join(dir, 'duckdb-control');
rmSync(controlDir, { recursive: true, force: true });
mkdirSync(controlDir);
const duck = await openDuckDB();

const sample = ['uncompressed', 'snappy', 'gzip', 'lz4', 'brotli', 'zstd']
  .flatMap((c) => [`${c}-edges-dictionary-many-groups`, `${c}-plain-many-groups`]).concat(['zero-rows-snappy']);

// SQL turning the text form back into each type.
function fromText(c) {
  const q = `"${c.name}"`;
  switch (kindOf(c.type)) {
    case 'int16': return `${q}::SMALLINT`;
    case 'int32': return `${q}::INTEGER`;
    case 'int64': return `${q}::BIGINT`;
    case 'float': return `${q}::FLOAT`;
    case 'double': return `${q}::DOUBLE`;
    case 'decimal': return `${q}::${c.type.toUpperCase()}`;
    case 'date': return `${q}::DATE`;
    case 'timestamp': return `make_timestamp(${q}::BIGINT)::TIMESTAMPTZ`;
    case 'binary': return `from_hex(${q})`;
    case 'boolean': return `${q}::BOOLEAN`;
    default: return q;
  }
}

const sqlType = (type) => ({ boolean: 'BOOLEAN', int16: 'SMALLINT', int32: 'INTEGER', int64: 'BIGINT', float: 'FLOAT',
  double: 'DOUBLE', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMPTZ', binary: 'BLOB' }[type] ?? type.toUpperCase());

const text = (v) => (v === null ? null : typeof v === 'number' && Object.is(v, -0) ? '-0.0' : String(v));

async function writeWithDuckDB(spec, out) {
  const table = `t_${spec.file.replace(/\W/g, '_')}`;
  await duck.connection.run(`CREATE OR REPLACE TABLE ${table} (${spec.columns
    .map((c) => `"${c.name}" ${sqlType(c.type)}${c.nullable ? '' : ' NOT NULL'}`).join(', ')})`);
  if (spec.rows) {
    const json = path.join(controlDir, `${spec.file}.ndjson`);
    const lines = [];
    for (let r = 0; r < spec.rows; ++r) lines.push(JSON.stringify(Object.fromEntries(spec.columns.map((c) => [c.name, text(c.values[r])]))));
    writeFileSync(json, `${lines.join('\n')}\n`);
    const columns = spec.columns.map((c) => `'${c.name}': 'VARCHAR'`).join(', ');
    await duck.connection.run(`INSERT INTO ${table} SELECT ${spec.columns.map(fromText).join(', ')}
      FROM read_json('${json}', format = 'newline_delimited', columns = {${columns}})`);
  }
  const codec = spec.options.codec === 'lz4' ? 'lz4_raw' : spec.options.codec;
  // DuckDB 1.5.6's dictionary merges -0.0 and +0.0 into whichever came first (our writer keeps
  // them apart: readers.test.mjs checks), so the edge values go to DuckDB's PLAIN pages.
  const plain = spec.values === 'edges' ? ', DICTIONARY_SIZE_LIMIT 0' : '';
  await duck.connection.run(`COPY ${table} TO '${out}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${spec.options.max_row_group_rows}${plain})`);
  await duck.connection.run(`DROP TABLE ${table}`);
}

for (const name of sample) {
  const expectedFile = path.join(dir, `${name}.expected.json`);
  test(`control: DuckDB's copy of ${name}`, async (t) => {
    assert.ok(existsSync(expectedFile), `${expectedFile} exists`);
    const spec = JSON.parse(readFileSync(expectedFile, 'utf8'));
    const file = path.join(controlDir, spec.file);
    const label = `duckdb-control/${spec.file}`;
    await writeWithDuckDB(spec, file);
    const { ab, metadata } = hyparquetMetadata(file);
    assert.match(metadata.created_by, /^DuckDB/);
    let arrowSchema;

    await t.test('DuckDB reads every value', async () => {
      noProblems(compareColumns('duckdb', label, spec.columns, await readDuckDB(duck, file, spec.columns)));
    });
    await t.test('parquet-wasm reads every value', async () => {
      const { values, schema } = await readParquetWasm(file, spec.columns);
      arrowSchema = schema;
      noProblems(compareColumns('parquet-wasm', label, spec.columns, values));
    });
    await t.test('hyparquet reads every value', async () => {
      noProblems(compareColumns('hyparquet', label, spec.columns, (await readHyparquet(file, spec.columns)).values));
    });
    // DuckDB writes NOT NULL columns as OPTIONAL and INT16/STRING/DATE without a logical type.
    const lenient = { repetition: false, logical: false };
    await t.test('the type checks pass', async () => {
      noProblems([
        ...await checkTypes(duck, file, label, spec.columns, lenient),
        ...checkArrowSchema(arrowSchema, label, spec.columns, lenient),
        ...checkHyparquetSchema(metadata, label, spec.columns, lenient),
      ]);
    });
    await t.test('the statistics checks pass', async () => {
      noProblems([
        ...checkChunkStatistics(metadata, label, spec.columns, { nanMayDropMinMax: true }),
        ...await checkDuckDBStatistics(duck, file, label, spec.columns),
      ]);
    });
    const indexed = metadata.row_groups.some((rg) => rg.columns.some((ch) => ch.column_index_offset !== undefined));
    await t.test('the page index checks pass', { skip: !indexed && 'DuckDB wrote no page index' }, () => {
      noProblems(checkPageIndex(ab, metadata, label, spec.columns));
    });
  });
}

// arrow-rs writes a page index: rewrite two of DuckDB's copies with small pages, so the page
// index checks run on a file we did not write.
for (const name of ['zstd-edges-dictionary-many-groups', 'zstd-plain-many-groups']) {
  test(`control: arrow-rs's copy of ${name}, with a page index`, async (t) => {
    const spec = JSON.parse(readFileSync(path.join(dir, `${name}.expected.json`), 'utf8'));
    const source = path.join(controlDir, spec.file);
    if (!existsSync(source)) await writeWithDuckDB(spec, source);
    const file = path.join(controlDir, `arrow-rs-${spec.file}`);
    const label = `duckdb-control/arrow-rs-${spec.file}`;
    const pf = await ParquetFile.fromFile(await openAsBlob(source));
    const props = new WriterPropertiesBuilder().setCompression(Compression.ZSTD).setStatisticsEnabled(EnabledStatistics.Page)
      .setMaxRowGroupSize(spec.options.max_row_group_rows).setDataPageSizeLimit(512).setWriteBatchSize(64).build();
    writeFileSync(file, writeParquet(await pf.read(), props));
    pf.free();
    const { ab, metadata } = hyparquetMetadata(file);
    assert.ok(metadata.row_groups.every((rg) => rg.columns.every((ch) => ch.column_index_offset !== undefined)), 'arrow-rs wrote a page index');
    assert.ok(metadata.row_groups.some((rg) => rg.columns.some((ch) => ch.offset_index_length > 20)), 'with several pages per chunk');
    await t.test('the three readers read every value', async () => {
      noProblems([
        ...compareColumns('duckdb', label, spec.columns, await readDuckDB(duck, file, spec.columns)),
        ...compareColumns('parquet-wasm', label, spec.columns, (await readParquetWasm(file, spec.columns)).values),
        ...compareColumns('hyparquet', label, spec.columns, (await readHyparquet(file, spec.columns)).values),
      ]);
    });
    await t.test('the statistics and page index checks pass', () => {
      noProblems([...checkChunkStatistics(metadata, label, spec.columns), ...checkPageIndex(ab, metadata, label, spec.columns)]);
    });
  });
}
