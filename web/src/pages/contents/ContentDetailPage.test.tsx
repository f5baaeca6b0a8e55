import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockFetch } from '../../test/fetch';
import { renderRoutes, testUser } from '../../test/render';
import ContentDetailPage from './ContentDetailPage';
import { category, content, daysFromNow, schedule } from './fixtures';

const note = content(5, {
  title: '소유권',
  content: '# 규칙\n\n값의 **소유자**는 하나입니다.\n\n```rust\nlet s = String::new();\n```',
  category: category(2, 'Rust'),
  review_mode: 'descriptive',
  review_count: 3,
  next_review_date: daysFromNow(3),
  is_ai_validated: true,
  ai_validation_score: 88.3,
  ai_validated_at: '2025-02-01T00:00:00+09:00',
});

const history = {
  count: 1,
  next: null,
  previous: null,
  links: { next: null, previous: null },
  page_size: 25,
  current_page: 1,
  total_pages: 1,
  review_meta: { completion_rate: 0, total_reviews_in_page: 1, completed_reviews_in_page: 0 },
  results: [
    {
      id: 1,
      content: note,
      user: 'me@example.com',
      review_date: '2025-02-02T10:00:00+09:00',
      result: 'partial',
      time_spent: 42,
      notes: '',
      descriptive_answer: '값마다 소유자가 하나',
      ai_score: 65,
      ai_feedback: '핵심은 맞지만 이동을 설명하세요.',
    },
  ],
};

function setup() {
  let active = true;
  const mock = mockFetch(({ url, method, body }) => {
    if (url === '/api/contents/5/' && method === 'GET') return json(note);
    if (url === '/api/contents/5/' && method === 'DELETE') return new Response(null, { status: 204 });
    if (url.startsWith('/api/review/history/')) return json(history);
    if (url.startsWith('/api/review/schedules/?'))
      return json({ ...history, results: [schedule(40, { id: 9 }), { ...schedule(41, { id: 5 }), is_active: active }] });
    if (url === '/api/review/schedules/41/' && method === 'PATCH') {
      active = (body as { is_active: boolean }).is_active;
      return json({ ...schedule(41, { id: 5 }), is_active: active });
    }
    return json({ detail: 'unexpected' }, 500);
  });
  renderRoutes([{ path: '/contents/:id', element: <ContentDetailPage /> }], { path: '/contents/5', initialUser: testUser });
  return { ...mock, user: userEvent.setup() };
}

describe('ContentDetailPage', () => {
  it('renders the note, its details and history', async () => {
    const { calls } = setup();
    expect(await screen.findByRole('heading', { level: 1, name: '소유권' })).toBeInTheDocument();
    const body = screen.getByRole('article');
    await waitFor(() => expect(within(body).getByRole('heading', { name: '규칙' })).toBeInTheDocument());
    expect(within(body).getByText('소유자').tagName).toBe('STRONG');
    expect(body.querySelector('code.language-rust')).not.toBeNull();
    const details = screen.getByRole('region', { name: '정보' });
    expect(within(details).getByText('Rust')).toBeInTheDocument();
    expect(within(details).getByText('서술형')).toBeInTheDocument();
    expect(within(details).getByText('D-3')).toBeInTheDocument();
    expect(within(details).getByText('3회')).toBeInTheDocument();
    expect(within(details).getByText(/검증됨 \(점수 88.3\)/)).toBeInTheDocument();
    const historySection = screen.getByRole('region', { name: '복습 기록' });
    expect(await within(historySection).findByText('애매함')).toBeInTheDocument();
    expect(within(historySection).getByText('42초')).toBeInTheDocument();
    expect(within(historySection).getByText('값마다 소유자가 하나')).toBeInTheDocument();
    expect(within(historySection).getByText('핵심은 맞지만 이동을 설명하세요.')).toBeInTheDocument();
    expect(calls.some((c) => c.url === '/api/review/history/?content=5')).toBe(true);
    expect(screen.getByRole('link', { name: '수정' })).toHaveAttribute('href', '/contents/5/edit');
  });

  it('pauses and resumes the review schedule', async () => {
    const { user, calls } = setup();
    const toggle = await screen.findByRole('switch', { name: '복습 일정 켜기' });
    expect(toggle).toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ url: '/api/review/schedules/41/', body: { is_active: false } });
    expect(await screen.findByText('복습 일정을 멈췄습니다.')).toBeInTheDocument();
  });

  it('deletes after confirmation and goes back to the list', async () => {
    const { user, calls } = setup();
    await user.click(await screen.findByRole('button', { name: '삭제' }));
    const dialog = screen.getByRole('alertdialog', { name: '노트를 삭제할까요?' });
    expect(dialog).toHaveAccessibleDescription(/"소유권" 노트와 복습 기록이 모두 삭제됩니다/);
    await user.click(within(dialog).getByRole('button', { name: '취소' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(screen.getByRole('button', { name: '삭제' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '삭제' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/contents'));
    expect(calls.find((c) => c.method === 'DELETE')?.url).toBe('/api/contents/5/');
  });
});
