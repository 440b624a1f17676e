// The live log of an execution. Lines live in a compact buffer (lib/log-buffer.ts); only the
// rows in sight are rendered (lib/use-fixed-rows.ts), each parsed for ANSI colours when it
// comes into view, so a million lines scroll without freezing. Following the tail stops when
// the user scrolls up and resumes when they scroll back to the end, as in a terminal.
import {
  memo,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactElement,
  type ReactNode,
  type WheelEvent as ReactWheelEvent,
} from 'react';

import { ErrorNotice } from '../components/error-notice.js';
import { Icon } from '../components/icons.js';
import { ansiSegments } from '../lib/ansi.js';
import { formatCount } from '../lib/format.js';
import { escapeRegExp, type StreamFilter } from '../lib/log-buffer.js';
import { useFixedRows } from '../lib/use-fixed-rows.js';
import { useLogStore } from '../stores/log-store.js';

const LINE_HEIGHT = 18;
/** A short log gets a short viewer; a long one stops growing at the cap set in the CSS. */
const MIN_VISIBLE_LINES = 6;
const SEARCH_DELAY_MS = 200;
/** How long after a wheel, key or touch a scroll to the end is taken as the user's. */
const USER_SCROLL_MS = 1000;

interface LogViewerProps {
  executionId: string;
  ended: boolean;
}

