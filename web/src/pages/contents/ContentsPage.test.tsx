import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setLang } from '../../i18n/core';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import ContentsPage from './ContentsPage';
import { category, content, contentsPage, daysFromNow, usage } from './fixtures';

const categories = { count: 2, next: null, previous: null, results: [category(2, 'Rust'), category(3, 'Math')], usage: usage(2, 3) };

const notes = [
  content(1, { title: 'Ownership', category: category(2, 'Rust'), next_review_date: daysFromNow(0) }),
  content(2, { title: 'Lifetimes', review_mode: 'multiple_choice', is_ai_validated: true, next_review_date: daysFromNow(3) }),
  content(3, { title: 'Borrowing', review_mode: 'descriptive', next_review_date: daysFromNow(-2) }),
];

function setup(path = '/contents', page = contentsPage(notes)) {
  const mock = mockFetch(({ url }) => (url.startsWith('/api/categories/') ? json(categories) : json(page)));
  const utils = renderPage(<ContentsPage />, { path, initialUser: testUser });
  const contentCalls = () => mock.calls.filter((c) => c.url.startsWith('/api/contents/')).map((c) => c.url);
  return { ...utils, ...mock, contentCalls };
}

describe('ContentsPage', () => {
  it('shows each note with its category, mode, AI badge and D-day', async () => {
    setup();
    const items = await screen.findAllByRole('listitem');
    expect(items).toHaveLength(3);
    const [first, second, third] = items as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(first).getByRole('link', { name: 'Ownership' })).toHaveAttribute('href', '/contents/1');
    expect(within(first).getByText('Rust')).toBeInTheDocument();
    expect(within(first).getByText('기억 확인')).toBeInTheDocument();
    expect(within(first).getByText('오늘')).toBeInTheDocument();
    expect(within(second).getByText('객관식')).toBeInTheDocument();
    expect(within(second).getByText('AI 검증됨')).toBeInTheDocument();
    expect(within(second).getByText('D-3')).toBeInTheDocument();
    expect(within(third).getByText('서술형')).toBeInTheDocument();
    expect(within(third).getByText('D+2')).toBeInTheDocument();
    expect(within(third).getByText('분류 없음')).toBeInTheDocument();
    expect(within(first).queryByText('AI 검증됨')).toBeNull();
    expect(screen.getByText('노트 3개')).toBeInTheDocument();
  });

  it('labels modes in English', async () => {
    setLang('en');
    setup();
    expect(await screen.findByText('Recall')).toBeInTheDocument();
    expect(screen.getByText('Multiple choice')).toBeInTheDocument();
    expect(screen.getByText('Written')).toBeInTheDocument();
    expect(screen.getByText('Today')).toBeInTheDocument();
  });

  it('reads the filters from the URL and sends them to the API', async () => {
    const { contentCalls } = setup('/contents?search=own&category=2&ordering=title&page=2');
    await screen.findAllByRole('listitem');
    expect(contentCalls()[0]).toBe('/api/contents/?page=2&search=own&category=2&ordering=title');
    expect(screen.getByRole('searchbox', { name: '검색' })).toHaveValue('own');
    await waitFor(() => expect(screen.getByRole('combobox', { name: '카테고리' })).toHaveValue('2'));
    expect(screen.getByRole('combobox', { name: '정렬' })).toHaveValue('title');
  });

  it('writes search (debounced), category and ordering to the URL', async () => {
    const user = userEvent.setup();
    const { router, contentCalls } = setup();
    await screen.findAllByRole('listitem');
    expect(contentCalls()[0]).toBe('/api/contents/?ordering=-created_at');
    await user.type(screen.getByRole('searchbox', { name: '검색' }), 'borrow');
    await waitFor(() => expect(router.state.location.search).toBe('?search=borrow'));
    await waitFor(() => expect(contentCalls()).toContain('/api/contents/?search=borrow&ordering=-created_at'));
    // one request for the whole word, not one per keystroke
    expect(contentCalls().filter((u) => u.includes('search='))).toHaveLength(1);
    await waitFor(() => expect(screen.getByRole('option', { name: 'Math' })).toBeInTheDocument());
    await user.selectOptions(screen.getByRole('combobox', { name: '카테고리' }), '3');
    expect(router.state.location.search).toBe('?search=borrow&category=3');
    await user.selectOptions(screen.getByRole('combobox', { name: '정렬' }), '-updated_at');
    expect(router.state.location.search).toBe('?search=borrow&category=3&ordering=-updated_at');
    await waitFor(() =>
      expect(contentCalls()).toContain('/api/contents/?search=borrow&category=3&ordering=-updated_at'),
    );
    await user.click(screen.getByRole('button', { name: '필터 지우기' }));
    expect(router.state.location.search).toBe('?ordering=-updated_at');
    await waitFor(() => expect(screen.getByRole('searchbox', { name: '검색' })).toHaveValue(''));
  });

  it('pages through results with the page in the URL', async () => {
    const user = userEvent.setup();
    const { router, contentCalls } = setup('/contents', contentsPage(notes, { count: 40, total_pages: 3 }));
    await screen.findAllByRole('listitem');
    const nav = screen.getByRole('navigation', { name: '페이지' });
    await user.click(within(nav).getByRole('button', { name: '다음' }));
    expect(router.state.location.search).toBe('?page=2');
    await waitFor(() => expect(contentCalls()).toContain('/api/contents/?page=2&ordering=-created_at'));
  });

  it('shows an empty state, and a different one when filters match nothing', async () => {
    setup('/contents', contentsPage([]));
    expect(await screen.findByRole('heading', { name: '아직 노트가 없습니다' })).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: '새 노트' }).length).toBeGreaterThan(0);
  });

  it('says when filters match nothing', async () => {
    setup('/contents?search=zzz', contentsPage([]));
    expect(await screen.findByRole('heading', { name: '조건에 맞는 노트가 없습니다' })).toBeInTheDocument();
  });

  it('explains the plan limit instead of offering a new note', async () => {
    setup('/contents', contentsPage(notes, { usage: usage(20, 20) }));
    expect(await screen.findByText(/플랜의 노트 한도\(20개\)에 도달했습니다/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '플랜 업그레이드' })).toHaveAttribute('href', '/subscription');
    expect(screen.getByRole('button', { name: '새 노트' })).toBeDisabled();
  });
});
