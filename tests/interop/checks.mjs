// What the readers must see in a file's footer besides its values: types as each reader
// understood them, chunk statistics, the page index. Each check returns a list of problems
// (empty when all is well), each naming the file, the column, the reader, expected vs got.
import assert from 'node:assert/strict';
import { readColumnIndex, readOffsetIndex } from 'hyparquet';
import { Type, TimeUnit, DateUnit } from 'apache-arrow';
import { kindOf, scaleOf, expectedStats, decodeStatBytes, showKey, exactParsers } from './read_back.mjs';

// Per API type: Parquet physical type, converted type, logical type (as hyparquet parses it)
// and DuckDB's SQL type.
function parquetType(type) {
  const dec = /decimal\((\d+),(\d+)\)/.exec(type);
  if (dec) {
    const [p, s] = [Number(dec[1]), Number(dec[2])];
    const physical = p <= 9 ? 'INT32' : p <= 18 ? 'INT64' : 'FIXED_LEN_BYTE_ARRAY';
    const length = p > 18 ? minimalDecimalBytes(p) : undefined;
    return { physical, length, converted: 'DECIMAL', logical: { type: 'DECIMAL', precision: p, scale: s }, duck: `DECIMAL(${p},${s})`, p, s };
  }
  return {
    boolean: { physical: 'BOOLEAN', duck: 'BOOLEAN' },
    int16: { physical: 'INT32', converted: 'INT_16', logical: { type: 'INTEGER', bitWidth: 16, isSigned: true }, duck: 'SMALLINT' },
    int32: { physical: 'INT32', duck: 'INTEGER' },
    int64: { physical: 'INT64', duck: 'BIGINT' },
    float: { physical: 'FLOAT', duck: 'FLOAT' },
    double: { physical: 'DOUBLE', duck: 'DOUBLE' },
    string: { physical: 'BYTE_ARRAY', converted: 'UTF8', logical: { type: 'STRING' }, duck: 'VARCHAR' },
    date: { physical: 'INT32', converted: 'DATE', logical: { type: 'DATE' }, duck: 'DATE' },
    timestamp: { physical: 'INT64', converted: 'TIMESTAMP_MICROS', logical: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' }, duck: 'TIMESTAMP WITH TIME ZONE' },
    binary: { physical: 'BYTE_ARRAY', duck: 'BLOB' },
  }[type];
}

function minimalDecimalBytes(precision) {
  let n = 1;
  while (2n ** BigInt(8 * n - 1) - 1n < 10n ** BigInt(precision) - 1n) ++n;
  return n;
}

// DuckDB's parquet_schema() logical_type text, e.g. "IntType(bitWidth=\x10, isSigned=1)".
function duckLogical(text) {
  if (!text) return undefined;
  let m = /^IntType\(bitWidth=(.), isSigned=(\d)\)$/s.exec(text);
  if (m) return { type: 'INTEGER', bitWidth: m[1].charCodeAt(0), isSigned: m[2] === '1' };
  m = /^DecimalType\(scale=(\d+), precision=(\d+)\)$/.exec(text);
  if (m) return { type: 'DECIMAL', precision: Number(m[2]), scale: Number(m[1]) };
  m = /^TimestampType\(isAdjustedToUTC=(\d), unit=TimeUnit\((.*)\)\)$/.exec(text);
  if (m) {
    const unit = /MICROS=MicroSeconds\(\)/.test(m[2]) ? 'MICROS' : /MILLIS=MilliSeconds\(\)/.test(m[2]) ? 'MILLIS' : 'NANOS';
    return { type: 'TIMESTAMP', isAdjustedToUTC: m[1] === '1', unit };
  }
  if (text === 'DateType()') return { type: 'DATE' };
  if (text === 'StringType()') return { type: 'STRING' };
  return { type: text };
}

const sameLogical = (want, got) => !want || (got && Object.keys(want).every((k) => want[k] === got[k]));

// Options: `repetition` checks REQUIRED/OPTIONAL; `logical` requires the logical type where the
// converted type alone would do (other writers, DuckDB among them, write only the latter).
const logicalText = (l) => (l ? JSON.stringify(l) : 'none');

export async function checkTypes(duck, file, label, columns, { repetition = true, logical = true } = {}) {
  const problems = [];
  const described = Object.fromEntries((await duck.rows(`DESCRIBE SELECT * FROM read_parquet('${file}')`))
    .map((r) => [r.column_name, r.column_type]));
  const schema = Object.fromEntries((await duck.rows(`SELECT * FROM parquet_schema('${file}')`)).map((r) => [r.name, r]));
  for (const c of columns) {
    const want = parquetType(c.type);
    const s = schema[c.name];
    const where = `duckdb: ${label} column ${c.name} (${c.type})`;
    if (described[c.name] !== want.duck) problems.push(`${where}: SQL type expected ${want.duck}, got ${described[c.name]}`);
    if (!s) { problems.push(`${where}: not in parquet_schema()`); continue; }
    if (s.type !== want.physical) problems.push(`${where}: physical type expected ${want.physical}, got ${s.type}`);
    if (want.length && Number(s.type_length) !== want.length) problems.push(`${where}: type_length expected ${want.length}, got ${s.type_length}`);
    if (want.converted && s.converted_type !== want.converted) problems.push(`${where}: converted type expected ${want.converted}, got ${s.converted_type}`);
    if ((logical || s.logical_type) && !sameLogical(want.logical, duckLogical(s.logical_type))) problems.push(`${where}: logical type expected ${logicalText(want.logical)}, got ${s.logical_type}`);
    if (want.p && (Number(s.precision) !== want.p || Number(s.scale) !== want.s)) problems.push(`${where}: SchemaElement precision/scale expected ${want.p}/${want.s}, got ${s.precision}/${s.scale}`);
    const rep = c.nullable ? 'OPTIONAL' : 'REQUIRED';
    if (repetition && s.repetition_type !== rep) problems.push(`${where}: repetition expected ${rep}, got ${s.repetition_type}`);
  }
  return problems;
}

function arrowTypeProblem(type, t) {
  const dec = /decimal\((\d+),(\d+)\)/.exec(type);
  if (dec) return t.typeId === Type.Decimal && t.precision === Number(dec[1]) && t.scale === Number(dec[2]) ? null : `Decimal(${dec[1]},${dec[2]})`;
  const ok = {
    boolean: () => t.typeId === Type.Bool,
    int16: () => t.typeId === Type.Int && t.bitWidth === 16 && t.isSigned,
    int32: () => t.typeId === Type.Int && t.bitWidth === 32 && t.isSigned,
    int64: () => t.typeId === Type.Int && t.bitWidth === 64 && t.isSigned,
    float: () => t.typeId === Type.Float && t.precision === 1,
    double: () => t.typeId === Type.Float && t.precision === 2,
    string: () => t.typeId === Type.Utf8 || t.typeId === Type.LargeUtf8,
    binary: () => t.typeId === Type.Binary || t.typeId === Type.LargeBinary,
    date: () => t.typeId === Type.Date && t.unit === DateUnit.DAY,
    timestamp: () => t.typeId === Type.Timestamp && t.unit === TimeUnit.MICROSECOND && ['UTC', '+00:00'].includes(t.timezone),
  }[type];
  return ok() ? null : { int16: 'Int16', timestamp: 'Timestamp(MICROSECOND, UTC)', date: 'Date32' }[type] ?? type;
}

export function checkArrowSchema(schema, label, columns, { repetition = true } = {}) {
  const problems = [];
  for (const c of columns) {
    const f = schema?.fields.find((x) => x.name === c.name);
    const where = `parquet-wasm: ${label} column ${c.name} (${c.type})`;
    if (!f) { problems.push(`${where}: not in the Arrow schema`); continue; }
    const want = arrowTypeProblem(c.type, f.type);
    if (want) problems.push(`${where}: Arrow type expected ${want}, got ${f.type}`);
    if (repetition && f.nullable !== c.nullable) problems.push(`${where}: nullable expected ${c.nullable}, got ${f.nullable}`);
  }
  return problems;
}

export function checkHyparquetSchema(meta, label, columns, { repetition = true, logical = true } = {}) {
  const problems = [];
  for (const c of columns) {
    const el = meta.schema.find((x) => x.name === c.name);
    const want = parquetType(c.type);
    const where = `hyparquet: ${label} column ${c.name} (${c.type})`;
    if (!el) { problems.push(`${where}: not in the schema`); continue; }
    if (el.type !== want.physical) problems.push(`${where}: physical type expected ${want.physical}, got ${el.type}`);
    if (want.length && el.type_length !== want.length) problems.push(`${where}: type_length expected ${want.length}, got ${el.type_length}`);
    if (want.converted && el.converted_type !== want.converted) problems.push(`${where}: converted type expected ${want.converted}, got ${el.converted_type}`);
    if ((logical || el.logical_type) && !sameLogical(want.logical, el.logical_type)) problems.push(`${where}: logical type expected ${logicalText(want.logical)}, got ${logicalText(el.logical_type)}`);
    if (want.p && (el.precision !== want.p || el.scale !== want.s)) problems.push(`${where}: precision/scale expected ${want.p}/${want.s}, got ${el.precision}/${el.scale}`);
    const rep = c.nullable ? 'OPTIONAL' : 'REQUIRED';
    if (repetition && el.repetition_type !== rep) problems.push(`${where}: repetition expected ${rep}, got ${el.repetition_type}`);
  }
  return problems;
}

// hyparquet converts statistics with the column's annotations (with exactParsers: dates as
// days, timestamps as BigInt micros, byte arrays as hex; decimals as doubles, the only lossy
// one, compared the way hyparquet computes them).
function hyparquetStatKey(kind, type, key) {
  if (key === undefined) return undefined;
  if (kind === 'decimal') return Number(key) * 10 ** -scaleOf(type);
  return key;
}

function sameKey(want, got) {
  return Object.is(want, got) || (typeof want === 'bigint' && typeof got === 'bigint' && want === got);
}

// Byte-array bounds (hex) may be cut (the notes, PageIndex.md): a min to a prefix of the real
// min; a max to a prefix whose last byte is then incremented, so it stays >= the real max.
function acceptableBound(side, kind, want, got) {
  if (sameKey(want, got)) return true;
  if (!['string', 'binary'].includes(kind) || typeof got !== 'string' || got.length >= want.length) return false;
  if (side === 'min') return want.startsWith(got);
  const head = got.slice(0, -2);
  return want.startsWith(head) && parseInt(got.slice(-2), 16) > parseInt(want.slice(head.length, head.length + 2), 16);
}

// Rows of each row group, from the file's own row group sizes.
function groupRanges(meta) {
  let start = 0;
  return meta.row_groups.map((rg) => {
    const range = [start, start + Number(rg.num_rows)];
    start = range[1];
    return range;
  });
}

// `nanMayDropMinMax`: a writer may leave min/max out of a float chunk holding NaN (DuckDB does;
// the notes ask ours to leave only NaN out).
export function checkChunkStatistics(meta, label, columns, { nanMayDropMinMax = false } = {}) {
  const problems = [];
  groupRanges(meta).forEach(([a, b], g) => {
    for (const c of columns) {
      const kind = kindOf(c.type);
      const chunk = meta.row_groups[g].columns.find((x) => x.meta_data.path_in_schema.join('.') === c.name);
      const where = `hyparquet: ${label} row group ${g} column ${c.name} (${c.type}) statistics`;
      const stats = chunk?.meta_data.statistics;
      if (!stats) { problems.push(`${where}: none`); continue; }
      const want = expectedStats(kind, c.values.slice(a, b));
      if (stats.null_count === undefined || Number(stats.null_count) !== want.nulls) {
        problems.push(`${where}: null_count expected ${want.nulls}, got ${stats.null_count}`);
      }
      const hasNaN = c.values.slice(a, b).includes('NaN');
      for (const side of ['min', 'max']) {
        const w = hyparquetStatKey(kind, c.type, want[side]);
        const got = stats[`${side}_value`];
        if (nanMayDropMinMax && hasNaN && got === undefined) continue;
        if (!acceptableBound(side, kind, w, got)) problems.push(`${where}: ${side}_value expected ${showKey(w)}, got ${showKey(got)}`);
      }
    }
  });
  return problems;
}

// DuckDB's parquet_metadata() prints statistics with the column's type: exact for integers,
// decimals, dates, strings and booleans (the kinds compared here).
export async function checkDuckDBStatistics(duck, file, label, columns) {
  const problems = [];
  const rows = await duck.rows(`SELECT row_group_id::INT AS g, path_in_schema AS p, row_group_num_rows::BIGINT AS n,
      stats_min_value AS lo, stats_max_value AS hi, stats_null_count::BIGINT AS nulls FROM parquet_metadata('${file}')`);
  const starts = [];
  for (const r of rows) starts[r.g] = Number(r.n);
  const offsets = [0];
  for (let g = 0; g < starts.length; ++g) offsets.push(offsets[g] + starts[g]);
  for (const r of rows) {
    const c = columns.find((x) => x.name === r.p);
    if (!c) continue;
    const kind = kindOf(c.type);
    const values = c.values.slice(offsets[r.g], offsets[r.g + 1]);
    const where = `duckdb: ${label} row group ${r.g} column ${c.name} (${c.type}) parquet_metadata`;
    const nulls = values.filter((v) => v === null).length;
    if (Number(r.nulls) !== nulls) problems.push(`${where}: stats_null_count expected ${nulls}, got ${r.nulls}`);
    if (!['boolean', 'int16', 'int32', 'int64', 'decimal', 'date', 'string'].includes(kind)) continue;
    const want = expectedStats(kind, values);
    const text = (key) => {
      if (key === undefined) return null;
      const v = values.find((x) => x !== null && expectedStats(kind, [x]).min === key);
      return String(v);
    };
    if (r.lo !== text(want.min)) problems.push(`${where}: stats_min_value expected ${text(want.min)}, got ${r.lo}`);
    if (r.hi !== text(want.max)) problems.push(`${where}: stats_max_value expected ${text(want.max)}, got ${r.hi}`);
  }
  return problems;
}

// The page index (PageIndex.md) read by hyparquet: where the chunk points, whether the
// offset index tiles the chunk's data pages exactly, and whether every page's min, max, null
// count and null flag match the rows the offset index says the page holds.
export function checkPageIndex(ab, meta, label, columns, { maxPageRows } = {}) {
  const problems = [];
  groupRanges(meta).forEach(([a, b], g) => {
    for (const c of columns) {
      const chunk = meta.row_groups[g].columns.find((x) => x.meta_data.path_in_schema.join('.') === c.name);
      const where = `hyparquet: ${label} row group ${g} column ${c.name} (${c.type})`;
      if (chunk.offset_index_offset === undefined) {
        problems.push(`${where}: no offset index (column_index_offset ${chunk.column_index_offset})`);
        continue;
      }
      const slice = (off, len) => ({ view: new DataView(ab, Number(off), Number(len)), offset: 0 });
      let pages, columnIndex;
      try {
        pages = readOffsetIndex(slice(chunk.offset_index_offset, chunk.offset_index_length)).page_locations;
        // A FIXED_LEN_BYTE_ARRAY element makes hyparquet hand back the stored bytes.
        if (chunk.column_index_offset !== undefined) {
          columnIndex = readColumnIndex(slice(chunk.column_index_offset, chunk.column_index_length),
            { type: 'FIXED_LEN_BYTE_ARRAY', name: c.name }, exactParsers);
        }
      } catch (e) {
        problems.push(`${where}: page index unreadable: ${e.message}`);
        continue;
      }
      const before = problems.length;
      problems.push(...checkOffsetIndex(where, chunk.meta_data, pages, b - a, maxPageRows));
      if (problems.length > before) continue;
      const bounds = [...pages.map((p) => Number(p.first_row_index)), b - a];
      const pageValues = pages.map((_, i) => c.values.slice(a + bounds[i], a + bounds[i + 1]));
      if (!columnIndex) {
        // A page of only NaN has no min/max a ColumnIndex could hold: leaving the column index
        // out is then what Arrow does too. Any other chunk must have one.
        const nanPage = pageValues.some((v) => v.some((x) => x !== null) && v.every((x) => x === null || x === 'NaN'));
        if (!nanPage) problems.push(`${where}: no column index (offset index at ${chunk.offset_index_offset})`);
        continue;
      }
      problems.push(...checkColumnIndex(where, kindOf(c.type), chunk.meta_data.type, columnIndex, pageValues, bounds));
    }
  });
  return problems;
}

function checkOffsetIndex(where, md, pages, rows, maxPageRows) {
  const problems = [];
  if (!pages.length) return [`${where}: offset index lists no pages`];
  const starts = pages.map((p) => Number(p.first_row_index));
  const end = (p) => Number(p.offset) + p.compressed_page_size;
  if (starts[0] !== 0) problems.push(`${where}: first page's first_row_index is ${starts[0]}, not 0`);
  for (let i = 1; i < pages.length; ++i) {
    if (!(starts[i] > starts[i - 1] && starts[i] < rows)) {
      problems.push(`${where}: page ${i} first_row_index ${starts[i]} after ${starts[i - 1]} in a group of ${rows} rows`);
    }
    if (end(pages[i - 1]) !== Number(pages[i].offset)) {
      problems.push(`${where}: page ${i - 1} ends at ${end(pages[i - 1])} but page ${i} starts at ${pages[i].offset}`);
    }
  }
  if (Number(pages[0].offset) !== Number(md.data_page_offset)) {
    problems.push(`${where}: first page at ${pages[0].offset}, data_page_offset ${md.data_page_offset}`);
  }
  const chunkStart = Number(md.dictionary_page_offset ?? md.data_page_offset);
  const chunkEnd = chunkStart + Number(md.total_compressed_size);
  if (end(pages[pages.length - 1]) !== chunkEnd) {
    problems.push(`${where}: last page ends at ${end(pages[pages.length - 1])}, chunk ends at ${chunkEnd} ` +
      `(start ${chunkStart} + total_compressed_size ${md.total_compressed_size})`);
  }
  const bounds = [...starts, rows];
  for (let i = 0; maxPageRows && i < pages.length; ++i) {
    const n = bounds[i + 1] - bounds[i];
    if (n > maxPageRows) problems.push(`${where}: page ${i} holds ${n} rows, max_page_rows is ${maxPageRows}`);
  }
  return problems;
}

function checkColumnIndex(where, kind, physical, ci, pageValues, bounds) {
  const n = pageValues.length;
  const lists = [['null_pages', ci.null_pages], ['min_values', ci.min_values], ['max_values', ci.max_values],
    ['null_counts', ci.null_counts ?? Array(n)]];
  const wrong = lists.filter(([, list]) => list?.length !== n);
  if (wrong.length) return wrong.map(([name, list]) => `${where}: column index ${name} has ${list?.length} entries for ${n} pages`);
  const problems = [];
  const mins = [], maxs = [];
  pageValues.forEach((values, i) => {
    const want = expectedStats(kind, values);
    const allNull = values.every((v) => v === null);
    const pw = `${where} page ${i} (rows ${bounds[i]}..${bounds[i + 1] - 1})`;
    if (ci.null_pages[i] !== allNull) problems.push(`${pw}: null_pages expected ${allNull}, got ${ci.null_pages[i]}`);
    if (ci.null_counts && Number(ci.null_counts[i]) !== want.nulls) {
      problems.push(`${pw}: null_counts expected ${want.nulls}, got ${ci.null_counts[i]}`);
    }
    if (allNull) {
      if (ci.min_values[i].length || ci.max_values[i].length) {
        problems.push(`${pw}: an all-null page has min/max of ${ci.min_values[i].length}/${ci.max_values[i].length} bytes, expected empty`);
      }
      return;
    }
    if (want.min === undefined) return;  // only NaN: nothing to compare
    const lo = decodeStatBytes(kind, physical, ci.min_values[i]);
    const hi = decodeStatBytes(kind, physical, ci.max_values[i]);
    if (!acceptableBound('min', kind, want.min, lo)) problems.push(`${pw}: min expected ${showKey(want.min)}, got ${showKey(lo)}`);
    if (!acceptableBound('max', kind, want.max, hi)) problems.push(`${pw}: max expected ${showKey(want.max)}, got ${showKey(hi)}`);
    mins.push(lo);
    maxs.push(hi);
  });
  const ordered = (list, dir) => list.every((v, i) => i === 0 || (dir > 0 ? !(v < list[i - 1]) : !(v > list[i - 1])));
  if (ci.boundary_order === 'ASCENDING' && !(ordered(mins, 1) && ordered(maxs, 1))) {
    problems.push(`${where}: boundary_order ASCENDING but the page bounds are not`);
  }
  if (ci.boundary_order === 'DESCENDING' && !(ordered(mins, -1) && ordered(maxs, -1))) {
    problems.push(`${where}: boundary_order DESCENDING but the page bounds are not`);
  }
  return problems;
}

// Fails with every problem found, one per line (each is a finding for the writer).
export function noProblems(problems) {
  if (problems.length) assert.fail(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
}
