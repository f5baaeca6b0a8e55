import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/Button';
import { Select, TextField } from '../../components/Field';
import { useMessages } from '../../i18n/react';
import { useDebounced } from '../../lib/useDebounced';
import { useCategories } from '../categories/useCategories';
import type { ListParams, Ordering } from './listParams';
import { ORDERINGS } from './listParams';
import { messages } from './messages';
import styles from './ContentsPage.module.css';

const ORDER_KEYS = {
  '-created_at': 'orderNewest',
  created_at: 'orderOldest',
  '-updated_at': 'orderUpdated',
  title: 'orderTitleAsc',
  '-title': 'orderTitleDesc',
} as const satisfies Record<Ordering, string>;

export const SEARCH_DEBOUNCE_MS = 300;

interface Props {
  params: ListParams;
  onChange: (next: Partial<ListParams>) => void;
  filtered: boolean;
}

/** Search (debounced), category and ordering; every change goes to the URL through `onChange`. */
export function ContentsFilters({ params, onChange, filtered }: Props) {
  const t = useMessages(messages);
  const categories = useCategories();
  const [search, setSearch] = useState(params.search);
  const debounced = useDebounced(search, SEARCH_DEBOUNCE_MS);
  const lastSent = useRef(params.search);
  const formId = useId();

  // Typing → URL (after a pause).
  useEffect(() => {
    if (debounced.trim() === lastSent.current.trim()) return;
    lastSent.current = debounced;
    onChange({ search: debounced, page: 1 });
  }, [debounced, onChange]);

  // URL → box (back/forward, "clear filters").
  useEffect(() => {
    if (params.search.trim() !== lastSent.current.trim()) {
      lastSent.current = params.search;
      setSearch(params.search);
    }
  }, [params.search]);

  return (
    <form
      id={formId}
      role="search"
      aria-label={t('filtersLabel')}
      className={styles.filters}
      onSubmit={(e) => {
        e.preventDefault();
        lastSent.current = search;
        onChange({ search, page: 1 });
      }}
    >
      <div className={styles.searchField}>
        <TextField
          label={t('search')}
          type="search"
          value={search}
          placeholder={t('searchPlaceholder')}
          onChange={(e) => setSearch(e.target.value)}
          autoComplete="off"
        />
      </div>
      <Select
        label={t('category')}
        value={params.category}
        onChange={(e) => onChange({ category: e.target.value, page: 1 })}
        disabled={categories.isPending}
      >
        <option value="">{t('allCategories')}</option>
        {categories.data?.results.map((c) => (
          <option key={c.id} value={String(c.id)}>
            {c.name}
          </option>
        ))}
      </Select>
      <Select
        label={t('ordering')}
        value={params.ordering}
        onChange={(e) => onChange({ ordering: e.target.value as Ordering, page: 1 })}
      >
        {ORDERINGS.map((o) => (
          <option key={o} value={o}>
            {t(ORDER_KEYS[o])}
          </option>
        ))}
      </Select>
      {filtered && (
        <Button
          variant="ghost"
          className={styles.clear}
          onClick={() => onChange({ search: '', category: '', page: 1 })}
        >
          {t('clearFilters')}
        </Button>
      )}
    </form>
  );
}
