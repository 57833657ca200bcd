// The three independent readers of the interop suite, each normalised to the reader-neutral
// form of <name>.expected.json (see write_matrix.cc), and the comparisons the tests share.
// Readers: DuckDB (@duckdb/node-api), arrow-rs (parquet-wasm, through apache-arrow IPC) and
// hyparquet (with hyparquet-compressors). Nothing here knows how our writer works.
import { openAsBlob, readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { ParquetFile } from 'parquet-wasm';
import { tableFromIPC, Type, TimeUnit, DateUnit } from 'apache-arrow';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

export const kindOf = (type) => (type.startsWith('decimal') ? 'decimal' : type);
export const scaleOf = (type) => Number(/decimal\(\d+,(\d+)\)/.exec(type)?.[1] ?? 0);
const isFloat = (kind) => kind === 'float' || kind === 'double';

export async function openDuckDB() {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  return {
    connection,
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson(),
  };
}

export function arrayBufferOf(file) {
  const buf = readFileSync(file);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

// ---- the expected form -------------------------------------------------------------------

// 'YYYY-MM-DD' for days since 1970-01-01 (years 1..9999, what the matrix writes).
export function dateText(days) {
  const d = new Date(days * 86400000);
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) return `out-of-range-date(${days})`;
  const p = (n, w) => String(n).padStart(w, '0');
  return `${p(y, 4)}-${p(d.getUTCMonth() + 1, 2)}-${p(d.getUTCDate(), 2)}`;
}

const daysCache = new Map();
export function daysOf(text) {
  let days = daysCache.get(text);
  if (days === undefined) daysCache.set(text, (days = computeDays(text)));
  return days;
}

function computeDays(text) {
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);  // Date.UTC would read years 0..99 as 1900..1999
  return Math.round(date.getTime() / 86400000);
}

