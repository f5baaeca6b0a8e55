import { useDeferredValue, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { Markdown } from '../../components/Markdown';
import { LIMITS } from '../../forms/rules';
import { useFormat, useMessages } from '../../i18n/react';
import { useDebounced } from '../../lib/useDebounced';
import { useMediaQuery } from '../../lib/useMediaQuery';
import { charCount } from '../../lib/text';
import { editorMessages } from './editorMessages';
import styles from './ContentEditor.module.css';

type Tab = 'write' | 'preview';

interface Props {
  value: string;
  registration: UseFormRegisterReturn<'content'>;
  error?: string | undefined;
}

/**
 * The Markdown body with a live preview: side by side on wide screens, "Write / Preview" tabs on
 * phones. The preview uses the lazy renderer (its chunk loads when a preview is first shown).
 */
export function EditorBody({ value, registration, error }: Props) {
  const t = useMessages(editorMessages);
  const f = useFormat();
  const wide = useMediaQuery('(min-width: 900px)');
  const [tab, setTab] = useState<Tab>('write');
  const id = useId();
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ write: null, preview: null });
  const preview = useDeferredValue(useDebounced(value, 200));
  const count = charCount(value);
  const over = count > LIMITS.contentMax;

  // A field error must be visible: go back to the text.
  useEffect(() => {
    if (error) setTab('write');
  }, [error]);

  const showWrite = wide || tab === 'write';
  const showPreview = wide || tab === 'preview';

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const next: Tab = e.key === 'Home' ? 'write' : e.key === 'End' ? 'preview' : tab === 'write' ? 'preview' : 'write';
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  const describedBy = [`${id}-hint`, `${id}-count`, error ? `${id}-error` : ''].filter(Boolean).join(' ');

  return (
    <div className={`field ${styles.body}${error ? ' field--invalid' : ''}`}>
      <div className={styles.bodyHead}>
        <label htmlFor={`${id}-input`} className="field__label">
          {t('body')}
        </label>
        {!wide && (
          <div role="tablist" aria-label={t('editorTabs')} className={styles.tabs}>
            {(['write', 'preview'] as const).map((name) => (
              <button
                key={name}
                ref={(el) => {
                  tabRefs.current[name] = el;
                }}
                type="button"
                role="tab"
                id={`${id}-tab-${name}`}
                aria-selected={tab === name}
                aria-controls={`${id}-panel-${name}`}
                tabIndex={tab === name ? 0 : -1}
                className={styles.tab}
                onClick={() => setTab(name)}
                onKeyDown={onTabKey}
              >
                {t(name === 'write' ? 'tabWrite' : 'tabPreview')}
              </button>
            ))}
          </div>
        )}
      </div>
      <div className={wide ? styles.split : undefined}>
        <div
          id={`${id}-panel-write`}
          role={wide ? undefined : 'tabpanel'}
          aria-labelledby={wide ? undefined : `${id}-tab-write`}
          hidden={!showWrite}
        >
          <textarea
            id={`${id}-input`}
            className={`input input--textarea ${styles.textarea}`}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            spellCheck
            {...registration}
          />
        </div>
        <div
          id={`${id}-panel-preview`}
          role={wide ? 'region' : 'tabpanel'}
          aria-label={wide ? t('preview') : undefined}
          aria-labelledby={wide ? undefined : `${id}-tab-preview`}
          hidden={!showPreview}
          className={styles.preview}
          tabIndex={0}
        >
          {showPreview &&
            (preview.trim() ? (
              <Markdown source={preview} skeletonLines={6} />
            ) : (
              <p className="muted">{t('previewEmpty')}</p>
            ))}
        </div>
      </div>
      <div className={styles.bodyFoot}>
        <p id={`${id}-hint`} className="field__hint">
          {t('bodyHint')}
        </p>
        <p id={`${id}-count`} className={over ? styles.counterOver : styles.counter}>
          {t('bodyCounter', { count, max: f.number(LIMITS.contentMax) })}
        </p>
      </div>
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}
