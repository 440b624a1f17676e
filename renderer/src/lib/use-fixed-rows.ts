// Windowing for rows of one fixed height, as a log has them: the rows in sight come from the
// scroll position by arithmetic, whatever the row count. (@tanstack/react-virtual, used for
// the executions list, rebuilds its measurements of every row whenever the count changes;
// with a million log lines growing twenty times a second that alone would fill the main
// thread.) Browsers cap an element's height near 33 million pixels, so beyond MAX_SPACE the
// scroll range is scaled: the scrollbar then moves through the rows proportionally.
//
// While pinned to the end (a log following its tail), the rows are computed for the end
// position and scroll events are not read: reading scrollTop after new rows were rendered
// forces a layout of them, and following a fast stream did that twice per batch.
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

const MAX_SPACE = 15_000_000;

export interface RowWindow {
  /** First and last row index to render (inclusive); last < first when there are none. */
  first: number;
  last: number;
  /** Height of the element the rows are placed in. */
  spaceHeight: number;
  /** Where row `index` goes inside that element. */
  top(index: number): number;
  /** The scrollTop that puts the end of the rows in sight. */
  endScrollTop: number;
}

export interface FixedRowsOptions {
  /** Render the rows at the end; the caller keeps the element scrolled there. */
  pinnedToEnd?: boolean;
  overscan?: number;
}

export function useFixedRows(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  { pinnedToEnd = false, overscan = 20 }: FixedRowsOptions = {},
): RowWindow {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  const pinned = useRef(pinnedToEnd);
  pinned.current = pinnedToEnd;

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => {
      if (!pinned.current) setScrollTop(element.scrollTop);
    };
    const resize = new ResizeObserver(() => setViewport(element.clientHeight));
    element.addEventListener('scroll', onScroll, { passive: true });
    resize.observe(element);
    setViewport(element.clientHeight);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [scroller]);

  // Unpinned, the rows follow the element's own position again, wherever the user left it.
  useLayoutEffect(() => {
    if (!pinnedToEnd && scroller.current) setScrollTop(scroller.current.scrollTop);
  }, [pinnedToEnd, scroller]);

  const total = count * rowHeight;
  const spaceHeight = Math.min(total, MAX_SPACE);
  const endScrollTop = Math.max(0, spaceHeight - viewport);
  const position = pinnedToEnd ? endScrollTop : scrollTop;
  const scale =
    total > spaceHeight && spaceHeight > viewport
      ? (total - viewport) / (spaceHeight - viewport)
      : 1;
  const virtualTop = position * scale;
  const first = Math.max(0, Math.floor(virtualTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((virtualTop + viewport) / rowHeight) + overscan);

  return {
    first,
    last,
    spaceHeight,
    top: (index) => index * rowHeight - virtualTop + position,
    endScrollTop,
  };
}
