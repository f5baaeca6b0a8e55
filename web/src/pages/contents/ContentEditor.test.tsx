import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockFetch, type Call } from '../../test/fetch';
import { renderPage, renderRoutes, testUser } from '../../test/render';
import ContentEditPage from './ContentEditPage';
import ContentNewPage from './ContentNewPage';
import { category, content, contentsPage, usage } from './fixtures';

const categories = { count: 1, next: null, previous: null, results: [category(2, 'Rust')], usage: usage(1, 3) };
const LONG = '가'.repeat(200);

function setup(handler: (call: Call) => Response | undefined = () => undefined, path = '/contents/new') {
  const mock = mockFetch((call) => {
    const answer = handler(call);
    if (answer) return answer;
    if (call.url.startsWith('/api/categories/')) return json(categories);
    if (call.url.startsWith('/api/contents/?')) return json(contentsPage([]));
    return json({ detail: 'unexpected' }, 500);
  });
  const utils = renderPage(<ContentNewPage />, { path, initialUser: testUser });
  return { ...utils, ...mock, user: userEvent.setup() };
}

const titleBox = () => screen.getByRole('textbox', { name: '제목' });
const bodyBox = () => screen.getByRole('textbox', { name: '본문 (Markdown)' });

describe('ContentEditor', () => {
  it('counts title characters as you type', async () => {
    const { user } = setup();
    expect(titleBox()).toHaveAccessibleDescription('0 / 30자');
    await user.type(titleBox(), '소유권');
    expect(titleBox()).toHaveAccessibleDescription('3 / 30자');
  });

  it('disables the AI modes under 200 characters and says why', async () => {
    const { user } = setup();
    const mc = screen.getByRole('radio', { name: /객관식/ });
    const written = screen.getByRole('radio', { name: /서술형/ });
    expect(screen.getByRole('radio', { name: /기억 확인/ })).toBeChecked();
    expect(mc).toBeDisabled();
    expect(written).toBeDisabled();
    const group = screen.getByRole('group', { name: '복습 방식' });
    expect(group).toHaveAccessibleDescription(/200자 이상이어야 합니다\. 지금 0자입니다\./);
    await user.click(bodyBox());
    await user.paste('가'.repeat(199));
    expect(group).toHaveAccessibleDescription(/지금 199자입니다/);
    expect(mc).toBeDisabled();
    await user.type(bodyBox(), '나');
    expect(mc).toBeEnabled();
    expect(written).toBeEnabled();
    await user.click(written);
    // shortening the body again keeps the choice but flags it
    await user.type(bodyBox(), '{Backspace}');
    expect(written).toBeChecked();
    expect(within(group).getByText('이 복습 방식은 본문이 200자 이상이어야 합니다.')).toBeInTheDocument();
  });

  it('saves a draft as you type and offers it back', async () => {
    const { user, unmount } = setup();
    await user.type(titleBox(), '초안 제목');
    await user.click(bodyBox());
    await user.paste('초안 본문');
    await waitFor(() => expect(localStorage.getItem('resee.draft.new')).toContain('초안 본문'), { timeout: 2000 });
    unmount();

    const again = setup();
    expect(await screen.findByText(/자동 저장된 초안이 있습니다/)).toBeInTheDocument();
    expect(titleBox()).toHaveValue('');
    await again.user.click(screen.getByRole('button', { name: '초안 복원' }));
    expect(titleBox()).toHaveValue('초안 제목');
    expect(bodyBox()).toHaveValue('초안 본문');
    expect(screen.queryByRole('button', { name: '초안 복원' })).toBeNull();
  });

  it('discards a draft', async () => {
    localStorage.setItem(
      'resee.draft.new',
      JSON.stringify({ title: 'old', content: 'old body', category: null, review_mode: 'objective', savedAt: Date.now() }),
    );
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: '초안 삭제' }));
    expect(localStorage.getItem('resee.draft.new')).toBeNull();
    expect(titleBox()).toHaveValue('');
  });

  it('validates on the client before sending', async () => {
    const { user, calls } = setup();
    await user.click(screen.getByRole('button', { name: '저장' }));
    expect(await screen.findByText('제목은 1~30자여야 합니다.')).toBeInTheDocument();
    expect(screen.getByText('본문을 입력해 주세요.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('puts server field errors on the fields', async () => {
    const { user } = setup(({ method }) =>
      method === 'POST'
        ? json({ title: ['서버가 거부한 제목'], content: ['이 복습 방식은 내용이 200자 이상이어야 합니다.'] }, 400)
        : undefined,
    );
    await user.type(titleBox(), '제목');
    await user.type(bodyBox(), '본문');
    await user.click(screen.getByRole('button', { name: '저장' }));
    expect(await screen.findByText('서버가 거부한 제목')).toBeInTheDocument();
    expect(titleBox()).toHaveAttribute('aria-invalid', 'true');
    expect(bodyBox()).toHaveAttribute('aria-invalid', 'true');
    expect(bodyBox()).toHaveAccessibleDescription(/이 복습 방식은 내용이 200자 이상이어야 합니다/);
  });

  it('explains a 402 plan limit with a link to the plans', async () => {
    const { user } = setup(({ method }) =>
      method === 'POST'
        ? json({ error: '콘텐츠 개수 한도에 도달했습니다.', usage: usage(20, 20), message: '업그레이드하세요' }, 402)
        : undefined,
    );
    await user.type(titleBox(), '제목');
    await user.type(bodyBox(), '본문');
    await user.click(screen.getByRole('button', { name: '저장' }));
    expect(await screen.findByText(/콘텐츠 개수 한도에 도달했습니다/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /플랜을 업그레이드하면/ })).toHaveAttribute('href', '/subscription');
  });

  it('creates the note, clears the draft and opens it', async () => {
    const { user, calls } = setup(({ method, url }) =>
      method === 'POST' && url === '/api/contents/' ? json(content(9, { title: '제목' }), 201) : undefined,
    );
    await user.type(titleBox(), '  제목 ');
    await user.click(bodyBox());
    await user.paste(LONG);
    await user.click(screen.getByRole('radio', { name: /서술형/ }));
    await user.selectOptions(await screen.findByRole('combobox', { name: '카테고리' }), '2');
    await user.click(screen.getByRole('button', { name: '저장' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/contents/9'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      title: '제목',
      content: LONG,
      category: 2,
      review_mode: 'descriptive',
    });
    expect(localStorage.getItem('resee.draft.new')).toBeNull();
  });

  it('validates a new note with AI and shows the scores', async () => {
    const result = {
      is_valid: false,
      factual_accuracy: { score: 90, issues: [] },
      logical_consistency: { score: 80, issues: [] },
      title_relevance: { score: 40, issues: ['제목이 내용과 다릅니다'] },
      overall_feedback: '제목을 고치세요.',
    };
    const { user, calls } = setup(({ url }) => (url === '/api/contents/validate/' ? json(result) : undefined));
    const validate = screen.getByRole('button', { name: 'AI로 검증' });
    expect(validate).toBeDisabled();
    await user.type(titleBox(), '제목');
    await user.click(bodyBox());
    await user.paste(LONG);
    await user.click(validate);
    expect(await screen.findByText('보완 필요')).toBeInTheDocument();
    expect(screen.getByRole('meter', { name: '제목 관련성' })).toHaveAttribute('aria-valuenow', '40');
    expect(screen.getByRole('meter', { name: '사실 정확성' })).toHaveAttribute('aria-valuenow', '90');
    expect(screen.getByText('제목이 내용과 다릅니다')).toBeInTheDocument();
    expect(screen.getByText('제목을 고치세요.')).toBeInTheDocument();
    expect(calls.find((c) => c.url === '/api/contents/validate/')?.body).toEqual({ title: '제목', content: LONG });
  });

  it('creates a category inline and maps a duplicate name error', async () => {
    let attempts = 0;
    const { user } = setup(({ url, method }) => {
      if (url !== '/api/categories/') return undefined;
      if (method === 'GET')
        return json(attempts < 2 ? categories : { ...categories, results: [...categories.results, category(7, 'Go')] });
      attempts++;
      return attempts === 1
        ? json({ name: ['같은 이름의 카테고리가 이미 있습니다.'] }, 400)
        : json(category(7, 'Go'), 201);
    });
    await user.click(screen.getByRole('button', { name: '새 카테고리' }));
    await user.type(screen.getByRole('textbox', { name: '새 카테고리 이름' }), 'Rust{Enter}');
    expect(await screen.findByText('같은 이름의 카테고리가 이미 있습니다.')).toBeInTheDocument();
    await user.clear(screen.getByRole('textbox', { name: '새 카테고리 이름' }));
    await user.type(screen.getByRole('textbox', { name: '새 카테고리 이름' }), 'Go');
    await user.click(screen.getByRole('button', { name: '추가' }));
    await waitFor(() => expect(screen.getByRole('combobox', { name: '카테고리' })).toHaveValue('7'));
    expect(screen.getByText('"Go" 카테고리를 만들었습니다.')).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Go' })).toBeInTheDocument();
  });

  it('shows the preview on its tab (phones)', async () => {
    const { user } = setup();
    await user.type(bodyBox(), '**굵게**');
    await user.click(screen.getByRole('tab', { name: '미리보기' }));
    const panel = screen.getByRole('tabpanel', { name: '미리보기' });
    await waitFor(() => expect(panel.querySelector('strong')).toHaveTextContent('굵게'));
  });
});

describe('ContentEditPage', () => {
  it('loads the note and saves it with PUT', async () => {
    const note = content(5, { title: '원래 제목', content: '원래 본문', category: category(2, 'Rust') });
    const { calls } = mockFetch(({ url, method }) => {
      if (url === '/api/contents/5/' && method === 'GET') return json(note);
      if (url === '/api/contents/5/' && method === 'PUT') return json({ ...note, title: '새 제목' });
      return json(categories);
    });
    renderRoutes([{ path: '/contents/:id/edit', element: <ContentEditPage /> }], {
      path: '/contents/5/edit',
      initialUser: testUser,
    });
    const user = userEvent.setup();
    const title = await screen.findByRole('textbox', { name: '제목' });
    expect(title).toHaveValue('원래 제목');
    await user.clear(title);
    await user.type(title, '새 제목');
    await user.click(screen.getByRole('button', { name: '저장' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/contents/5'));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      title: '새 제목',
      content: '원래 본문',
      category: 2,
      review_mode: 'objective',
    });
  });
});
