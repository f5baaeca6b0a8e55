import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { AnswerResponse, Id } from '../../api/types';

export type SaveState = 'saving' | 'saved' | 'error';

interface Stored {
  /** answers the API accepted, by question id */
  answers: Record<string, string>;
  /** the question index last shown */
  current: number;
}

const storageKey = (examId: Id) => `resee.exam.${examId}`;

function read(examId: Id): Stored {
  try {
    const raw = sessionStorage.getItem(storageKey(examId));
    const parsed = raw ? (JSON.parse(raw) as Partial<Stored>) : null;
    return {
      answers: parsed?.answers && typeof parsed.answers === 'object' ? parsed.answers : {},
      current: typeof parsed?.current === 'number' ? parsed.current : 0,
    };
  } catch {
    return { answers: {}, current: 0 };
  }
}

function write(examId: Id, value: Stored): void {
  try {
    sessionStorage.setItem(storageKey(examId), JSON.stringify(value));
  } catch {
    // storage full or disabled: answers still reach the API
  }
}

/** Forget an exam's local progress (after finishing it). */
export function clearExamProgress(examId: Id): void {
  try {
    sessionStorage.removeItem(storageKey(examId));
  } catch {
    // ignore
  }
}

/**
 * The answers of an exam in progress. The API does not return given answers when an exam is
 * resumed, so the accepted ones are kept per exam in sessionStorage (this tab).
 * Answers are posted in order; a post superseded by a newer answer to the same question is skipped.
 */
export function useExamAnswers(examId: Id) {
  const [initial] = useState(() => read(examId));
  const [answers, setAnswers] = useState<Record<string, string>>(initial.answers);
  const [current, setCurrentState] = useState(initial.current);
  const [saveState, setSaveState] = useState<Record<string, SaveState>>({});
  const stored = useRef<Stored>(initial);
  const latest = useRef<Record<string, string>>({ ...initial.answers });
  const chain = useRef<Promise<void>>(Promise.resolve());
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const setCurrent = useCallback(
    (index: number) => {
      setCurrentState(index);
      stored.current = { ...stored.current, current: index };
      write(examId, stored.current);
    },
    [examId],
  );

  const post = useCallback(
    (questionId: Id, value: string): Promise<void> => {
      const key = String(questionId);
      latest.current[key] = value;
      setSaveState((s) => ({ ...s, [key]: 'saving' }));
      const run = chain.current.then(async () => {
        if (latest.current[key] !== value) return; // a newer answer is queued
        let state: SaveState = 'saved';
        try {
          await api.post<AnswerResponse>(`/api/exams/test-sessions/${examId}/answers/`, {
            question_id: questionId,
            user_answer: value,
          });
          stored.current = { ...stored.current, answers: { ...stored.current.answers, [key]: value } };
          write(examId, stored.current);
        } catch {
          state = 'error';
        }
        if (mounted.current && latest.current[key] === value) setSaveState((s) => ({ ...s, [key]: state }));
      });
      chain.current = run;
      return run;
    },
    [examId],
  );

  const answer = useCallback(
    (questionId: Id, value: string) => {
      setAnswers((a) => ({ ...a, [String(questionId)]: value }));
      void post(questionId, value);
    },
    [post],
  );

  /** Waits for queued posts and retries failed ones once; true when every answer is saved. */
  const flush = useCallback(async (): Promise<boolean> => {
    await chain.current;
    const failed = Object.entries(latest.current).filter(([key, value]) => stored.current.answers[key] !== value);
    for (const [key, value] of failed) await post(Number(key), value);
    return Object.entries(latest.current).every(([key, value]) => stored.current.answers[key] === value);
  }, [post]);

  return { answers, answer, saveState, retry: post, flush, current, setCurrent };
}
