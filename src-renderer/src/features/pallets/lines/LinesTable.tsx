import { Badge, Box, Center, Group, Skeleton, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ErrorAlert } from '@renderer/errors/ErrorAlert';
import { formatMoney, formatNumber } from '../format';
import { categoryLabel } from '../labels';
import { StatusBadge } from '../StatusBadge';
import { PAGE_SIZE, usePalletsStore, type LineRow, type SortBy } from '../pallets-store';
import classes from './LinesTable.module.css';

const ROW_H = 34;
const HEADER_H = 36;
/** Room kept below the table: the status bar, the keyboard hint and the page padding. */
const BELOW = 36 + 24 + 16;

/**
 * The table fills the window down to the status bar (never less than 320 px). Re-measured when the
 * window or anything above the table changes size (the summary cards arrive after the lines).
 */
function useFillHeight(ref: RefObject<HTMLDivElement | null>): number {
  const [height, setHeight] = useState(480);
  useLayoutEffect(() => {
    const measure = () => {
      const top = ref.current?.getBoundingClientRect().top ?? 0;
      setHeight(Math.max(320, Math.floor(window.innerHeight - top - BELOW)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    // The view's own size changes when the cards above arrive; the table's top is all that is read.
    const view = ref.current?.closest('[data-testid="analysis-view"]');
    if (view) observer.observe(view);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref]);
  return height;
}

interface Column {
  key: string;
  width: string;
  sort: SortBy | null;
  align?: 'right';
  render(row: LineRow, ctx: { t: TFunction; lang: string; currency: string | null }): ReactNode;
}

const COLUMNS: Column[] = [
  { key: 'row', width: '72px', sort: 'row', align: 'right', render: (r) => r.row },
  // Wide enough for the longest status label ("OSTRZEŻENIE" in Polish) in an xs badge.
  { key: 'status', width: '122px', sort: 'status', render: (r) => <StatusBadge status={r.status} size="xs" /> },
  { key: 'score', width: '58px', sort: 'score', align: 'right', render: (r) => Math.round(r.score) },
  { key: 'name', width: 'minmax(220px, 1fr)', sort: 'name', render: (r) => r.name ?? '—' },
  { key: 'category', width: '128px', sort: 'category', render: (r, c) => categoryLabel(c.t, r.category) },
  { key: 'brand', width: '100px', sort: null, render: (r) => r.brand ?? '—' },
  { key: 'ean', width: '118px', sort: null, render: (r) => r.ean ?? '—' },
  { key: 'quantity', width: '52px', sort: 'quantity', align: 'right', render: (r, c) => formatNumber(r.quantity, c.lang) },
  { key: 'priceNet', width: '100px', sort: 'priceNet', align: 'right', render: (r, c) => formatMoney(r.priceNet, c.currency, c.lang) },
  { key: 'retailPrice', width: '100px', sort: 'retailPrice', align: 'right', render: (r, c) => formatMoney(r.retailPrice, c.currency, c.lang) },
  { key: 'condition', width: '108px', sort: null, render: (r, c) => (r.condition ? c.t(`pallets.conditions.${r.condition}`, { defaultValue: r.condition }) : '—') },
  { key: 'palletId', width: '88px', sort: null, render: (r) => r.palletId ?? '—' },
  {
    key: 'notes',
    width: '60px',
    sort: null,
    render: (r, c) => (
      <Group gap={2} wrap="nowrap">
        {r.issueCount > 0 && (
          <Badge size="xs" variant="outline" color="orange" title={c.t('pallets.table.issues', { count: r.issueCount })}>
            {r.issueCount}
          </Badge>
        )}
        {r.firedCount > 0 && (
          <Badge size="xs" variant="outline" color="indigo" title={c.t('pallets.table.fired', { count: r.firedCount })}>
            {r.firedCount}
          </Badge>
        )}
      </Group>
    ),
  },
];
const TEMPLATE = COLUMNS.map((c) => c.width).join(' ');

/**
 * The lines of the open analysis, virtualised: only the visible rows exist in the DOM, windows of
 * PAGE_SIZE lines are fetched as the user scrolls. The grid is focusable: arrows / PageUp / PageDown /
 * Home / End move the selection, Enter opens the line's detail.
 */
export function LinesTable() {
  const { t, i18n } = useTranslation();
  const table = usePalletsStore((s) => s.table);
  const sort = usePalletsStore((s) => s.sort);
  const filter = usePalletsStore((s) => s.filter);
  const selected = usePalletsStore((s) => s.selectedIndex);
  const currency = usePalletsStore((s) => s.analysis?.analysis.currency ?? null);
  const { ensureRows, rowAt, select, setSort, openDetail, setScrollOffset } = usePalletsStore.getState();
  const scrollRef = useRef<HTMLDivElement>(null);
  const height = useFillHeight(scrollRef);
  const total = table.total ?? 0;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 12,
    scrollMargin: HEADER_H,
    scrollPaddingStart: HEADER_H,
    initialOffset: () => usePalletsStore.getState().scrollOffset,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Fetch the windows under the viewport (and the first one, which also tells the total).
  useEffect(() => {
    if (table.total === null) ensureRows(0, PAGE_SIZE - 1);
    else if (total > 0) ensureRows(first, last);
  }, [table.key, table.total, total, first, last, ensureRows]);

  // A new filter or sort starts at the top; a refresh (same filter and sort) keeps the position.
  const shape = JSON.stringify([filter, sort]);
  const previousShape = useRef(shape);
  useLayoutEffect(() => {
    if (previousShape.current !== shape) virtualizer.scrollToOffset(0);
    previousShape.current = shape;
  }, [shape, virtualizer]);

  // Remember where the user was when leaving the page (zustand outlives the component).
  useEffect(() => {
    const el = scrollRef.current;
    return () => setScrollOffset(el?.scrollTop ?? 0);
  }, [setScrollOffset]);

  const move = (index: number) => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    select(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const openSelected = () => {
    if (selected === null) return;
    const row = rowAt(selected);
    if (row) void openDetail(row.id);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_H) / ROW_H) - 1);
    const at = selected ?? -1;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(at + 1),
      ArrowUp: () => move(selected === null ? 0 : at - 1),
      PageDown: () => move(at + page),
      PageUp: () => move(at - page),
      Home: () => move(0),
      End: () => move(total - 1),
      Enter: openSelected,
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  const ctx = { t, lang: i18n.language, currency };
  return (
    <Box>
      {table.error && <ErrorAlert error={table.error} onRetry={() => ensureRows(first, Math.max(first, last))} />}
      <div
        ref={scrollRef}
        className={classes.scroller}
        style={{ height }}
        role="grid"
        aria-rowcount={total}
        aria-label={t('pallets.table.label')}
        aria-activedescendant={selected !== null ? `line-row-${selected}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="lines-table"
        data-total={table.total ?? ''}
      >
        <div className={classes.header} role="row" style={{ gridTemplateColumns: TEMPLATE, height: HEADER_H }}>
          {COLUMNS.map((c) => (
            <div key={c.key} role="columnheader" aria-sort={sort.by === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined} className={classes.headCell} data-align={c.align}>
              {c.sort ? (
                <button type="button" className={classes.sortButton} onClick={() => c.sort && setSort(c.sort)} data-testid={`sort-${c.key}`}>
                  <span>{t(`pallets.table.columns.${c.key}`)}</span>
                  {sort.by === c.sort ? sort.dir === 'asc' ? <ArrowUp size={12} /> : <ArrowDown size={12} /> : <ArrowUpDown size={12} opacity={0.35} />}
                </button>
              ) : (
                <span>{t(`pallets.table.columns.${c.key}`)}</span>
              )}
            </div>
          ))}
        </div>
        <div className={classes.body} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rowAt(item.index);
            const isSelected = item.index === selected;
            return (
              <div
                key={item.key}
                id={`line-row-${item.index}`}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={isSelected}
                tabIndex={-1}
                className={classes.row}
                data-selected={isSelected || undefined}
                data-status={row?.status}
                data-testid="line-row"
                data-index={item.index}
                data-line-id={row?.id}
                style={{ gridTemplateColumns: TEMPLATE, height: ROW_H, transform: `translateY(${item.start - HEADER_H}px)` }}
                onClick={() => {
                  select(item.index);
                  scrollRef.current?.focus({ preventScroll: true });
                }}
                onDoubleClick={() => row && void openDetail(row.id)}
              >
                {row ? (
                  COLUMNS.map((c) => (
                    <div key={c.key} role="gridcell" className={classes.cell} data-align={c.align} data-col={c.key}>
                      {c.render(row, ctx)}
                    </div>
                  ))
                ) : (
                  <div role="gridcell" className={classes.placeholder}>
                    <Skeleton height={12} radius="sm" />
                  </div>
                )}
              </div>
            );
          })}
        </div>
        {table.total === 0 && (
          <Center h={160} data-testid="lines-empty">
            <Text size="sm" c="dimmed">
              {Object.keys(filter).length > 0 ? t('pallets.table.noMatch') : t('pallets.table.empty')}
            </Text>
          </Center>
        )}
      </div>
      <Text size="xs" c="dimmed" mt={4}>
        {t('pallets.table.keyboardHint')}
      </Text>
    </Box>
  );
}
