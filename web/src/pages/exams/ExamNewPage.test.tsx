import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, type Call } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import ExamNewPage from './ExamNewPage';
import { exam, note } from './fixtures';

const NOTES = Array.from({ length: 12 }, (_, i) => note(i + 1, `Note ${i + 1}`));

function api(create: (call: Call) => Response = () => json({ ...exam(9, 'preparing'), questions: [] }, 201)) {
  return mockFetch((call) => {
    if (call.url.startsWith('/api/contents/'))
      return json({ count: NOTES.length, next: null, previous: null, results: NOTES, usage: {} });
    if (call.url === '/api/exams/' && call.method === 'POST') return create(call);
    return json({}, 404);
  });
}

const render = () => renderPage(<ExamNewPage />, { path: '/exams/new', initialUser: testUser });

describe('ExamNewPage', () => {
  it('creates an automatic exam with empty content_ids and goes to the list', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    expect(screen.getByRole('radio', { name: /자동으로 고르기/ })).toBeChecked();
    await user.type(screen.getByLabelText(/제목/), ' Week 10 ');
    await user.click(screen.getByRole('button', { name: '시험 만들기' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/exams'));
    const post = calls.find((c) => c.method === 'POST');
    expect(post).toMatchObject({ url: '/api/exams/', body: { content_ids: [], title: 'Week 10' } });
    expect(calls.some((c) => c.url.startsWith('/api/contents/'))).toBe(false); // no picker in automatic mode
  });

  it('enforces 7–10 picked notes and sends the chosen ids', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    await user.click(screen.getByRole('radio', { name: /직접 고르기/ }));
    const boxes = await screen.findAllByRole('checkbox');
    expect(boxes).toHaveLength(12);
    expect(calls.find((c) => c.url.startsWith('/api/contents/'))?.url).toBe(
      '/api/contents/?is_ai_validated=true&page_size=100',
    );

    for (const box of boxes.slice(0, 3)) await user.click(box);
    expect(screen.getByText('3개 선택 (7~10개)')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '시험 만들기' }));
    expect(await screen.findByText('노트를 7~10개 골라 주세요. (지금 3개)')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    for (const box of boxes.slice(3, 10)) await user.click(box);
    expect(screen.getByText('10개 선택 (7~10개)')).toBeInTheDocument();
    expect(boxes[10]).toBeDisabled(); // an 11th cannot be ticked
    await user.click(boxes[9]!); // untick one → 9
    expect(boxes[10]).toBeEnabled();

    await user.type(screen.getByLabelText('노트 검색'), 'Note 1');
    const labels = screen.getAllByRole('checkbox').map((b) => (b as HTMLInputElement).labels?.[0]?.textContent);
    expect(labels).toEqual(['Note 1', 'Note 10', 'Note 11', 'Note 12']);

    await user.click(screen.getByRole('button', { name: '시험 만들기' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/exams'));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ content_ids: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
  });

  it("shows the server's refusal (too few validated notes)", async () => {
    const user = userEvent.setup();
    api(() => json({ error: '시험을 만들려면 AI 검증된 콘텐츠가 3개 더 필요합니다.' }, 400));
    render();
    await user.click(screen.getByRole('button', { name: '시험 만들기' }));
    const alert = await screen.findByText('시험을 만들려면 AI 검증된 콘텐츠가 3개 더 필요합니다.');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(screen.queryByTestId('location')).toBeNull();
  });

  it('shows the one-exam-per-week {detail}', async () => {
    const user = userEvent.setup();
    api(() => json({ detail: 'You can create one exam per week.' }, 400));
    render();
    await user.click(screen.getByRole('button', { name: '시험 만들기' }));
    expect(await screen.findByText('You can create one exam per week.')).toHaveAttribute('role', 'alert');
  });
});
