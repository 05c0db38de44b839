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
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: file, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click's task ends; the URL is then only memory held.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { file, entries: format === 'csv' ? null : await countLines(blob), bytes: blob.size };
}

/** The JSON Lines entries in blob, counted a chunk at a time so a large export is never held as one string. */
async function countLines(blob) {
  const reader = blob.stream().getReader();
  let lines = 0;
  let open = false; // bytes seen since the last newline: a last line without one still counts
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    for (const byte of chunk.value) {
      if (byte === 10) {
        if (open) lines++;
        open = false;
      } else if (byte !== 13 && byte !== 32) {
        open = true;
      }
    }
  }
  return open ? lines + 1 : lines;
}
