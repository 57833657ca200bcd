// Every file of the interop matrix, read by three independent readers (DuckDB, arrow-rs via
// parquet-wasm, hyparquet), must hold exactly the values its .expected.json lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ParquetFile } from 'parquet-wasm';
import { tableFromIPC, Type } from 'apache-arrow';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const dir = process.env.SCOUT_MATRIX_DIR;
assert.ok(dir, 'SCOUT_MATRIX_DIR names the folder interop_write_matrix wrote');
const files = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort();
assert.ok(files.length >= 25, `the matrix has ${files.length} files`);

const duck = await (await DuckDBInstance.create(':memory:')).connect();
const kindOf = (type) => (type.startsWith('decimal') ? 'decimal' : type);

function sameFloat(kind, expected, got) {
  if (typeof expected === 'string') {
    const e = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[expected];
    return Number.isNaN(e) ? Number.isNaN(Number(got)) || got === 'NaN' : Number(got) === e || got === expected;
  }
  if (typeof got === 'string') got = Number(got);
  if (kind === 'float') return Math.fround(got) === Math.fround(expected);
  return Object.is(got, expected) || (got === expected);
}

function check(reader, file, column, row, kind, expected, got) {
  const where = `${reader}: ${file} column ${column.name} row ${row}`;
  if (expected === null) return assert.equal(got, null, `${where}: expected NULL, got ${got}`);
  assert.notEqual(got, null, `${where}: expected ${expected}, got NULL`);
  if (kind === 'float' || kind === 'double') {
    // -0.0 and 0.0 are the same value to JSON and to DuckDB's JSON output.
    const e = expected === 0 ? 0 : expected;
    return assert.ok(sameFloat(kind, e, got === 0 ? 0 : got), `${where}: expected ${expected}, got ${got}`);
  }
  if (kind === 'decimal' && reader === 'hyparquet') {
    // hyparquet reads decimals as JavaScript numbers: compare to double precision.
    const e = Number(expected);
    return assert.ok(Math.abs(got - e) <= Math.abs(e) * 4e-16 + 1e-12, `${where}: expected ${expected}, got ${got}`);
  }
  assert.equal(String(got), String(expected), `${where}`);
}

async function readDuckDB(file, spec) {
  const select = spec.columns.map((c) => {
    const k = kindOf(c.type), q = `"${c.name}"`;
    if (k === 'int64' || k === 'decimal') return `${q}::VARCHAR AS ${q}`;
    if (k === 'date') return `${q}::VARCHAR AS ${q}`;
    if (k === 'timestamp') return `epoch_us(${q})::VARCHAR AS ${q}`;
    if (k === 'binary') return `lower(hex(${q})) AS ${q}`;
    if (k === 'float') return `${q}::DOUBLE AS ${q}`;
    return q;
  }).join(', ');
  const rows = (await duck.runAndReadAll(`SELECT ${select} FROM read_parquet('${file}')`)).getRowObjectsJson();
  return (name, r) => rows[r][name];
}

function arrowValue(data, i) {
  const at = data.offset + i;
  if (data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length && !((data.nullBitmap[at >> 3] >> (at & 7)) & 1)) return null;
  const t = data.type;
  switch (t.typeId) {
    case Type.Bool: return Boolean((data.values[at >> 3] >> (at & 7)) & 1);
    case Type.Int: return t.bitWidth === 64 ? String(data.values[at]) : data.values[at];
    case Type.Float: return data.values[at];
    case Type.Decimal: {
      let v = 0n;
      for (let w = 3; w >= 0; --w) v = (v << 32n) | BigInt(data.values[at * 4 + w]);
      if (v >= 1n << 127n) v -= 1n << 128n;
      const neg = v < 0n, s = (neg ? -v : v).toString().padStart(t.scale + 1, '0');
      return (neg ? '-' : '') + (t.scale ? `${s.slice(0, -t.scale)}.${s.slice(-t.scale)}` : s);
    }
    case Type.Utf8:
    case Type.Binary: {
      const bytes = data.values.subarray(data.valueOffsets[at], data.valueOffsets[at + 1]);
      return t.typeId === Type.Utf8 ? new TextDecoder().decode(bytes) : Buffer.from(bytes).toString('hex');
    }
    case Type.Date: {
      const days = t.unit === 0 ? data.values[at] : Number(data.values[at]) / 86400000;
      return new Date(days * 86400000).toISOString().slice(0, 10).replace(/^\+0*(\d{4})/, '$1');
    }
    case Type.Timestamp: return String(data.values[at]);
    default: throw new Error(`parquet-wasm gave an unexpected Arrow type ${t}`);
  }
}

async function readParquetWasm(file, spec) {
  const pf = await ParquetFile.fromFile(await openAsBlob(file));
  const groups = spec.row_groups;
  const columns = new Map(spec.columns.map((c) => [c.name, []]));
  for (let g = 0; g < groups; ++g) {
    const table = tableFromIPC((await pf.read({ rowGroups: [g] })).intoIPCStream());
    for (const c of spec.columns) {
      const vec = table.getChild(c.name);
      assert.ok(vec, `parquet-wasm: ${file} has no column ${c.name}`);
      for (const data of vec.data) for (let i = 0; i < data.length; ++i) columns.get(c.name).push(arrowValue(data, i));
    }
  }
  return (name, r) => columns.get(name)[r];
}

