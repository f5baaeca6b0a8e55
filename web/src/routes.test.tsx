import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { routes } from './routes';
import { json, mockFetch } from './test/fetch';
import { renderRoutes, testUser } from './test/render';

describe('the route table', () => {
  it('renders a lazy page inside the shell with the main nav for signed-in users', async () => {
    renderRoutes(routes, { path: '/dashboard', initialUser: testUser });
    expect(await screen.findByRole('heading', { level: 1, name: '대시보드' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: '주 메뉴' });
    expect(within(nav).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual([
      '/dashboard',
      '/contents',
      '/review',
      '/exams',
      '/categories',
    ]);
    expect(within(nav).getByRole('link', { name: '대시보드' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('main')).toHaveAttribute('id', 'main');
    expect(screen.getByRole('link', { name: '본문으로 건너뛰기' })).toHaveAttribute('href', '#main');
  });

  it('shows Admin in the account menu for staff only', async () => {
    const user = userEvent.setup();
    renderRoutes(routes, { path: '/dashboard', initialUser: { ...testUser, is_staff: true } });
    await screen.findByRole('heading', { level: 1, name: '대시보드' });
    const button = screen.getByRole('button', { name: /계정 메뉴/ });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await user.click(button);
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('link', { name: '관리자' })).toHaveAttribute('href', '/admin');
  });

  it('hides Admin from other users', async () => {
    const user = userEvent.setup();
    renderRoutes(routes, { path: '/dashboard', initialUser: testUser });
    await screen.findByRole('heading', { level: 1, name: '대시보드' });
    await user.click(screen.getByRole('button', { name: /계정 메뉴/ }));
    expect(screen.queryByRole('link', { name: '관리자' })).toBeNull();
  });

  it('renders the landing page for visitors, with sign-in and sign-up links', async () => {
    renderRoutes(routes, { path: '/', initialUser: null });
    expect(await screen.findByRole('heading', { level: 1, name: '잊기 전에, 다시 보기' })).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: '로그인' }).length).toBeGreaterThan(0);
    expect(screen.queryByRole('navigation', { name: '주 메뉴' })).toBeNull();
  });

  it('answers unknown paths with the 404 page', async () => {
    mockFetch(() => json({}));
    renderRoutes(routes, { path: '/no/such/page', initialUser: null });
    expect(await screen.findByRole('heading', { level: 1, name: '페이지를 찾을 수 없습니다' })).toBeInTheDocument();
  });

  it.each([
    '/contents',
    '/contents/new',
    '/contents/5',
    '/contents/5/edit',
    '/review',
    '/categories',
    '/exams',
    '/exams/new',
    '/exams/3/take',
    '/exams/3/results',
    '/profile',
    '/settings',
    '/subscription',
  ])('%s has a page', async (path) => {
    renderRoutes(routes, { path, initialUser: testUser });
    expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
  });
});
