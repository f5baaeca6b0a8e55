import { useId, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { ContentsPage, Id } from '../../api/types';
import { LinkButton } from '../../components/Button';
import { Checkbox, TextField } from '../../components/Field';
import { Skeleton } from '../../components/Spinner';
import { EmptyState, QueryView } from '../../components/States';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './ExamNewPage.module.css';

export const PICK_MIN = 7;
export const PICK_MAX = 10;

const VALIDATED = { is_ai_validated: true, page_size: 100 } as const;

export interface NotePickerProps {
  selected: Id[];
  onChange: (ids: Id[]) => void;
  /** shown under the count (e.g. "choose 7–10") */
  error?: string | null;
}

/** A searchable checklist of the user's AI-validated notes; at most PICK_MAX can be ticked. */
export function NotePicker({ selected, onChange, error }: NotePickerProps) {
  const t = useMessages(messages);
  const [search, setSearch] = useState('');
  const countId = useId();
  const errorId = useId();
  const query = useQuery({
    queryKey: qk.contents.list(VALIDATED),
    queryFn: ({ signal }) => api.get<ContentsPage>('/api/contents/', { query: VALIDATED, signal }),
  });

  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const notes = query.data?.results ?? [];
    if (!needle) return notes;
    return notes.filter(
      (n) => n.title.toLowerCase().includes(needle) || (n.category?.name.toLowerCase().includes(needle) ?? false),
    );
  }, [query.data, search]);

  const full = selected.length >= PICK_MAX;
  const toggle = (id: Id, on: boolean) => {
    if (on && !selected.includes(id) && !full) onChange([...selected, id]);
    if (!on) onChange(selected.filter((x) => x !== id));
  };

  return (
    <QueryView
      query={query}
      loading={<Skeleton lines={6} height="2.75rem" />}
      isEmpty={(d) => d.results.length === 0}
      empty={
        <EmptyState
          title={t('noValidated')}
          description={t('noValidatedText')}
          action={<LinkButton to="/contents" variant="secondary">{t('toNotes')}</LinkButton>}
        />
      }
    >
      {(data) => (
        <div className={styles.picker}>
          {data.count < PICK_MIN && (
            <p className="notice" role="note">
              {t('tooFewValidated', { count: data.count })}
            </p>
          )}
          <TextField
            label={t('searchNotes')}
            type="search"
            placeholder={t('searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
          />
          <p id={countId} className={styles.count} aria-live="polite">
            <strong>{t('selectedCount', { count: selected.length })}</strong>
            {full && <span className="muted"> · {t('selectedMax')}</span>}
          </p>
          {error && (
            <p id={errorId} className="field__error" role="alert">
              {error}
            </p>
          )}
          <fieldset
            className={styles.checklist}
            aria-describedby={[countId, error ? errorId : null].filter(Boolean).join(' ')}
            data-invalid={error ? true : undefined}
          >
            <legend className="visually-hidden">{t('pickNotes')}</legend>
            {visible.length === 0 ? (
              <p className="muted">{t('noMatches')}</p>
            ) : (
              visible.map((note) => {
                const checked = selected.includes(note.id);
                return (
                  <Checkbox
                    key={note.id}
                    label={note.title}
                    hint={note.category?.name ?? t('uncategorized')}
                    checked={checked}
                    disabled={!checked && full}
                    onChange={(e) => toggle(note.id, e.target.checked)}
                  />
                );
              })
            )}
          </fieldset>
        </div>
      )}
    </QueryView>
  );
}
