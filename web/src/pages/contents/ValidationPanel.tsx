import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Id, ValidationAspect, ValidationResult } from '../../api/types';
import { Button } from '../../components/Button';
import { LIMITS } from '../../forms/rules';
import { useMessages } from '../../i18n/react';
import { editorMessages } from './editorMessages';
import styles from './ContentEditor.module.css';

interface SavedValidation {
  message: string;
  is_valid: boolean;
  ai_validation_score: number | null;
  validated_at: string | null;
  result: ValidationResult | null;
}

const ASPECTS = [
  ['factual_accuracy', 'factualAccuracy'],
  ['logical_consistency', 'logicalConsistency'],
  ['title_relevance', 'titleRelevance'],
] as const;

/** A stored `ai_validation_result` (unknown JSON) when it has the expected shape. */
export function asValidationResult(value: unknown): ValidationResult | null {
  const v = value as ValidationResult | null;
  return v && typeof v === 'object' && typeof v.factual_accuracy?.score === 'number' ? v : null;
}

function Aspect({ label, aspect }: { label: string; aspect: ValidationAspect | undefined }) {
  const t = useMessages(editorMessages);
  if (!aspect) return null;
  const score = Math.round(aspect.score);
  return (
    <li className={styles.aspect}>
      <div className={styles.aspectHead}>
        <span>{label}</span>
        <span className={styles.aspectScore}>{t('scoreValue', { score })}</span>
      </div>
      <span
        className={styles.scoreTrack}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={score}
        data-low={score < 70 || undefined}
      >
        <span className={styles.scoreFill} style={{ width: `${Math.max(0, Math.min(100, score))}%` }} />
      </span>
      {aspect.issues.length > 0 && (
        <ul className={styles.issues} aria-label={`${label}: ${t('issues')}`}>
          {aspect.issues.map((issue, i) => (
            <li key={i}>{issue}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

interface Props {
  /** the saved note, if any */
  contentId?: Id;
  /** the form differs from the saved note (then the current text is validated without storing) */
  dirty: boolean;
  title: string;
  content: string;
  bodyChars: number;
  /** a result stored with the note */
  stored?: ValidationResult | null;
}

/** "Validate with AI": the three scores with their issues, the overall comment and pass/fail. */
export function ValidationPanel({ contentId, dirty, title, content, bodyChars, stored = null }: Props) {
  const t = useMessages(editorMessages);
  const queryClient = useQueryClient();
  const [result, setResult] = useState<ValidationResult | null>(stored);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ready = title.trim().length > 0 && bodyChars >= LIMITS.aiContentMin;
  const storing = contentId !== undefined && !dirty;

  const run = async () => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      if (storing) {
        const saved = await api.post<SavedValidation>(`/api/contents/${contentId}/validate_and_save/`);
        setResult(asValidationResult(saved.result));
        setMessage(saved.message);
        void queryClient.invalidateQueries({ queryKey: qk.contents.all });
      } else {
        setResult(await api.post<ValidationResult>('/api/contents/validate/', { title, content }));
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.validation} aria-labelledby="validation-heading">
      <div className={styles.validationHead}>
        <h2 id="validation-heading" className={styles.sectionTitle}>
          {t('validationHeading')}
        </h2>
        <Button variant="secondary" onClick={() => void run()} loading={busy} disabled={!ready} aria-describedby="validation-hint">
          {busy ? t('validating') : t('validate')}
        </Button>
      </div>
      <p id="validation-hint" className="field__hint">
        {!ready ? t('validateNeeds', { min: LIMITS.aiContentMin }) : contentId !== undefined && dirty ? t('validateUnsaved') : ''}
      </p>
      <div aria-live="polite">
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {result && (
          <div className={styles.result}>
            <p className={styles.verdict} data-valid={result.is_valid}>
              {result.is_valid ? t('validationPassed') : t('validationFailed')}
              {message && <span className={styles.verdictMessage}> — {message}</span>}
            </p>
            <ul className={styles.aspects}>
              {ASPECTS.map(([key, label]) => (
                <Aspect key={key} label={t(label)} aspect={result[key]} />
              ))}
            </ul>
            {result.overall_feedback && (
              <div>
                <h3 className={styles.feedbackTitle}>{t('overallFeedback')}</h3>
                <p className={styles.feedback}>{result.overall_feedback}</p>
              </div>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
