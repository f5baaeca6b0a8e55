import { useRef, useState, type KeyboardEvent } from 'react';
import styles from './ExamTakePage.module.css';

export interface Choice {
  value: string;
  label: string;
  /** a short visual marker (A, B… or O/X), hidden from assistive tech */
  marker: string;
}

export interface ChoiceGroupProps {
  /** the group's name (stable: "Choices") */
  label: string;
  /** id of the element that describes the group (the question text) */
  describedBy: string;
  choices: Choice[];
  value: string | undefined;
  onChange: (value: string) => void;
}

const NEXT = new Set(['ArrowDown', 'ArrowRight']);
const PREV = new Set(['ArrowUp', 'ArrowLeft']);

/**
 * A radio group (WAI-ARIA pattern): one tab stop; arrow keys move and select, Home/End jump,
 * Space selects. Render it with `key={question.id}` so the focus position resets per question.
 */
export function ChoiceGroup({ label, describedBy, choices, value, onChange }: ChoiceGroupProps) {
  const selectedIndex = choices.findIndex((c) => c.value === value);
  const [focusIndex, setFocusIndex] = useState(Math.max(0, selectedIndex));
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const tabStop = selectedIndex >= 0 ? selectedIndex : focusIndex;

  const move = (index: number) => {
    const n = choices.length;
    const i = ((index % n) + n) % n;
    const choice = choices[i];
    if (!choice) return;
    setFocusIndex(i);
    refs.current[i]?.focus();
    onChange(choice.value);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    if (NEXT.has(event.key)) move(index + 1);
    else if (PREV.has(event.key)) move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(choices.length - 1);
    else return;
    event.preventDefault();
  };

  return (
    <div role="radiogroup" aria-label={label} aria-describedby={describedBy} className={styles.choices}>
      {choices.map((choice, i) => {
        const checked = choice.value === value;
        return (
          <button
            key={choice.value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={checked}
            tabIndex={i === tabStop ? 0 : -1}
            className={styles.choice}
            onClick={() => {
              setFocusIndex(i);
              onChange(choice.value);
            }}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            <span className={styles.marker} aria-hidden="true">
              {choice.marker}
            </span>
            <span className={styles.choiceText}>{choice.label}</span>
          </button>
        );
      })}
    </div>
  );
}