export function LogViewer({ executionId, ended }: LogViewerProps): ReactElement {
  const { buffer, view, revision, filter, follow, error, open, close, setFilter, setFollow } =
    useLogStore();
  const scroller = useRef<HTMLDivElement>(null);
  // Until when a scroll that reaches the end counts as the user's, to follow again: set by their
  // gestures, so that a log shrinking under a filter does not resume following by itself.
  const userScrollUntil = useRef(0);

  useEffect(() => {
    open(executionId);
    return () => close();
  }, [close, executionId, open]);

  const rows = useFixedRows(scroller, view.length, LINE_HEIGHT, { pinnedToEnd: follow });
  const { endScrollTop } = rows;

  // The rows are already rendered at the end; this only moves the scrollbar there. It writes
  // scrollTop without reading it back, which would force a second layout of the new rows.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (follow && element) element.scrollTop = endScrollTop;
  }, [endScrollTop, follow, revision]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    const atEnd = element.scrollTop + element.clientHeight >= element.scrollHeight - LINE_HEIGHT;
    if (follow) {
      // While following, the viewer only ever scrolls to the end, in the same task as the
      // render: a scroll event away from it is the user's, whatever they used (the wheel, the
      // keys, or the scrollbar, whose presses Chromium does not report as pointer events).
      if (!atEnd) setFollow(false);
    } else if (atEnd && performance.now() <= userScrollUntil.current) {
      setFollow(true);
    }
  };
  const markUserScroll = () => {
    userScrollUntil.current = performance.now() + USER_SCROLL_MS;
  };
  // Scrolling down to the end by hand follows again. The scroll event alone cannot tell: on a
  // fast stream a batch lengthens the log between the wheel and its scroll event, so the end
  // the user reached is no longer the end. A wheel that reaches past the end, or the End key,
  // says it.
  const onWheel = (event: ReactWheelEvent) => {
    markUserScroll();
    const element = scroller.current;
    if (follow || !element || event.deltaY <= 0) return;
    const rest = element.scrollHeight - element.clientHeight - element.scrollTop;
    if (event.deltaY >= rest - LINE_HEIGHT) setFollow(true);
  };
  const onKeyDown = (event: ReactKeyboardEvent) => {
    markUserScroll();
    if (event.key === 'End' && !follow) setFollow(true);
  };

  const pattern = useMemo(() => {
    const search = filter.search.trim();
    return search ? new RegExp(escapeRegExp(search), 'gi') : null;
  }, [filter.search]);

  const total = buffer.length;
  const visible: number[] = [];
  for (let row = rows.first; row <= rows.last; row += 1) visible.push(row);

  return (
    <section className="log-viewer" aria-labelledby="log-title">
      <div className="log-toolbar">
        <h2 id="log-title">Log</h2>
        <StreamChoice value={filter.stream} onChange={(stream) => setFilter({ stream })} />
        <SearchBox value={filter.search} onChange={(search) => setFilter({ search })} />
        <span className="log-count" aria-live="polite" data-testid="log-count">
          {view.filtering
            ? `${formatCount(view.length)} of ${formatCount(total)} lines`
            : `${formatCount(total)} line${total === 1 ? '' : 's'}`}
        </span>
        <button
          type="button"
          className="button small"
          aria-pressed={follow}
          title="Keep the newest line in sight"
          onClick={() => setFollow(!follow)}
        >
          <Icon name="arrowDown" size={16} /> Follow the tail
        </button>
      </div>
      <ErrorNotice error={error} title="Could not read the log" />
      <div
        ref={scroller}
        className="log-scroller"
        tabIndex={0}
        role="region"
        aria-label="Log lines"
        data-testid="log-scroller"
        onScroll={onScroll}
        onWheel={onWheel}
        onPointerDown={markUserScroll}
        onTouchStart={markUserScroll}
        onKeyDown={onKeyDown}
        style={{ height: Math.max(view.length, MIN_VISIBLE_LINES) * LINE_HEIGHT + 16 }}
      >
        {view.length === 0 ? (
          <p className="log-empty">
            {total > 0
              ? 'No line matches the filter.'
              : ended
                ? 'The action wrote nothing to stdout or stderr.'
                : 'No output yet: lines appear here as the action writes them.'}
          </p>
        ) : (
          <div
            className="log-space"
            style={{
              height: rows.spaceHeight,
              // The number column is as wide as the largest line number.
              ['--seq-digits' as string]: String(buffer.lastSeq).length,
            }}
          >
            {visible.map((row) => {
              const index = view.lineAt(row);
              return (
                <LogRow
                  key={index}
                  offset={rows.top(row)}
                  seq={buffer.seq(index)}
                  text={buffer.text(index)}
                  stderr={buffer.stream(index) === 'stderr'}
                  cut={buffer.isCut(index)}
                  time={buffer.time(index)}
                  pattern={pattern}
                />
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}

interface LogRowProps {
  offset: number;
  seq: number;
  text: string;
  stderr: boolean;
  cut: boolean;
  time: number;
  pattern: RegExp | null;
}

const LogRow = memo(function LogRow(props: LogRowProps): ReactElement {
  const { offset, seq, text, stderr, cut, time, pattern } = props;
  return (
    <div
      className={`log-line${stderr ? ' stderr' : ''}`}
      data-stream={stderr ? 'stderr' : 'stdout'}
      style={{ transform: `translateY(${offset}px)` }}
      title={new Date(time).toISOString()}
    >
      <span className="log-seq" aria-hidden="true">
        {seq}
      </span>
      <span className="log-text">
        {ansiSegments(text).map((segment, index) => (
          <span key={index} className={segment.className || undefined} style={segment.style}>
            {highlight(segment.text, pattern)}
          </span>
        ))}
        {cut ? <span className="log-cut"> … (line cut: too long)</span> : null}
      </span>
    </div>
  );
});

function highlight(text: string, pattern: RegExp | null): ReactNode {
  if (!pattern) return text;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index;
    if (at > last) parts.push(text.slice(last, at));
    parts.push(<mark key={at}>{match[0]}</mark>);
    last = at + match[0].length;
  }
  if (last === 0) return text;
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

const STREAMS: Array<{ value: StreamFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'stdout', label: 'stdout' },
  { value: 'stderr', label: 'stderr' },
];

function StreamChoice(props: { value: StreamFilter; onChange: (value: StreamFilter) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Streams">
      {STREAMS.map((stream) => (
        <button
          key={stream.value}
          type="button"
          className="segment"
          aria-pressed={props.value === stream.value}
          onClick={() => props.onChange(stream.value)}
        >
          {stream.label}
        </button>
      ))}
    </div>
  );
}

/** The search waits for a pause in typing: each search scans every line of the log. */
function SearchBox(props: { value: string; onChange: (value: string) => void }) {
  const { value, onChange } = props;
  const [text, setText] = useState(value);
  const id = useId();

  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [onChange, text, value]);

  return (
    <div className="log-search">
      <label htmlFor={id} className="visually-hidden">
        Search the log
      </label>
      <input
        id={id}
        type="search"
        placeholder="Search the log"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onChange(text);
        }}
      />
    </div>
  );
}
