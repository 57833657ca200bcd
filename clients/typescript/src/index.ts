// The Scout Export client: the calls of the Parquet export guide, plus job status, progress,
// cancellation and partitioned downloads. No runtime dependencies: the platform's fetch only,
// so it runs in Node 20+ and in browsers.

export type DatasetName =
  | 'daily_transactions' | 'store_rankings' | 'hourly_patterns'
  | 'payment_trends' | 'store_features' | 'ml_predictions';
export type ExportFormat = 'parquet' | 'csv' | 'json';
export type Compression = 'snappy' | 'gzip' | 'lz4' | 'brotli' | 'zstd' | 'uncompressed' | 'none';

export interface DateRange {
  start?: string;  // YYYY-MM-DD, inclusive
  end?: string;    // YYYY-MM-DD, inclusive
}

export interface ExportRequest {
  dataset: DatasetName | string;
  format?: ExportFormat;
  compression?: Compression;
  /**
   * gzip 1-9, zstd 1-22 (or -7..-1 for speed), brotli 1-11, lz4 1-12. Defaults: gzip 6, zstd 1
   * (3 for CSV/JSON), brotli 11 (the smallest file and the slowest; 5 is ~40x faster), lz4 1.
   */
  compression_level?: number;
  partition_by?: string;
  date_range?: DateRange;
  limit?: number;
  columns?: string[];
  max_file_size?: number;
  json_array?: boolean;
  /** Parquet only. v1 (default): PLAIN and dictionary pages only, which every reader takes
   *  (Spark 2 and 3.0-3.2 included); v2: also DELTA_BINARY_PACKED where smaller (DuckDB,
   *  pyarrow, Polars, Spark 3.3+). */
  parquet_version?: 'v1' | 'v2';
  async?: boolean;
}

export interface ExportedFile {
  path: string;
  file_path: string;
  rows: number;
  bytes: number;
  sha256: string;
  signed_url: string;
  partition?: Record<string, string>;
}

export interface ExportResult {
  export_id: string;
  file_path: string;
  file_size: number;
  row_count: number;
  schema: Record<string, string>;
  compression: string;
  /** The encodings a Parquet export was written with (see ExportRequest); null for CSV and JSON. */
  parquet_version: 'v1' | 'v2' | null;
  created_at: string;
  signed_url: string;
  format: ExportFormat;
  dataset: string;
  partition_by: string | null;
  files: ExportedFile[];
  manifest_url: string;
  expires_at: string;
  duration_ms: number;
}

export interface ExportProgress {
  rows_written: number;
  bytes_written: number;
  estimated_rows: number | null;
  percent: number;
}

export interface ExportStatus {
  export_id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: ExportProgress;
  created_at: string;
  created_unix: number;
  finished_at?: string;
  finished_unix?: number;
  /** Who asked for it: the subject of their API key or token. */
  requested_by: string;
  /** The body of the POST /export that started it, as sent. */
  request: ExportRequest;
  result?: ExportResult;
  error?: { code: string; message: string };
}

/** One page of GET /exports: the caller's own exports, newest first. */
export interface ExportList {
  exports: ExportStatus[];
  /** Pass it as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

export interface ListExportsOptions {
  /** 1 to 100; the service's default is 20. */
  limit?: number;
  /** The next_cursor of the previous page, as it is. */
  cursor?: string;
}

export interface DatasetInfo {
  name: string;
  table: string;
  layer: string;
  description: string;
  partition_column: string;
  date_column: string;
  schema: Record<string, string>;
  columns: number;
}

export interface HealthStatus {
  status: 'healthy' | 'degraded';
  parquet_support: boolean;
  pyarrow_version: string | null;
  parquet_writer: string;
  version: string;
  available_datasets: number;
  warehouse: 'reachable' | 'unreachable';
  /** The state database (--state), or the data dir that keeps the state without one. */
  state: 'reachable' | 'unreachable';
  /** Where exports are kept: the data dir's folder, or the S3 bucket of `--storage`. */
  storage: 'reachable' | 'unreachable';
  timestamp: string;
}

export interface Estimate {
  dataset: string;
  format: string;
  compression: string;
  estimated_rows: number;
  estimated_bytes: number;
}

/** An error from the service, carrying its message (the guide matches on "Invalid dataset"). */
export class ParquetExportError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(message: string, status: number, code: string) {
    super(message);
    this.name = 'ParquetExportError';
    this.status = status;
    this.code = code;
  }
}

const day = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
function lastDays(n: number): DateRange {
  const today = Date.now();
  return { start: iso(today - n * day), end: iso(today - day) };
}

