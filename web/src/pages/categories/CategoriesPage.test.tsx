import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Category } from '../../api/types';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import { category, usage } from '../contents/fixtures';
import CategoriesPage from './CategoriesPage';

function setup(initial: Category[], limit = 3, listedLimit = limit) {
  let list = [...initial];
  const mock = mockFetch(({ url, method, body }) => {
    if (url === '/api/categories/' && method === 'GET')
      return json({ count: list.length, next: null, previous: null, results: list, usage: usage(list.length, listedLimit) });
    if (url === '/api/categories/' && method === 'POST') {
      const { name, description } = body as { name: string; description: string };
      if (list.length >= limit)
        return json({ error: '카테고리 개수 한도에 도달했습니다.', usage: usage(list.length, limit), message: '업그레이드' }, 402);
      if (list.some((c) => c.name === name)) return json({ name: ['같은 이름의 카테고리가 이미 있습니다.'] }, 400);
      const created = category(10 + list.length, name, { description });
      list = [...list, created];
      return json(created, 201);
    }
    const m = /^\/api\/categories\/(\d+)\/$/.exec(url);
    if (m && method === 'PATCH') {
      list = list.map((c) => (c.id === Number(m[1]) ? { ...c, ...(body as object) } : c));
      return json(list.find((c) => c.id === Number(m[1])));
    }
    if (m && method === 'DELETE') {
      list = list.filter((c) => c.id !== Number(m[1]));
      return new Response(null, { status: 204 });
    }
    return json({ detail: 'unexpected' }, 500);
  });
  renderPage(<CategoriesPage />, { path: '/categories', initialUser: testUser });
  return { ...mock, user: userEvent.setup() };
}

describe('CategoriesPage', () => {
  it('lists categories with the usage meter', async () => {
    setup([category(1, 'Rust', { description: '시스템 언어' })]);
    expect(await screen.findByRole('heading', { level: 3, name: 'Rust' })).toBeInTheDocument();
    expect(screen.getByText('시스템 언어')).toBeInTheDocument();
    expect(screen.getByRole('meter', { name: '카테고리 사용량' })).toHaveAttribute('aria-valuetext', '1 / 3');
    expect(screen.getByRole('link', { name: '"Rust" 노트 보기' })).toHaveAttribute('href', '/contents?category=1');
  });

  it('creates a category and shows a duplicate name on the field', async () => {
    const { user, calls } = setup([category(1, 'Rust')]);
    await screen.findByRole('heading', { level: 3, name: 'Rust' });
    const name = screen.getByRole('textbox', { name: '이름' });
    await user.type(name, 'Rust');
    await user.click(screen.getByRole('button', { name: '만들기' }));
    expect(await screen.findByText('같은 이름의 카테고리가 이미 있습니다.')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveFocus();
    await user.clear(name);
    await user.type(name, 'Go');
    await user.type(screen.getByRole('textbox', { name: '설명 (선택)' }), '동시성');
    await user.click(screen.getByRole('button', { name: '만들기' }));
    expect(await screen.findByRole('heading', { level: 3, name: 'Go' })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({ name: 'Go', description: '동시성' });
    await waitFor(() => expect(name).toHaveValue(''));
    expect(screen.getByRole('meter', { name: '카테고리 사용량' })).toHaveAttribute('aria-valuetext', '2 / 3');
  });

  it('rejects a name without letters before asking the API', async () => {
    const { user, calls } = setup([]);
    await screen.findByRole('heading', { name: '아직 카테고리가 없습니다' });
    await user.type(screen.getByRole('textbox', { name: '이름' }), '!!!');
    await user.click(screen.getByRole('button', { name: '만들기' }));
    expect(await screen.findByText('이름에는 글자나 숫자가 하나 이상 있어야 합니다.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('explains the plan limit (402) with a link to the plans', async () => {
    const { user } = setup([category(1, 'Rust')], 2);
    await screen.findByRole('heading', { level: 3, name: 'Rust' });
    await user.type(screen.getByRole('textbox', { name: '이름' }), 'Go');
    await user.click(screen.getByRole('button', { name: '만들기' }));
    await screen.findByRole('heading', { level: 3, name: 'Go' });
    // now at the limit: the form is disabled and the meter explains why
    expect(await screen.findByText('플랜의 카테고리 한도(2개)에 도달했습니다.')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: '이름' })).toBeDisabled();
    expect(screen.getAllByRole('link', { name: '플랜 업그레이드' })[0]).toHaveAttribute('href', '/subscription');
  });

  it('shows a 402 answer on the form', async () => {
    // the listed usage is stale (one more allowed); the API refuses
    const { user } = setup([category(1, 'Rust'), category(2, 'Go')], 2, 3);
    await screen.findByRole('heading', { level: 3, name: 'Rust' });
    await user.type(screen.getByRole('textbox', { name: '이름' }), 'Zig');
    await user.click(screen.getByRole('button', { name: '만들기' }));
    const message = await screen.findByText('카테고리 개수 한도에 도달했습니다. 업그레이드');
    expect(message).toHaveAttribute('role', 'alert');
    expect(screen.getByRole('link', { name: '플랜 업그레이드' })).toHaveAttribute('href', '/subscription');
  });

  it('renames a category in a dialog', async () => {
    const { user, calls } = setup([category(1, 'Rust')]);
    await user.click(await screen.findByRole('button', { name: '"Rust" 수정' }));
    const dialog = screen.getByRole('dialog', { name: '카테고리 수정' });
    const name = within(dialog).getByRole('textbox', { name: '이름' });
    await user.clear(name);
    await user.type(name, 'Rust 2024');
    await user.click(within(dialog).getByRole('button', { name: '저장' }));
    expect(await screen.findByRole('heading', { level: 3, name: 'Rust 2024' })).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({ url: '/api/categories/1/', body: { name: 'Rust 2024', description: '' } });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('deletes after confirming that notes become uncategorised', async () => {
    const { user, calls } = setup([category(1, 'Rust'), category(2, 'Go')]);
    await user.click(await screen.findByRole('button', { name: '"Go" 삭제' }));
    const dialog = screen.getByRole('alertdialog', { name: '"Go" 카테고리를 삭제할까요?' });
    expect(dialog).toHaveAccessibleDescription(/분류 없음/);
    await user.click(within(dialog).getByRole('button', { name: '삭제' }));
    await waitFor(() => expect(screen.queryByRole('heading', { level: 3, name: 'Go' })).toBeNull());
    expect(calls.find((c) => c.method === 'DELETE')?.url).toBe('/api/categories/2/');
  });
});