async function readHyparquet(file, spec) {
  const buf = readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const meta = parquetMetadata(ab);
  const parsers = {
    timestampFromMilliseconds: (v) => v, timestampFromMicroseconds: (v) => String(v),
    timestampFromNanoseconds: (v) => v, dateFromDays: (d) => new Date(d * 86400000).toISOString().slice(0, 10).replace(/^\+0*(\d{4})/, '$1'),
    stringFromBytes: (b) => (b === undefined ? b : new TextDecoder().decode(b)),
  };
  const rows = [];
  let start = 0;
  for (const rg of meta.row_groups) {
    const n = Number(rg.num_rows);
    // utf8: false keeps un-annotated BYTE_ARRAY (binary) as bytes; STRING columns still decode.
    await parquetRead({ file: ab, metadata: meta, compressors, rowStart: start, rowEnd: start + n, parsers, utf8: false,
      onComplete: (part) => rows.push(...part) });
    start += n;
  }
  const index = new Map(spec.columns.map((c, i) => [c.name, i]));
  return (name, r) => {
    let v = rows[r][index.get(name)];
    if (v === undefined) v = null;
    if (typeof v === 'bigint') v = String(v);
    if (v instanceof Uint8Array) v = Buffer.from(v).toString('hex');
    return v;
  };
}

for (const f of files) {
  const spec = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
  const file = path.join(dir, spec.file);

  test(`${spec.file}: DuckDB, parquet-wasm and hyparquet read every value as written`, async () => {
    for (const [reader, read] of [['duckdb', readDuckDB], ['parquet-wasm', readParquetWasm], ['hyparquet', readHyparquet]]) {
      const get = await read(file, spec);
      for (const c of spec.columns) {
        const kind = kindOf(c.type);
        c.values.forEach((expected, r) => check(reader, spec.file, c, r, kind, expected, get(c.name, r)));
      }
    }
  });

  test(`${spec.file}: the footer says what was written`, async () => {
    const count = (await duck.runAndReadAll(`SELECT count(*)::INT AS n FROM read_parquet('${file}')`)).getRowObjectsJson()[0].n;
    assert.equal(count, spec.rows);
    const described = Object.fromEntries((await duck.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`))
      .getRowObjectsJson().map((r) => [r.column_name, r.column_type]));
    const want = { boolean: 'BOOLEAN', int16: 'SMALLINT', int32: 'INTEGER', int64: 'BIGINT', float: 'FLOAT', double: 'DOUBLE',
      'decimal(9,2)': 'DECIMAL(9,2)', 'decimal(18,4)': 'DECIMAL(18,4)', 'decimal(38,6)': 'DECIMAL(38,6)', string: 'VARCHAR',
      date: 'DATE', timestamp: 'TIMESTAMP WITH TIME ZONE', binary: 'BLOB' };
    for (const c of spec.columns) assert.equal(described[c.name], want[c.type], `DuckDB's type of ${c.name}`);
    const meta = (await duck.runAndReadAll(`SELECT created_by, num_rows::INT AS n, num_row_groups::INT AS g FROM parquet_file_metadata('${file}')`)).getRowObjectsJson()[0];
    assert.match(meta.created_by, /^scout-export version \d+\.\d+\.\d+/);
    assert.equal(meta.n, spec.rows);
    assert.equal(meta.g, spec.row_groups);
    const kv = (await duck.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${file}')`)).getRowObjectsJson();
    assert.deepEqual(kv, [{ k: 'scout.test', v: spec.file.replace('.parquet', '') }]);
    if (spec.file.includes('dict-fallback')) {
      // The dictionary outgrew its limit mid-chunk: the same chunk holds dictionary pages and,
      // after the fallback, DELTA_BINARY_PACKED pages (the smaller of PLAIN and DELTA here).
      const enc = await duck.runAndReadAll(`SELECT encodings FROM parquet_metadata('${file}') WHERE path_in_schema = 'int32_req' AND row_group_id = 0`);
      const encodings = enc.getRowObjectsJson()[0].encodings;
      assert.match(encodings, /RLE_DICTIONARY/);
      assert.match(encodings, /DELTA_BINARY_PACKED/);
    }
    // hyparquet sees chunk statistics and the page index for every chunk with rows.
    const buf = readFileSync(file);
    const hm = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    assert.equal(Number(hm.num_rows), spec.rows);
    for (const rg of hm.row_groups) {
      for (const chunk of rg.columns) {
        const md = chunk.meta_data;
        assert.ok(md.statistics && md.statistics.null_count !== undefined, `statistics of ${md.path_in_schema}`);
        assert.ok(chunk.offset_index_offset !== undefined, `offset index of ${md.path_in_schema}`);
      }
    }
  });
}