export const ParquetConfig = {
  DATASETS: {
    DAILY_TRANSACTIONS: 'daily_transactions',
    STORE_RANKINGS: 'store_rankings',
    HOURLY_PATTERNS: 'hourly_patterns',
    PAYMENT_TRENDS: 'payment_trends',
    STORE_FEATURES: 'store_features',
    ML_PREDICTIONS: 'ml_predictions',
  },
  COMPRESSION: {
    SNAPPY: 'snappy',
    GZIP: 'gzip',
    LZ4: 'lz4',
    BROTLI: 'brotli',
    ZSTD: 'zstd',
    NONE: 'none',
  },
  FORMATS: { PARQUET: 'parquet', CSV: 'csv', JSON: 'json' },
  DATE_RANGES: {
    LAST_7_DAYS: (): DateRange => lastDays(7),
    LAST_30_DAYS: (): DateRange => lastDays(30),
    LAST_90_DAYS: (): DateRange => lastDays(90),
    THIS_MONTH: (): DateRange => {
      const now = new Date();
      return { start: iso(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), end: iso(Date.now()) };
    },
    LAST_MONTH: (): DateRange => {
      const now = new Date();
      return {
        start: iso(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)),
        end: iso(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)),
      };
    },
    YEAR_TO_DATE: (): DateRange => ({ start: `${new Date().getUTCFullYear()}-01-01`, end: iso(Date.now()) }),
  },
  /** The API path under a Supabase-style project URL. */
  FUNCTION_PATH: '/functions/v1/export-parquet',
} as const;

/**
 * Where an environment name points: SCOUT_EXPORT_URL_<NAME> (for example
 * SCOUT_EXPORT_URL_PRODUCTION), else SCOUT_EXPORT_URL, else (for "local" and "development")
 * the service's default local address. A URL is used as it is.
 */
