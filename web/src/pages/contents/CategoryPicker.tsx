import { useId, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, isApiError } from '../../api/client';
import { errorMessage, parseApiErrorBody } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { CategoriesResponse, Category } from '../../api/types';
import { Button } from '../../components/Button';
import { Select, TextField } from '../../components/Field';
import { useMessages } from '../../i18n/react';
import { useCategories } from '../categories/useCategories';
import { editorMessages } from './editorMessages';
import styles from './ContentEditor.module.css';

interface Props {
  value: number | null;
  onChange: (id: number | null) => void;
  error?: string | undefined;
}

/** The note's category, with "New category" to create one without leaving the editor. */
export function CategoryPicker({ value, onChange, error }: Props) {
  const t = useMessages(editorMessages);
  const categories = useCategories();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<string | undefined>();
  const [limited, setLimited] = useState(false);
  const [announce, setAnnounce] = useState('');
  const openerRef = useRef<HTMLButtonElement>(null);
  const statusId = useId();

  const close = () => {
    setCreating(false);
    setName('');
    setCreateError(undefined);
    requestAnimationFrame(() => openerRef.current?.focus());
  };

  const create = async () => {
    if (!name.trim()) {
      setCreateError(undefined);
      return;
    }
    setBusy(true);
    setCreateError(undefined);
    setLimited(false);
    try {
      const created = await api.post<Category>('/api/categories/', { name: name.trim() });
      queryClient.setQueryData<CategoriesResponse>(qk.categories.list(), (old) =>
        old ? { ...old, results: [...old.results, created], count: old.count + 1 } : old,
      );
      void queryClient.invalidateQueries({ queryKey: qk.categories.all });
      onChange(created.id);
      setAnnounce(t('categoryCreated', { name: created.name }));
      close();
    } catch (e) {
      if (isApiError(e) && e.status === 402) setLimited(true);
      setCreateError(parseApiErrorBody(isApiError(e) ? e.body : null).fields.name?.join(' ') ?? errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.category}>
      <Select
        label={t('category')}
        value={value === null ? '' : String(value)}
        onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}
        error={error}
        name="category"
      >
        <option value="">{t('noCategory')}</option>
        {categories.data?.results.map((c) => (
          <option key={c.id} value={String(c.id)}>
            {c.name}
          </option>
        ))}
        {/* the note's own category while the list loads */}
        {value !== null && !categories.data && <option value={String(value)}>…</option>}
      </Select>
      {creating ? (
        <div className={styles.inlineCreate}>
          <TextField
            label={t('newCategoryName')}
            value={name}
            autoFocus
            maxLength={100}
            error={createError}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void create();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                close();
              }
            }}
          />
          <div className={styles.inlineActions}>
            <Button size="sm" onClick={() => void create()} loading={busy} disabled={!name.trim()}>
              {t('addCategory')}
            </Button>
            <Button size="sm" variant="ghost" onClick={close}>
              {t('cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <Button ref={openerRef} size="sm" variant="ghost" className={styles.newCategory} onClick={() => setCreating(true)}>
          <span aria-hidden="true">+ </span>
          {t('newCategory')}
        </Button>
      )}
      {limited && (
        <p className={styles.limit}>
          <Link to="/subscription">{t('upgrade')}</Link>
        </p>
      )}
      <p id={statusId} className="visually-hidden" role="status">
        {announce}
      </p>
    </div>
  );
}
