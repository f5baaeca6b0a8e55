import { useId, type ReactNode } from 'react';
import type { Usage } from '../api/types';
import { isUnlimited, usagePercent } from '../lib/usage';
import styles from './UsageMeter.module.css';

export interface UsageMeterProps {
  usage: Usage;
  /** what is counted, e.g. "Notes" */
  label: string;
  /** the visible value, e.g. "12 / 20" or "12 (unlimited)" — also the meter's aria-valuetext */
  valueText: string;
  /** shown under the bar, e.g. the limit-reached hint */
  hint?: ReactNode;
}

/** A plan-usage bar (role="meter"); unlimited plans show the count without a bar fill. */
export function UsageMeter({ usage, label, valueText, hint }: UsageMeterProps) {
  const id = useId();
  const unlimited = isUnlimited(usage);
  const percent = usagePercent(usage);
  const tone = !usage.can_create ? 'full' : percent >= 80 ? 'high' : 'ok';
  return (
    <div className={styles.meter}>
      <div className={styles.head}>
        <span id={`${id}-label`} className={styles.label}>
          {label}
        </span>
        <span className={styles.value}>{valueText}</span>
      </div>
      <div
        className={styles.track}
        role="meter"
        aria-labelledby={`${id}-label`}
        aria-valuemin={0}
        aria-valuemax={unlimited ? usage.current || 1 : usage.limit}
        aria-valuenow={usage.current}
        aria-valuetext={valueText}
        data-tone={tone}
      >
        <span className={styles.fill} style={{ width: `${unlimited ? 0 : percent}%` }} />
      </div>
      {hint && <div className={styles.hint}>{hint}</div>}
    </div>
  );
}