export function resolveBaseUrl(environmentOrBaseUrl: string): string {
  if (/^https?:\/\//.test(environmentOrBaseUrl)) return environmentOrBaseUrl.replace(/\/+$/, '');
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const named = env[`SCOUT_EXPORT_URL_${environmentOrBaseUrl.toUpperCase()}`] ?? env.SCOUT_EXPORT_URL;
  if (named) return named.replace(/\/+$/, '');
  if (environmentOrBaseUrl === 'local' || environmentOrBaseUrl === 'development') return 'http://127.0.0.1:8080';
  throw new ParquetExportError(
    `No URL for environment '${environmentOrBaseUrl}': pass a URL or set SCOUT_EXPORT_URL_${environmentOrBaseUrl.toUpperCase()}`,
    0, 'configuration');
}

export interface WaitOptions {
  intervalMs?: number;
  timeoutMs?: number;
  onProgress?: (status: ExportStatus) => void;
}

export class ParquetClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, apiKey: string, timeoutMs = 300_000) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.timeoutMs = timeoutMs;
  }

  private async call<T>(method: string, path: string, body?: unknown, retries = 3): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: { Authorization: `Bearer ${this.apiKey}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (e) {
      const aborted = (e as Error).name === 'AbortError';
      throw new ParquetExportError(aborted ? `Request timed out after ${this.timeoutMs} ms` : `Service unreachable: ${(e as Error).message}`,
        0, aborted ? 'timeout' : 'network');
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 429 && retries > 0) {
      const wait = Number(res.headers.get('Retry-After') ?? '1') * 1000;
      await new Promise((r) => setTimeout(r, wait));
      return this.call<T>(method, path, body, retries - 1);
    }
    const text = await res.text();
    let json: unknown;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ParquetExportError(err?.message ?? `HTTP ${res.status}: ${text.slice(0, 200)}`, res.status, err?.code ?? 'http_error');
    }
    return json as T;
  }

  /** Runs an export and returns the finished result (or, with async: true, waits for it). */
  async requestExport(request: ExportRequest): Promise<ExportResult> {
    const answer = await this.call<ExportResult | { export_id: string; status: string }>('POST', '/export', request);
    if ('signed_url' in answer) return answer;
    const done = await this.waitForExport(answer.export_id);
    return done.result as ExportResult;
  }

  /** Starts an export and returns its id at once (HTTP 202). */
  async startExport(request: ExportRequest): Promise<string> {
    const answer = await this.call<{ export_id: string }>('POST', '/export', { ...request, async: true });
    return answer.export_id;
  }

  async listDatasets(): Promise<DatasetInfo[]> {
    return (await this.call<{ datasets: DatasetInfo[] }>('GET', '/datasets')).datasets;
  }

  exportDailyTransactions(dateRange: DateRange, format: ExportFormat = 'parquet',
                          options: Omit<ExportRequest, 'dataset' | 'format' | 'date_range'> = {}): Promise<ExportResult> {
    return this.requestExport({ dataset: 'daily_transactions', format, date_range: dateRange, ...options });
  }

  /** Exports several datasets with the same options, one after another. */
  async bulkExport(datasets: readonly string[], options: Omit<ExportRequest, 'dataset'> = {}): Promise<ExportResult[]> {
    const results: ExportResult[] = [];
    for (const dataset of datasets) results.push(await this.requestExport({ ...options, dataset }));
    return results;
  }

  /** Downloads a file from its signed URL (no credential needed: the URL is the credential). */
  async downloadFile(signedUrl: string): Promise<Blob> {
    const res = await fetch(signedUrl);
    if (!res.ok) {
      const text = await res.text();
      let message = `Download failed: HTTP ${res.status}`;
      try { message = JSON.parse(text).error.message; } catch { /* not JSON */ }
      throw new ParquetExportError(message, res.status, 'download_failed');
    }
    return res.blob();
  }

  /** Downloads every file of an export (all partitions), with their paths. */
  async downloadAll(result: ExportResult): Promise<Array<{ path: string; blob: Blob }>> {
    const out: Array<{ path: string; blob: Blob }> = [];
    for (const f of result.files) out.push({ path: f.path, blob: await this.downloadFile(f.signed_url) });
    return out;
  }

  /** Expected bytes of exporting `dataset` (all of it, or as `options` narrow it). */
  async estimateExportSize(dataset: string, options: Omit<ExportRequest, 'dataset'> = {}): Promise<number> {
    return (await this.estimate({ ...options, dataset })).estimated_bytes;
  }

  estimate(request: ExportRequest): Promise<Estimate> {
    return this.call<Estimate>('POST', '/estimate', request);
  }

  /** The service's health; also checks the API key, so a bad key throws. */
  async checkHealth(): Promise<HealthStatus> {
    const health = await this.call<HealthStatus>('GET', '/health');
    await this.call('GET', '/datasets');
    return health;
  }

  getExport(exportId: string): Promise<ExportStatus> {
    return this.call<ExportStatus>('GET', `/exports/${encodeURIComponent(exportId)}`);
  }

  /** Polls until the export ends; resolves when it succeeded, throws when it failed. */
  async waitForExport(exportId: string, options: WaitOptions = {}): Promise<ExportStatus> {
    const { intervalMs = 500, timeoutMs = this.timeoutMs, onProgress } = options;
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const status = await this.getExport(exportId);
      onProgress?.(status);
      if (status.status === 'succeeded') return status;
      if (status.status === 'failed' || status.status === 'cancelled') {
        throw new ParquetExportError(status.error?.message ?? `Export ${status.status}`, 0, status.error?.code ?? status.status);
      }
      if (Date.now() > deadline) throw new ParquetExportError(`Export ${exportId} still ${status.status} after ${timeoutMs} ms`, 0, 'timeout');
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** The caller's own exports, newest first, a page at a time (see ExportList.next_cursor). */
  listExports(options: ListExportsOptions = {}): Promise<ExportList> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor !== undefined) query.set('cursor', options.cursor);
    const suffix = query.size ? `?${query}` : '';
    return this.call<ExportList>('GET', `/exports${suffix}`);
  }

  /** The compression names each format takes, its default first, as the service's OpenAPI
   *  document lists them (no credential needed). */
  async compressionChoices(): Promise<Record<ExportFormat, string[]>> {
    const doc = await this.call<{ components: { schemas: { ExportRequest: { properties: {
      compression: { 'x-compression-by-format': Record<ExportFormat, string[]> } } } } } }>('GET', '/openapi.json');
    return doc.components.schemas.ExportRequest.properties.compression['x-compression-by-format'];
  }

  /** Cancels a running export, or deletes a finished one and its files. */
  async cancelExport(exportId: string): Promise<{ export_id: string; status: string }> {
    return this.call('DELETE', `/exports/${encodeURIComponent(exportId)}`);
  }
}

/**
 * The guide's entry point: an environment name ('production', 'staging', 'local'...) or a base
 * URL, an API key, and an optional timeout in milliseconds (default five minutes).
 */
export function createParquetClient(environmentOrBaseUrl: string, apiKey: string | undefined,
                                    timeoutMs?: number): ParquetClient {
  // The guide passes process.env values, which may be unset: say so now, not at the first call.
  if (!apiKey) throw new ParquetExportError('No API key: pass the key the service gave you', 0, 'configuration');
  return new ParquetClient(resolveBaseUrl(environmentOrBaseUrl), apiKey, timeoutMs);
}
