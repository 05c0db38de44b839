// The audit export, downloaded with the page's own credentials: with API keys the key travels in a header, which a
// plain link cannot send, so the export is fetched and handed to the browser as a file from a Blob URL.
import { send } from './api.js';
import { h } from './dom.js';

const FORMATS = {
  jsonl: { accept: 'application/x-ndjson', file: 'audit.jsonl' },
  csv: { accept: 'text/csv', file: 'audit.csv' },
};

/** Downloads the selection `query` (URLSearchParams) as JSON Lines or CSV; resolves to what was saved. */
export async function downloadAudit(query, format) {
  const { accept, file } = FORMATS[format] ?? FORMATS.jsonl;
  const params = new URLSearchParams(query);
  params.set('format', format === 'csv' ? 'csv' : 'jsonl');
  const response = await send('GET', `/api/audit/export?${params}`, { accept });
  const text = await response.text();
  const blob = new Blob([text], { type: accept });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: file, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click's task ends; the URL is then only memory held.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  const lines = text.split('\n').filter(line => line.trim()).length;
  return { file, entries: format === 'csv' ? null : lines, bytes: blob.size };
}
