// The console: sign in with an API key, browse the datasets, estimate and run an export, follow
// its progress, download and preview its files, and list your exports. Every call goes through
// the service's TypeScript client; the key lives in this tab's sessionStorage only.
import './console.css';
import {
  ParquetClient, ParquetConfig, ParquetExportError,
  type DatasetInfo, type DateRange, type ExportFormat, type ExportRequest, type ExportResult, type ExportStatus,
} from '../../clients/typescript/src/index.ts';
import { previewFile } from './preview.ts';
import { bytes, count } from './text.ts';

const kKeyStorage = 'scout-export-api-key';
const kPreviewRows = 10;
const kPollMs = 250;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attributes: Record<string, string> = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function downloadLink(url: string, path: string): HTMLAnchorElement {
  const link = element('a', `Download ${path}`, { href: url, download: path.split('/').pop() ?? path });
  return link;
}

class Console {
  private client: ParquetClient | null = null;
  private datasets: DatasetInfo[] = [];
  private codecs: Record<ExportFormat, string[]> = { parquet: [], csv: [], json: [] };
  private runningId: string | null = null;
  private historyCursor: string | null = null;

  start(): void {
    byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.signIn(byId<HTMLInputElement>('api-key').value.trim());
    });
    byId('sign-out').addEventListener('click', () => this.signOut());
    byId('dataset').addEventListener('change', () => this.showDatasetControls());
    byId('format').addEventListener('change', () => this.showCompressions());
    for (const button of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
      button.addEventListener('click', () => this.applyPreset(button.dataset.preset as keyof typeof ParquetConfig.DATE_RANGES));
    }
    byId('estimate').addEventListener('click', () => void this.estimate());
    // An estimate stands for the form as it was: any change makes it stale.
    byId('export-form').addEventListener('input', () => { byId('estimate-output').textContent = ''; });
    byId('export-form').addEventListener('change', () => { byId('estimate-output').textContent = ''; });
    byId<HTMLFormElement>('export-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.runExport();
    });
    byId('cancel').addEventListener('click', () => void this.cancel());
    byId('refresh-history').addEventListener('click', () => void this.loadHistory(false));
    byId('more-history').addEventListener('click', () => void this.loadHistory(true));
    const saved = sessionStorage.getItem(kKeyStorage);
    if (saved) void this.signIn(saved);
  }

  private showError(error: unknown): void {
    const message = error instanceof ParquetExportError || error instanceof Error ? error.message : String(error);
    byId('error').textContent = message;
  }

  private clearMessages(): void {
    byId('error').textContent = '';
    byId('status').textContent = '';
  }

  private async signIn(key: string): Promise<void> {
    this.clearMessages();
    if (!key) return this.showError('Enter your API key.');
    const client = new ParquetClient(location.origin, key);
    try {
      const [datasets, codecs] = await Promise.all([client.listDatasets(), client.compressionChoices()]);
      this.client = client;
      this.datasets = datasets;
      this.codecs = codecs;
    } catch (error) {
      sessionStorage.removeItem(kKeyStorage);
      this.showSignedOut();
      return this.showError(error);
    }
    sessionStorage.setItem(kKeyStorage, key);
    byId<HTMLInputElement>('api-key').value = '';
    byId('sign-in').hidden = true;
    byId('sign-out').hidden = false;
    byId('workspace').hidden = false;
    this.showDatasets();
    this.fillExportForm();
    void this.loadRowCounts();
    await this.loadHistory(false);
    byId('datasets-heading').focus?.();
  }

  private showSignedOut(): void {
    this.client = null;
    this.datasets = [];
    byId('workspace').hidden = true;
    byId('sign-out').hidden = true;
    byId('sign-in').hidden = false;
    for (const id of ['dataset-list', 'history-list', 'result-files', 'preview', 'manifest']) byId(id).replaceChildren();
    byId('result').hidden = true;
    byId('running').hidden = true;
  }

  private signOut(): void {
    sessionStorage.removeItem(kKeyStorage);
    this.clearMessages();
    this.showSignedOut();
    byId<HTMLInputElement>('api-key').focus();
  }

  private showDatasets(): void {
    const list = byId('dataset-list');
    list.replaceChildren(...this.datasets.map((d) => {
      const item = element('li', undefined, { 'data-dataset': d.name });
      item.append(element('h3', d.name));
      const facts = element('dl');
      const fact = (term: string, value: string, attributes: Record<string, string> = {}) =>
        facts.append(element('dt', term), element('dd', value, attributes));
      fact('Layer', d.layer);
      fact('Description', d.description);
      fact('Rows', '…', { 'data-row-count': d.name });
      item.append(facts);
      const schema = element('details');
      schema.append(element('summary', `Schema (${Object.keys(d.schema).length} columns)`));
      const columns = element('ul', undefined, { class: 'schema' });
      columns.append(...Object.entries(d.schema).map(([name, type]) => {
        const column = element('li');
        column.append(element('code', name), document.createTextNode(` ${type}`));
        return column;
      }));
      schema.append(columns);
      item.append(schema);
      return item;
    }));
  }

  // Row counts come from POST /estimate of the whole dataset, one call per dataset.
  private async loadRowCounts(): Promise<void> {
    const client = this.client;
    await Promise.all(this.datasets.map(async (d) => {
      const cell = document.querySelector(`[data-row-count="${CSS.escape(d.name)}"]`);
      try {
        const estimate = await client!.estimate({ dataset: d.name });
        if (cell) cell.textContent = count(estimate.estimated_rows);
      } catch (error) {
        if (cell) cell.textContent = error instanceof Error ? error.message : 'unknown';
      }
    }));
  }

  private fillExportForm(): void {
    const options = (select: HTMLSelectElement, values: Array<[string, string]>) =>
      select.replaceChildren(...values.map(([value, text]) => element('option', text, { value })));
    options(byId('dataset'), this.datasets.map((d) => [d.name, d.name]));
    options(byId('format'), (Object.keys(this.codecs) as ExportFormat[]).map((f) => [f, f]));
    byId<HTMLInputElement>('start-date').value = '';
    byId<HTMLInputElement>('end-date').value = '';
    byId<HTMLInputElement>('limit').value = '';
    this.showCompressions();
    this.showDatasetControls();
  }

  private showCompressions(): void {
    const format = byId<HTMLSelectElement>('format').value as ExportFormat;
    byId('compression').replaceChildren(...(this.codecs[format] ?? []).map((c) => element('option', c, { value: c })));
  }

  private selectedDataset(): DatasetInfo | undefined {
    return this.datasets.find((d) => d.name === byId<HTMLSelectElement>('dataset').value);
  }

  private showDatasetControls(): void {
    const dataset = this.selectedDataset();
    const columns = dataset ? Object.keys(dataset.schema) : [];
    const partition = byId('partition-by');
    partition.replaceChildren(element('option', '(none)', { value: '' }),
                              ...columns.map((c) => element('option', c, { value: c })));
    byId('column-list').replaceChildren(...columns.map((c) => {
      const label = element('label');
      const box = element('input', undefined, { type: 'checkbox', name: 'column', value: c });
      (box as HTMLInputElement).checked = true;
      label.append(box, document.createTextNode(c));
      return label;
    }));
  }

  private applyPreset(preset: keyof typeof ParquetConfig.DATE_RANGES): void {
    const range: DateRange = ParquetConfig.DATE_RANGES[preset]();
    byId<HTMLInputElement>('start-date').value = range.start ?? '';
    byId<HTMLInputElement>('end-date').value = range.end ?? '';
  }

  // The form as a request; only what was chosen is sent, so the service's defaults apply.
  private request(): ExportRequest {
    const request: ExportRequest = {
      dataset: byId<HTMLSelectElement>('dataset').value,
      format: byId<HTMLSelectElement>('format').value as ExportFormat,
      compression: byId<HTMLSelectElement>('compression').value as ExportRequest['compression'],
    };
    const start = byId<HTMLInputElement>('start-date').value;
    const end = byId<HTMLInputElement>('end-date').value;
    if (start || end) request.date_range = { ...(start ? { start } : {}), ...(end ? { end } : {}) };
    const partition = byId<HTMLSelectElement>('partition-by').value;
    if (partition) request.partition_by = partition;
    const limit = byId<HTMLInputElement>('limit').value;
    if (limit !== '') request.limit = Number(limit);
    const boxes = [...document.querySelectorAll<HTMLInputElement>('#column-list input[type=checkbox]')];
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    if (chosen.length !== boxes.length) request.columns = chosen;
    return request;
  }

  private async estimate(): Promise<void> {
    this.clearMessages();
    const output = byId('estimate-output');
    output.textContent = '';
    try {
      const estimate = await this.client!.estimate(this.request());
      output.textContent = `Estimated ${count(estimate.estimated_rows)} rows, ${bytes(estimate.estimated_bytes)}`;
    } catch (error) {
      this.showError(error);
    }
  }

  private showProgress(status: ExportStatus): void {
    const progress = byId<HTMLProgressElement>('progress');
    const { rows_written, estimated_rows } = status.progress;
    if (estimated_rows !== null && estimated_rows > 0) {
      progress.max = estimated_rows;
      progress.value = Math.min(rows_written, estimated_rows);
    } else {
      progress.removeAttribute('value');
    }
    const of = estimated_rows !== null ? ` of ${count(estimated_rows)}` : '';
    byId('progress-text').textContent = `${count(rows_written)}${of} rows written (${status.status})`;
  }

  private async runExport(): Promise<void> {
    this.clearMessages();
    if (this.runningId) return;
    const client = this.client!;
    const exportButton = byId<HTMLButtonElement>('start-export');
    let id: string;
    try {
      exportButton.disabled = true;
      id = await client.startExport(this.request());
    } catch (error) {
      exportButton.disabled = false;
      return this.showError(error);
    }
    this.runningId = id;
    byId('result').hidden = true;
    byId('running').hidden = false;
    this.showProgress({ status: 'queued', progress: { rows_written: 0, bytes_written: 0, estimated_rows: null, percent: 0 } } as ExportStatus);
    try {
      const done = await client.waitForExport(id, { intervalMs: kPollMs, timeoutMs: 24 * 3600_000, onProgress: (s) => this.showProgress(s) });
      byId('running').hidden = true;
      await this.showResult(done.result as ExportResult);
    } catch (error) {
      byId('running').hidden = true;
      if (error instanceof ParquetExportError && error.code === 'cancelled') {
        byId('status').textContent = 'Export cancelled.';
      } else {
        this.showError(error);
      }
    } finally {
      this.runningId = null;
      exportButton.disabled = false;
      void this.loadHistory(false);
    }
  }

  private async cancel(): Promise<void> {
    if (!this.runningId) return;
    try {
      await this.client!.cancelExport(this.runningId);
      byId('progress-text').textContent = 'Cancelling…';
    } catch (error) {
      this.showError(error);
    }
  }

  private async showResult(result: ExportResult): Promise<void> {
    byId('result-summary').textContent =
      `${result.dataset}: ${count(result.row_count)} rows, ${bytes(result.file_size)} as ${result.format} (${result.compression}), ` +
      `${result.files.length} file${result.files.length === 1 ? '' : 's'}, in ${count(result.duration_ms)} ms. Links expire ${result.expires_at}.`;
    byId('result-files').replaceChildren(...result.files.map((f) => {
      const item = element('li');
      item.append(downloadLink(f.signed_url, f.path), document.createTextNode(` ${count(f.rows)} rows, ${bytes(f.bytes)}`));
      return item;
    }));
    byId('result').hidden = false;
    byId('manifest').textContent = '';
    byId('preview').replaceChildren();
    byId('preview-note').textContent = '';
    byId('result-heading').setAttribute('tabindex', '-1');
    byId('result-heading').focus();
    try {
      const manifest = await this.client!.downloadFile(result.manifest_url);
      byId('manifest').textContent = JSON.stringify(JSON.parse(await manifest.text()), null, 2);
    } catch (error) {
      byId('manifest').textContent = `The manifest could not be read: ${error instanceof Error ? error.message : error}`;
    }
    const first = result.files.find((f) => f.rows > 0);
    if (!first) {
      byId('preview-note').textContent = 'The export has no rows.';
      return;
    }
    try {
      const preview = await previewFile(first, result.format, result.compression, result.schema, kPreviewRows);
      if (!preview) {
        byId('preview-note').textContent = `No preview for ${result.format} with ${result.compression}; download the file to read it.`;
        return;
      }
      const table = byId<HTMLTableElement>('preview');
      const head = element('thead');
      const headRow = element('tr');
      headRow.append(...preview.columns.map((c) => element('th', c, { scope: 'col' })));
      head.append(headRow);
      const body = element('tbody');
      body.append(...preview.rows.map((row) => {
        const tr = element('tr');
        tr.append(...row.map((cell) => element('td', cell)));
        return tr;
      }));
      table.replaceChildren(head, body);
      byId('preview-note').textContent = preview.note;
    } catch (error) {
      byId('preview-note').textContent = `The preview could not be read: ${error instanceof Error ? error.message : error}`;
    }
  }

  private async loadHistory(more: boolean): Promise<void> {
    if (!this.client) return;
    try {
      const page = await this.client.listExports({ limit: 10, ...(more && this.historyCursor ? { cursor: this.historyCursor } : {}) });
      const items = page.exports.map((e) => this.historyItem(e));
      const list = byId('history-list');
      if (more) list.append(...items);
      else list.replaceChildren(...(items.length ? items : [element('li', 'No exports yet.')]));
      this.historyCursor = page.next_cursor;
      byId('more-history').hidden = page.next_cursor === null;
    } catch (error) {
      this.showError(error);
    }
  }

  private historyItem(e: ExportStatus): HTMLLIElement {
    const item = element('li', undefined, { 'data-export-id': e.export_id });
    const size = e.result ? `, ${count(e.result.row_count)} rows, ${bytes(e.result.file_size)}` : '';
    const title = `${e.request.dataset} (${e.request.format ?? 'parquet'}), ${e.created_at}: `;
    item.append(document.createTextNode(title), element('strong', e.status, { 'data-status': e.status }), document.createTextNode(size));
    if (e.error) item.append(document.createTextNode(` (${e.error.message})`));
    if (e.result) {
      const links = element('ul', undefined, { class: 'links' });
      links.append(...e.result.files.map((f) => {
        const li = element('li');
        li.append(downloadLink(f.signed_url, f.path));
        return li;
      }));
      item.append(links);
    }
    return item;
  }
}

new Console().start();
