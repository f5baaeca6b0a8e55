import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setLang } from '../../i18n/core';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import ExamResultsPage from './ExamResultsPage';
import { results } from './fixtures';

const render = () =>
  renderPage(<ExamResultsPage />, { path: '/exams/5/results', route: '/exams/:id/results', initialUser: testUser });

describe('ExamResultsPage', () => {
  it('shows the score, time spent and every question with both answers and the explanation', async () => {
    const { calls } = mockFetch(() => json(results(5)));
    render();
    expect(await screen.findByRole('heading', { level: 1, name: 'Exam 5' })).toBeInTheDocument();
    expect(calls[0]?.url).toBe('/api/exams/test-sessions/5/results/');
    expect(screen.getByText('66.7%')).toBeInTheDocument();
    expect(screen.getByText('3문제 중 2문제 정답')).toBeInTheDocument();
    expect(screen.getByText('12분 34초')).toBeInTheDocument();

    const items = screen.getAllByRole('article');
    expect(items).toHaveLength(3);
    const tf = within(items[1]!);
    expect(tf.getByRole('heading', { name: '2번 문제' })).toBeInTheDocument();
    expect(tf.getByText('오답')).toBeInTheDocument();
    expect(tf.getByText('O (맞다)')).toBeInTheDocument(); // the user's answer
    expect(tf.getByText('X (틀리다)')).toBeInTheDocument(); // the correct one
    expect(tf.getByText('Because 2')).toBeInTheDocument();
    expect(tf.getByRole('link', { name: '노트 보기: TCP' })).toHaveAttribute('href', '/contents/2');
    expect(within(items[2]!).getByText('답하지 않음')).toBeInTheDocument();
    expect(within(items[0]!).getByText('정답', { selector: 'span' })).toBeInTheDocument();
  });

  it('renders in English', async () => {
    setLang('en');
    mockFetch(() => json(results(5)));
    render();
    expect(await screen.findByText('2 of 3 correct')).toBeInTheDocument();
    expect(screen.getByText('12 min 34 s')).toBeInTheDocument();
  });

  it('says when the exam is not completed yet', async () => {
    mockFetch(() => json({ error: '결과는 시험을 마친 뒤에 볼 수 있습니다.' }, 400));
    render();
    expect(await screen.findByText('결과는 시험을 마친 뒤에 볼 수 있습니다.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '시험 이어서 풀기' })).toHaveAttribute('href', '/exams/5/take');
  });
});
