// How numbers, sizes, times and durations read everywhere in the app.
import prettyBytes from 'pretty-bytes';
import prettyMs from 'pretty-ms';

export function formatBytes(value: number): string {
  return prettyBytes(value, { binary: true });
}

const pad = (value: number) => String(value).padStart(2, '0');

/** Local time as 2026-03-14 09:26:53: sortable, unambiguous and the same width in every row. */
export function formatTime(epochMs: number | null): string {
  if (epochMs === null) return '–';
  const d = new Date(epochMs);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || ms < 0) return '–';
  return prettyMs(ms, { secondsDecimalDigits: ms < 10_000 ? 1 : 0, unitCount: 2 });
}

export function formatSeconds(seconds: number): string {
  return prettyMs(seconds * 1000, { unitCount: 2 });
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A digest as people compare them: the algorithm and the first 12 hex digits. */
export function shortDigest(digest: string | null): string {
  if (!digest) return '–';
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
  return `${algorithm}:${(hex ?? '').slice(0, 12)}`;
}
