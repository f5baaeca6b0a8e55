import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { qk } from '../../api/queryKeys';
import { json } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import ReviewPage from './ReviewPage';
import { completions, objective, serve } from './testing';

function render() {
  const utils = renderPage(<ReviewPage />, { path: '/review', initialUser: testUser });
  return { ...utils, user: userEvent.setup() };
}

describe('ReviewPage — recall cards', () => {
  it('shows the title first; Space reveals the body; a grade key moves on', async () => {
    const { calls } = serve([objective(11, '소유권', '값의 **소유자**는 하나'), objective(12, '빌림')]);
    const { user } = render();
    const heading = await screen.findByRole('heading', { level: 2, name: '소유권' });
    expect(heading).toHaveFocus();
    expect(screen.queryByText('소유자')).toBeNull();
    expect(screen.getByRole('progressbar', { name: '복습 진행' })).toHaveAttribute('aria-valuetext', '2장 중 0장 완료');
    const hints = screen.getByRole('list', { name: '키보드 단축키' });
    expect(within(hints).getByText('Space')).toBeInTheDocument();

    await user.keyboard(' ');
    const answer = await screen.findByRole('region', { name: '답' });
    await waitFor(() => expect(within(answer).getByText('소유자').tagName).toBe('STRONG'));
    expect(screen.getByRole('button', { name: '기억함' })).toHaveAttribute('aria-keyshortcuts', '3');

    await user.keyboard('2');
    expect(await screen.findByRole('heading', { level: 2, name: '빌림' })).toBeInTheDocument();
    const [first] = completions(calls);
    expect(first?.url).toBe('/api/review/schedules/11/completions/');
    expect(first?.body).toMatchObject({ result: 'partial', time_spent: expect.any(Number) });
    expect(first?.headers['idempotency-key']).toMatch(/\S{8,}/);
    expect(screen.getByRole('progressbar', { name: '복습 진행' })).toHaveAttribute('aria-valuenow', '1');
  });

  it('1, 2 and 3 send forgot, partial and remembered, then sums up the session', async () => {
    const { calls } = serve([objective(1, 'A'), objective(2, 'B'), objective(3, 'C')]);
    const { user } = render();
    for (const [title, key] of [['A', '1'], ['B', '2'], ['C', '3']] as const) {
      await screen.findByRole('heading', { level: 2, name: title });
      await user.keyboard(' ');
      await screen.findByRole('region', { name: '답' });
      await user.keyboard(key);
    }
    expect(await screen.findByRole('heading', { name: '복습을 마쳤습니다!' })).toHaveFocus();
    expect(completions(calls).map((c) => (c.body as { result: string }).result)).toEqual(['forgot', 'partial', 'remembered']);
    const summary = screen.getByRole('region', { name: '복습을 마쳤습니다!' });
    expect(within(summary).getByText(/3장을 .*초 동안 복습했습니다/)).toBeInTheDocument();
    for (const label of ['기억함', '애매함', '잊음']) {
      expect(within(summary).getByText(label).nextElementSibling).toHaveTextContent('1');
    }
    expect(within(summary).getByRole('link', { name: '대시보드로' })).toHaveAttribute('href', '/dashboard');
    expect(within(summary).getByRole('button', { name: '잊은 카드 다시 복습' })).toBeInTheDocument();
  });

  it('marks the dashboard and today stale after a completion', async () => {
    serve([objective(1, 'A'), objective(2, 'B')]);
    const { user, queryClient } = render();
    queryClient.setQueryData(qk.review.dashboard(), { today_reviews: 2 });
    await screen.findByRole('heading', { level: 2, name: 'A' });
    await user.keyboard(' ');
    await screen.findByRole('region', { name: '답' });
    await user.keyboard('3');
    await screen.findByRole('heading', { level: 2, name: 'B' });
    expect(queryClient.getQueryState(qk.review.dashboard())?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(qk.review.today())?.isInvalidated).toBe(true);
  });

  it('does not grade before the answer is shown', async () => {
    const { calls } = serve([objective(1, 'A')]);
    const { user } = render();
    await screen.findByRole('heading', { level: 2, name: 'A' });
    await user.keyboard('3');
    expect(completions(calls)).toHaveLength(0);
    expect(screen.queryByRole('region', { name: '답' })).toBeNull();
  });

  it('keeps the result offline and says it will sync', async () => {
    serve([objective(1, 'A'), objective(2, 'B')], () => {
      throw new TypeError('Failed to fetch');
    });
    const { user } = render();
    await screen.findByRole('heading', { level: 2, name: 'A' });
    await user.keyboard(' ');
    await screen.findByRole('region', { name: '답' });
    await user.keyboard('3');
    expect(await screen.findByText('오프라인으로 저장했습니다. 연결되면 자동으로 동기화합니다.')).toBeInTheDocument();
    expect(JSON.parse(localStorage.getItem('resee.outbox') ?? '[]')).toHaveLength(1);
    await screen.findByRole('heading', { level: 2, name: 'B' });
    await user.keyboard(' ');
    await screen.findByRole('region', { name: '답' });
    await user.keyboard('1');
    expect(await screen.findByText('2장은 오프라인으로 저장되어 연결되면 동기화됩니다.')).toBeInTheDocument();
  });

  it('says when nothing is due, with the next due day', async () => {
    serve([], undefined, 5);
    render();
    expect(await screen.findByRole('heading', { name: '오늘 복습할 카드가 없습니다' })).toBeInTheDocument();
    expect(await screen.findByText(/다음 복습은 .*, 4장입니다\./)).toBeInTheDocument();
  });

  it('shows an error when the API refuses a completion, and keeps the card', async () => {
    serve([objective(1, 'A')], () => json({ error: '복습 일정을 찾을 수 없거나 일시 중지되었습니다.' }, 404));
    const { user } = render();
    await screen.findByRole('heading', { level: 2, name: 'A' });
    await user.keyboard(' ');
    await screen.findByRole('region', { name: '답' });
    await user.keyboard('3');
    expect(await screen.findByText(/일시 중지되었습니다/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'A' })).toBeInTheDocument();
  });
});