export function decimalText(unscaled, scale) {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

// A float as the expected form writes it: a number (sign of zero kept) or a non-finite name.
export function floatForm(kind, v) {
  if (typeof v === 'string') return v;
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return kind === 'float' ? Math.fround(v) : v;
}

export function sameValue(kind, expected, got) {
  if (expected === null || got === null) return expected === got;
  if (isFloat(kind)) return Object.is(floatForm(kind, expected), floatForm(kind, got));
  return expected === got;
}

const show = (v) => {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return show(`bytes:${Buffer.from(v).toString('hex')}`);
  if (v === undefined) return 'absent';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 60)}…(${text.length} chars)…${text.slice(-12)}` : text;
};

// Compares every value of every column; returns one line per disagreeing column, naming the
// reader, the file, the column, how many rows differ and the first few of them.
export function compareColumns(reader, file, columns, got, { rowOffset = 0, rows } = {}) {
  const problems = [];
  for (const c of columns) {
    const kind = kindOf(c.type);
    const values = got.get(c.name);
    const expected = rows ? c.values.slice(rows[0], rows[1]) : c.values;
    if (!values) {
      problems.push(`${reader}: ${file} column ${c.name}: column missing`);
      continue;
    }
    const bad = [];
    const n = Math.max(values.length, expected.length);
    for (let r = 0; r < n; ++r) {
      const e = r < expected.length ? expected[r] : '<no such row>';
      const g = r < values.length ? values[r] : '<no such row>';
      if (!sameValue(kind, e, g)) bad.push(`row ${r + rowOffset}: expected ${show(e)}, got ${show(g)}`);
    }
    if (bad.length) {
      problems.push(`${reader}: ${file} column ${c.name} (${c.type}): ${bad.length} of ${n} rows differ; ` +
        bad.slice(0, 3).join('; '));
    }
  }
  return problems;
}

// ---- DuckDB --------------------------------------------------------------------------------

function duckFloat(text) {
  if (text === null) return null;
  return { nan: NaN, inf: Infinity, '-inf': -Infinity, '-nan': NaN }[text.toLowerCase()] ?? Number(text);
}

// SQL casts to text where JSON would lose precision or sign: BIGINT, DECIMAL, FLOAT (shortest
// round-trip text), TIMESTAMP (epoch microseconds), BLOB (hex).
export async function readDuckDB(duck, file, columns) {
  const select = columns.map((c) => {
    const k = kindOf(c.type), q = `"${c.name}"`;
    if (k === 'int64' || k === 'decimal' || k === 'date' || isFloat(k)) return `${q}::VARCHAR AS ${q}`;
    if (k === 'timestamp') return `epoch_us(${q})::VARCHAR AS ${q}`;
    if (k === 'binary') return `lower(hex(${q})) AS ${q}`;
    return q;
  });
  const rows = await duck.rows(`SELECT ${select.join(', ')} FROM read_parquet('${file}', file_row_number = true)
    ORDER BY file_row_number`);
  const out = new Map();
  for (const c of columns) {
    const k = kindOf(c.type);
    out.set(c.name, rows.map((row) => (isFloat(k) ? duckFloat(row[c.name]) : row[c.name] ?? null)));
  }
  return out;
}

// ---- parquet-wasm (arrow-rs) ---------------------------------------------------------------

function arrowValue(data, i) {
  const at = data.offset + i;
  if (data.nullBitmap && data.nullBitmap.length && !((data.nullBitmap[at >> 3] >> (at & 7)) & 1)) return null;
  const t = data.type;
  switch (t.typeId) {
    case Type.Bool: return Boolean((data.values[at >> 3] >> (at & 7)) & 1);
    case Type.Int: return t.bitWidth === 64 ? String(data.values[at]) : data.values[at];
    case Type.Float: return data.values[at];
    case Type.Decimal: {
      const words = t.bitWidth / 32;
      let v = 0n;
      for (let w = words - 1; w >= 0; --w) v = (v << 32n) | BigInt(data.values[at * words + w]);
      if (v >= 1n << BigInt(t.bitWidth - 1)) v -= 1n << BigInt(t.bitWidth);
      return decimalText(v, t.scale);
    }
    case Type.Utf8:
    case Type.Binary: {
      const bytes = data.values.subarray(data.valueOffsets[at], data.valueOffsets[at + 1]);
      return t.typeId === Type.Utf8 ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : Buffer.from(bytes).toString('hex');
    }
    case Type.Date: return dateText(t.unit === DateUnit.DAY ? data.values[at] : Number(data.values[at]) / 86400000);
    case Type.Timestamp: return t.unit === TimeUnit.MICROSECOND ? String(data.values[at]) : `unit ${t.unit}: ${data.values[at]}`;
    default: return `unexpected Arrow type ${t}`;
  }
}

function arrowColumns(table, columns, out) {
  for (const c of columns) {
    const vec = table.getChild(c.name);
    if (!vec) continue;
    const values = out.get(c.name) ?? [];
    for (const data of vec.data) for (let i = 0; i < data.length; ++i) values.push(arrowValue(data, i));
    out.set(c.name, values);
  }
}

// One read per row group, as a query engine reads; `window` reads [offset, offset + limit) of
// one row group instead (arrow-rs then selects rows inside the group).
export async function readParquetWasm(file, columns, window) {
  const pf = await ParquetFile.fromFile(await openAsBlob(file));
  const out = new Map();
  let schema;
  const groups = pf.metadata().numRowGroups();
  const reads = window ? [{ rowGroups: [window.group], offset: window.offset, limit: window.limit }]
    : groups ? Array.from({ length: groups }, (_, g) => ({ rowGroups: [g] })) : [{}];
  for (const options of reads) {
    const table = tableFromIPC((await pf.read(options)).intoIPCStream());
    schema ??= table.schema;
    arrowColumns(table, columns, out);
  }
  pf.free();
  return { values: out, schema, groups };
}

// ---- hyparquet -----------------------------------------------------------------------------

// Parsers that keep values exact: dates as days, timestamps as BigInt microseconds (a
// millisecond or nanosecond unit shows up as a tagged string), byte arrays as hex.
export const exactParsers = {
  dateFromDays: (days) => days,
  timestampFromMilliseconds: (v) => `millis:${v}`,
  timestampFromMicroseconds: (v) => BigInt(v),
  timestampFromNanoseconds: (v) => `nanos:${v}`,
  stringFromBytes: (b) => (b === undefined ? b : Buffer.from(b).toString('hex')),
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

// hyparquet turns DECIMAL into a JavaScript number (a double): exact comparison needs the
// unscaled integers, so the decimal annotation is taken off a copy of the schema and the
// scale applied here. Every other type goes through hyparquet's own conversion.
function rawDecimalMetadata(meta) {
  return {
    ...meta,
    schema: meta.schema.map((el) => (el.converted_type === 'DECIMAL' || el.logical_type?.type === 'DECIMAL'
      ? { ...el, converted_type: undefined, logical_type: undefined } : el)),
  };
}

function hyparquetValue(kind, type, v) {
  if (v === undefined || v === null) return null;
  switch (kind) {
    case 'int64': return typeof v === 'bigint' ? String(v) : `not a bigint: ${v}`;
    case 'decimal': {
      let unscaled;
      if (v instanceof Uint8Array) {
        unscaled = 0n;
        for (const b of v) unscaled = (unscaled << 8n) | BigInt(b);
        if (v.length && v[0] & 0x80) unscaled -= 1n << BigInt(8 * v.length);
      } else {
        unscaled = BigInt(v);
      }
      return decimalText(unscaled, scaleOf(type));
    }
    case 'date': return typeof v === 'number' ? dateText(v) : `not days: ${v}`;
    case 'timestamp': return typeof v === 'bigint' ? String(v) : String(v);
    case 'string': return typeof v === 'string' ? utf8.decode(Buffer.from(v, 'hex')) : `not bytes: ${v}`;
    case 'binary': return v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'string' ? v : `not bytes: ${v}`;
    default: return v;
  }
}

// The footer as hyparquet parses it (statistics converted with exactParsers).
export function hyparquetMetadata(file) {
  const ab = arrayBufferOf(file);
  return { ab, metadata: parquetMetadata(ab, { parsers: exactParsers }) };
}

// One parquetRead per row group (over a whole file hyparquet prefetches every chunk), or one
// row range with the offset index (`useOffsetIndex`: only the pages that hold the rows).
export async function readHyparquet(file, columns, range) {
  const ab = arrayBufferOf(file);
  const meta = parquetMetadata(ab, { parsers: exactParsers });
  const raw = rawDecimalMetadata(meta);
  const rows = [];
  const ranges = [];
  if (range) {
    ranges.push(range);
  } else {
    let start = 0;
    for (const rg of meta.row_groups) {
      ranges.push([start, start + Number(rg.num_rows)]);
      start += Number(rg.num_rows);
    }
  }
  for (const [rowStart, rowEnd] of ranges) {
    await parquetRead({
      file: ab, metadata: raw, compressors, rowStart, rowEnd, parsers: exactParsers, utf8: false,
      useOffsetIndex: Boolean(range), onComplete: (part) => { for (const row of part) rows.push(row); },
    });
  }
  const names = raw.schema.slice(1).map((el) => el.name);
  const out = new Map();
  for (const c of columns) {
    const at = names.indexOf(c.name);
    if (at < 0) continue;
    out.set(c.name, rows.map((row) => hyparquetValue(kindOf(c.type), c.type, row[at])));
  }
  return { values: out, metadata: meta };
}

// ---- statistics in the expected form -------------------------------------------------------

// A value as a sort key in its Parquet order: signed for integers and decimals, IEEE for
// floats, unsigned bytes (as hex, which sorts the same) for strings and binaries.
export function sortKey(kind, v) {
  switch (kind) {
    case 'int64': case 'timestamp': return BigInt(v);
    case 'decimal': return BigInt(v.replace('.', ''));
    case 'date': return daysOf(v);
    case 'string': return Buffer.from(v, 'utf8').toString('hex');
    case 'float': case 'double': return typeof v === 'string' ? { NaN, Infinity, '-Infinity': -Infinity }[v] : v;
    default: return v;
  }
}

// What a writer must put in statistics for these values (parquet.thrift and the notes): NaN left
// out, no min/max when nothing is left, a zero min as -0.0 and a zero max as +0.0.
export function expectedStats(kind, values) {
  let min, max, nulls = 0;
  for (const v of values) {
    if (v === null) { ++nulls; continue; }
    const k = sortKey(kind, v);
    if (isFloat(kind) && Number.isNaN(k)) continue;
    if (min === undefined || k < min) min = k;
    if (max === undefined || k > max) max = k;
  }
  if (isFloat(kind)) {
    if (min === 0) min = -0;
    if (max === 0) max = 0;
  }
  return { min, max, nulls };
}

// Decodes a statistics value as stored (PLAIN bytes, no length prefix) into a sort key.
export function decodeStatBytes(kind, physical, bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (physical) {
    case 'BOOLEAN': return bytes.length === 1 ? bytes[0] === 1 : `bad length ${bytes.length}`;
    case 'INT32': {
      if (bytes.length !== 4) return `bad length ${bytes.length}`;
      const v = view.getInt32(0, true);
      return kind === 'decimal' ? BigInt(v) : v;
    }
    case 'INT64': return bytes.length === 8 ? view.getBigInt64(0, true) : `bad length ${bytes.length}`;
    case 'FLOAT': return bytes.length === 4 ? view.getFloat32(0, true) : `bad length ${bytes.length}`;
    case 'DOUBLE': return bytes.length === 8 ? view.getFloat64(0, true) : `bad length ${bytes.length}`;
    case 'BYTE_ARRAY': return Buffer.from(bytes).toString('hex');
    case 'FIXED_LEN_BYTE_ARRAY': {
      let v = 0n;
      for (const b of bytes) v = (v << 8n) | BigInt(b);
      if (bytes.length && bytes[0] & 0x80) v -= 1n << BigInt(8 * bytes.length);
      return v;
    }
    default: return `unknown physical type ${physical}`;
  }
}

export const showKey = show;
