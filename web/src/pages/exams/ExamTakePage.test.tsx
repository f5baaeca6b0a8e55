import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import ExamTakePage from './ExamTakePage';
import { exam } from './fixtures';

function api() {
  return mockFetch((call) => {
    if (call.url === '/api/exams/test-sessions/') return json({ message: 'started', test: exam(5) });
    if (call.url === '/api/exams/test-sessions/5/answers/')
      return json({ message: 'ok', answer_id: 1, is_correct: true, points_earned: 1 }, 201);
    if (call.url === '/api/exams/test-sessions/5/' && call.method === 'PATCH')
      return json({ message: 'done', score_percentage: 33.3, correct_answers: 1, total_questions: 3, time_spent: '00:01:00' });
    return json({}, 404);
  });
}

const render = () => renderPage(<ExamTakePage />, { path: '/exams/5/take', route: '/exams/:id/take', initialUser: testUser });
const map = () => within(screen.getByRole('navigation', { name: '문제 목록' }));

describe('ExamTakePage', () => {
  it('starts the session and shows one question at a time with a progress map', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    expect(await screen.findByText('What does HTTP stand for?')).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ url: '/api/exams/test-sessions/', method: 'POST', body: { test_id: 5 } });
    expect(screen.queryByText('TCP is connectionless.')).toBeNull();
    expect(screen.getAllByRole('radiogroup')).toHaveLength(1);
    expect(map().getByRole('button', { name: '1번 문제, 답하지 않음' })).toHaveAttribute('aria-current', 'step');

    await user.click(map().getByRole('button', { name: '3번 문제, 답하지 않음' }));
    expect(screen.getByText('Which port does HTTPS use?')).toBeInTheDocument();
    expect(screen.getByText('3문제 중 3번')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '다음 문제' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: '이전 문제' }));
    expect(screen.getByText('TCP is connectionless.')).toBeInTheDocument();
  });

  it('answers with clicks and arrow keys, posting the right body', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    const group = await screen.findByRole('radiogroup', { name: '보기' });
    expect(group).toHaveAccessibleDescription('What does HTTP stand for?');
    const radios = within(group).getAllByRole('radio');
    expect(radios.map((r) => r.tabIndex)).toEqual([0, -1, -1, -1]); // one tab stop

    await user.click(radios[0]!);
    expect(radios[0]).toHaveAttribute('aria-checked', 'true');
    fireEvent.keyDown(radios[0]!, { key: 'ArrowDown' });
    expect(radios[1]).toHaveAttribute('aria-checked', 'true');
    expect(radios[1]).toHaveFocus();
    fireEvent.keyDown(radios[1]!, { key: 'ArrowUp' });
    fireEvent.keyDown(radios[0]!, { key: 'ArrowUp' }); // wraps to the last
    expect(radios[3]).toHaveAttribute('aria-checked', 'true');
    expect(await screen.findByText(/저장됨/)).toBeInTheDocument();
    const answers = calls.filter((c) => c.url.endsWith('/answers/'));
    expect(answers.at(-1)?.body).toEqual({ question_id: 11, user_answer: 'None' });
    expect(map().getByRole('button', { name: '1번 문제, 답함' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '다음 문제' }));
    await user.click(screen.getByRole('radio', { name: 'X (틀리다)' }));
    await waitFor(() =>
      expect(calls.filter((c) => c.url.endsWith('/answers/')).at(-1)?.body).toEqual({ question_id: 12, user_answer: 'X' }),
    );
  });

  it('asks before finishing with unanswered questions, then completes and opens the results', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    await user.click(await screen.findByRole('radio', { name: 'Hyper Text Transfer Protocol' }));
    await user.click(screen.getByRole('button', { name: '시험 마치기' }));
    const dialog = screen.getByRole('dialog', { name: '시험을 마칠까요?' });
    expect(dialog).toHaveTextContent('답하지 않은 문제가 2개 있습니다.');
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: '마치기' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/exams/5/results'));
    expect(calls.find((c) => c.method === 'PATCH')?.url).toBe('/api/exams/test-sessions/5/');
    expect(sessionStorage.getItem('resee.exam.5')).toBeNull();
  });

  it('still confirms when every question is answered', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    await user.click(await screen.findByRole('radio', { name: 'Hyper Text Transfer Protocol' }));
    await user.click(screen.getByRole('button', { name: '다음 문제' }));
    await user.click(screen.getByRole('radio', { name: 'X (틀리다)' }));
    await user.click(screen.getByRole('button', { name: '다음 문제' }));
    await user.click(screen.getByRole('radio', { name: '443' }));
    await user.click(screen.getByRole('button', { name: '시험 마치기' }));
    const dialog = screen.getByRole('dialog', { name: '시험을 마칠까요?' });
    expect(dialog).toHaveTextContent('모든 문제에 답했습니다.');
    await user.click(within(dialog).getByRole('button', { name: '마치기' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/exams/5/results'));
    // every answer reached the API before the exam was completed
    const sent = calls.filter((c) => c.url.endsWith('/answers/')).map((c) => c.body);
    expect(sent).toEqual([
      { question_id: 11, user_answer: 'Hyper Text Transfer Protocol' },
      { question_id: 12, user_answer: 'X' },
      { question_id: 13, user_answer: '443' },
    ]);
    expect(calls.at(-1)?.method).toBe('PATCH');
  });

  it('shows answers saved earlier in this tab when resuming', async () => {
    sessionStorage.setItem('resee.exam.5', JSON.stringify({ answers: { '12': 'O' }, current: 1 }));
    api();
    render();
    expect(await screen.findByText('TCP is connectionless.')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'O (맞다)' })).toHaveAttribute('aria-checked', 'true');
    expect(map().getByRole('button', { name: '2번 문제, 답함' })).toHaveAttribute('aria-current', 'step');
  });

  it('explains when the exam cannot be started', async () => {
    mockFetch(() => json({ error: '이미 끝난 시험입니다.' }, 400));
    render();
    expect(await screen.findByText('이미 끝난 시험입니다.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '결과 보기' })).toHaveAttribute('href', '/exams/5/results');
  });
});
