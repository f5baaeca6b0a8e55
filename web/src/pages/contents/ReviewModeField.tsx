import { useId } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import type { ReviewMode } from '../../api/types';
import { LIMITS } from '../../forms/rules';
import { useMessages } from '../../i18n/react';
import { editorMessages } from './editorMessages';
import { REVIEW_MODES } from './editorForm';
import styles from './ContentEditor.module.css';

const LABELS = {
  objective: ['modeObjective', 'modeObjectiveDesc'],
  multiple_choice: ['modeMultipleChoice', 'modeMultipleChoiceDesc'],
  descriptive: ['modeDescriptive', 'modeDescriptiveDesc'],
} as const satisfies Record<ReviewMode, readonly [string, string]>;

interface Props {
  value: ReviewMode;
  bodyChars: number;
  registration: UseFormRegisterReturn<'review_mode'>;
  error?: string | undefined;
}

/**
 * Recall / multiple choice / written. The AI modes are disabled (with the reason and the current
 * count) while the body is under 200 characters — except the one already chosen, which stays
 * selectable and gets an error instead, so the form never holds a value it cannot show.
 */
export function ReviewModeField({ value, bodyChars, registration, error }: Props) {
  const t = useMessages(editorMessages);
  const id = useId();
  const tooShort = bodyChars < LIMITS.aiContentMin;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const selectedTooShort = tooShort && value !== 'objective';
  const message = error ?? (selectedTooShort ? t('modeNeedsBody', { min: LIMITS.aiContentMin }) : undefined);
  return (
    <fieldset
      className={`${styles.modes}${message ? ' field--invalid' : ''}`}
      aria-describedby={[hintId, message ? errorId : ''].filter(Boolean).join(' ')}
    >
      <legend className="field__label">{t('reviewMode')}</legend>
      <div className={styles.modeList}>
        {REVIEW_MODES.map((mode) => {
          const [label, desc] = LABELS[mode];
          const disabled = mode !== 'objective' && tooShort && value !== mode;
          return (
            <label key={mode} className={styles.mode} data-disabled={disabled || undefined}>
              <input
                type="radio"
                value={mode}
                disabled={disabled}
                aria-describedby={`${id}-${mode}`}
                {...registration}
              />
              <span className={styles.modeText}>
                <span className={styles.modeName}>{t(label)}</span>
                <span id={`${id}-${mode}`} className={styles.modeDesc}>
                  {t(desc)}
                </span>
              </span>
            </label>
          );
        })}
      </div>
      <p id={hintId} className="field__hint">
        {tooShort
          ? t('aiModesNeed', { min: LIMITS.aiContentMin, count: bodyChars })
          : t('aiModesReady', { count: bodyChars })}
      </p>
      {message && (
        <p id={errorId} className="field__error">
          {message}
        </p>
      )}
    </fieldset>
  );
}
