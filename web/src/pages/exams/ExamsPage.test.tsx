import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ExamSummary } from '../../api/types';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import ExamsPage from './ExamsPage';
import { exam, summary } from './fixtures';

const page = (results: ExamSummary[]) => ({ count: results.length, next: null, previous: null, results });
const render = () => renderPage(<ExamsPage />, { path: '/exams', initialUser: testUser });

describe('ExamsPage', () => {
  it('lists exams with a status badge and the action of each status', async () => {
    mockFetch(() =>
      json(page([summary(1, 'pending', 'A'), summary(2, 'in_progress', 'B'), summary(3, 'completed', 'C')])),
    );
    render();
    expect(await screen.findByRole('link', { name: '시작하기: A' })).toHaveAttribute('href', '/exams/1/take');
    expect(screen.getByRole('link', { name: '이어서 풀기: B' })).toHaveAttribute('href', '/exams/2/take');
    expect(screen.getByRole('link', { name: '결과 보기: C' })).toHaveAttribute('href', '/exams/3/results');
    expect(screen.getByText('응시 전')).toBeInTheDocument();
    expect(screen.getByText('진행 중')).toBeInTheDocument();
    expect(screen.getByText('완료')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '새 시험 만들기' })).toHaveAttribute('href', '/exams/new');
  });

  it('polls a preparing exam until it is pending', async () => {
    let listCalls = 0;
    const { calls } = mockFetch(({ url }) => {
      if (url === '/api/exams/?page=1') return json(page([summary(7, listCalls++ === 0 ? 'preparing' : 'pending', 'W')]));
      if (url === '/api/exams/7/') return json(exam(7, 'pending'));
      return json({}, 404);
    });
    render();
    expect(await screen.findByText('문제 준비 중')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: '시작하기: W' })).toBeInTheDocument();
    expect(calls.some((c) => c.url === '/api/exams/7/')).toBe(true);
    await waitFor(() => expect(listCalls).toBe(2));
  });

  it('deletes after a confirmation', async () => {
    const user = userEvent.setup();
    let deleted = false;
    const { calls } = mockFetch(({ method }) => {
      if (method === 'DELETE') {
        deleted = true;
        return new Response(null, { status: 204 });
      }
      return json(page(deleted ? [] : [summary(4, 'completed', 'Old')]));
    });
    render();
    await user.click(await screen.findByRole('button', { name: '삭제: Old' }));
    const dialog = screen.getByRole('alertdialog', { name: '시험을 삭제할까요?' });
    await user.click(within(dialog).getByRole('button', { name: '삭제' }));
    expect(await screen.findByText('아직 시험이 없습니다')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')?.url).toBe('/api/exams/4/');
  });
});
