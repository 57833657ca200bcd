// The first rows of an exported file, read in the browser from its signed URL. Parquet is read
// by hyparquet through Range requests (the footer, then the first pages only); CSV and
// newline-delimited JSON by a Range of their first bytes, gunzipped by the browser when gzip.
import type { ExportedFile } from '../../clients/typescript/src/index.ts';

export interface Preview {
  columns: string[];
  rows: string[][];
  note: string;
}

const kTextPrefixBytes = 64 * 1024;

// A value as the preview shows it: dates as ISO dates, timestamps as ISO instants, the rest as text.
function cellText(value: unknown, type: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  if (typeof value === 'object') return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

async function parquetPreview(file: ExportedFile, schema: Record<string, string>, rowCount: number): Promise<Preview> {
  const { asyncBufferFromUrl, parquetReadObjects } = await import('hyparquet');
  const { compressors } = await import('./parquet_codecs.ts');
  // The size is known, so no HEAD request: every read is a Range of the file.
  const buffer = await asyncBufferFromUrl({ url: file.signed_url, byteLength: file.bytes });
  const objects = await parquetReadObjects({ file: buffer, rowEnd: rowCount, compressors });
  const columns = Object.keys(schema);
  return {
    columns,
    rows: objects.map((row) => columns.map((c) => cellText(row[c], schema[c]))),
    note: `The first ${objects.length} rows of ${file.path}, read in the browser from the Parquet file's footer and first pages.`,
  };
}

async function textPrefix(file: ExportedFile, compression: string): Promise<string | null> {
  if (compression !== 'none' && compression !== 'gzip') return null;
  // gzip cannot be cut at a byte offset and still be read to the end of a line: read it as a
  // stream and stop after the first 64 KiB of text.
  const response = await fetch(file.signed_url, compression === 'none' ? { headers: { Range: `bytes=0-${kTextPrefixBytes - 1}` } } : {});
  if (!response.ok || !response.body) throw new Error(`the file could not be read (HTTP ${response.status})`);
  let stream: ReadableStream<Uint8Array> = response.body;
  if (compression === 'gzip') stream = stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.length < kTextPrefixBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text;
}

// Lines that were read whole: the last one may have been cut by the Range.
function wholeLines(text: string, complete: boolean): string {
  if (complete) return text;
  const end = text.lastIndexOf('\n');
  return end < 0 ? '' : text.slice(0, end + 1);
}

async function csvPreview(file: ExportedFile, compression: string, schema: Record<string, string>, rowCount: number): Promise<Preview | null> {
  const text = await textPrefix(file, compression);
  if (text === null) return null;
  const Papa = (await import('papaparse')).default;
  const parsed = Papa.parse<string[]>(wholeLines(text, file.bytes <= kTextPrefixBytes && compression === 'none'), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  return {
    columns: header ?? Object.keys(schema),
    rows: rows.slice(0, rowCount),
    note: `The first ${Math.min(rows.length, rowCount)} rows of ${file.path}, read from the start of the file.`,
  };
}

async function jsonPreview(file: ExportedFile, compression: string, schema: Record<string, string>, rowCount: number): Promise<Preview | null> {
  const text = await textPrefix(file, compression);
  if (text === null || text.startsWith('[')) return null;
  const columns = Object.keys(schema);
  const rows = wholeLines(text, file.bytes <= kTextPrefixBytes && compression === 'none')
    .split('\n').filter((line) => line.trim()).slice(0, rowCount)
    .map((line) => {
      const object = JSON.parse(line) as Record<string, unknown>;
      return columns.map((c) => cellText(object[c], undefined));
    });
  return { columns, rows, note: `The first ${rows.length} rows of ${file.path}, read from the start of the file.` };
}

export async function previewFile(file: ExportedFile, format: string, compression: string,
                                  schema: Record<string, string>, rowCount: number): Promise<Preview | null> {
  if (format === 'parquet') return parquetPreview(file, schema, rowCount);
  if (format === 'csv') return csvPreview(file, compression, schema, rowCount);
  return jsonPreview(file, compression, schema, rowCount);
}
