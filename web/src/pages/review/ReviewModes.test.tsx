import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setLang } from '../../i18n/core';
import { json } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import { schedule } from '../contents/fixtures';
import ReviewPage from './ReviewPage';
import { completed, completions, objective, serve } from './testing';

function render() {
  const utils = renderPage(<ReviewPage />, { path: '/review', initialUser: testUser });
  return { ...utils, user: userEvent.setup() };
}

const choiceCard = (mc: { choices: string[]; correct_answer: string } | null) =>
  schedule(21, { id: 121, title: 'Borrowing', content: 'References let you use a value **without owning** it.', review_mode: 'multiple_choice', mc_choices: mc });

const writtenCard = schedule(31, { id: 131, title: 'Lifetimes', content: 'Lifetimes name **scopes**.', review_mode: 'descriptive' });

describe('ReviewPage — multiple choice', () => {
  const mc = { choices: ['Ownership', 'Borrowing', 'Traits', 'Macros'], correct_answer: 'Borrowing' };

  it('moves between options with arrow keys and chooses with Enter', async () => {
    const { calls } = serve([choiceCard(mc), objective(2, 'Next one')], () =>
      json(completed('remembered', { ai_evaluation: { score: 100, feedback: '정답입니다.', auto_result: 'remembered', is_correct: true } })),
    );
    const { user } = render();
    expect(await screen.findByRole('heading', { level: 2, name: '이 내용의 제목은 무엇일까요?' })).toHaveFocus();
    // the title is not given away above the options
    expect(screen.getAllByText('Borrowing')).toHaveLength(1);
    const group = screen.getByRole('radiogroup', { name: '보기' });
    const radios = within(group).getAllByRole('radio');
    expect(radios).toHaveLength(4);
    expect(radios[0]).toHaveAttribute('aria-checked', 'true');
    await user.keyboard('{ArrowDown}');
    expect(radios[1]).toHaveFocus();
    expect(radios[1]).toHaveAttribute('aria-checked', 'true');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(radios[1]).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(await screen.findByText('정답입니다!')).toBeInTheDocument();
    expect(completions(calls)[0]?.body).toMatchObject({ selected_choice: 'Borrowing' });
    expect(within(group).getByText('정답')).toBeInTheDocument();
    const next = screen.getByRole('button', { name: '다음' });
    await waitFor(() => expect(next).toHaveFocus());
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 2, name: 'Next one' })).toBeInTheDocument();
  });

  it('shows a wrong choice and the right answer', async () => {
    serve([choiceCard(mc)], () =>
      json(completed('forgot', { ai_evaluation: { score: 0, feedback: '정답은 "Borrowing" 입니다.', auto_result: 'forgot', is_correct: false } })),
    );
    const { user } = render();
    await screen.findByRole('radiogroup', { name: '보기' });
    await user.keyboard(' '); // Space chooses the highlighted (first) option
    expect(await screen.findByText('오답입니다.')).toBeInTheDocument();
    expect(screen.getByText('정답은 "Borrowing" 입니다.')).toBeInTheDocument();
    expect(screen.getByText('내 선택')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '결과 보기' })).toBeInTheDocument();
  });

  it('says the options are being prepared and lets you skip', async () => {
    const { calls } = serve([choiceCard(null), objective(2, 'After')]);
    const { user } = render();
    expect(await screen.findByText(/보기를 준비하고 있습니다/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '건너뛰기' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'After' })).toBeInTheDocument();
    expect(completions(calls)).toHaveLength(0);
  });
});

describe('ReviewPage — written answers', () => {
  const graded = () =>
    json(
      completed('partial', {
        ai_evaluation: { score: 62, feedback: '핵심은 맞지만 예시가 부족합니다.', auto_result: 'partial', is_correct: false },
      }),
    );

  it('ignores shortcuts while typing; Shift+Enter is a new line; Enter submits and shows the AI feedback', async () => {
    const { calls } = serve([writtenCard], graded);
    const { user } = render();
    await screen.findByRole('heading', { level: 2, name: 'Lifetimes' });
    const box = screen.getByRole('textbox', { name: '내 답변' });
    await user.click(box);
    await user.type(box, '1 2 3 scopes');
    await user.keyboard('{Shift>}{Enter}{/Shift}second line');
    expect(box).toHaveValue('1 2 3 scopes\nsecond line');
    expect(completions(calls)).toHaveLength(0);
    await user.keyboard('{Enter}');
    expect(await screen.findByText('핵심은 맞지만 예시가 부족합니다.')).toBeInTheDocument();
    expect(screen.getByText(/AI 점수 62점/)).toBeInTheDocument();
    expect(screen.getByText(/결과: 애매함/)).toBeInTheDocument();
    expect(completions(calls)[0]?.body).toMatchObject({ descriptive_answer: '1 2 3 scopes\nsecond line' });
    const body = screen.getByRole('region', { name: '노트 내용' });
    await waitFor(() => expect(within(body).getByText('scopes').tagName).toBe('STRONG'));
    await user.click(screen.getByRole('button', { name: '결과 보기' }));
    expect(await screen.findByRole('heading', { name: '복습을 마쳤습니다!' })).toBeInTheDocument();
  });

  it('lets you grade yourself when AI grading fails', async () => {
    let first = true;
    const { calls } = serve([writtenCard], (c) => {
      if (first) {
        first = false;
        return json({ error: 'AI 채점에 실패했습니다.' }, 400);
      }
      return json(completed((c.body as { result: string }).result));
    });
    const { user } = render();
    await user.type(await screen.findByRole('textbox', { name: '내 답변' }), 'my answer{Enter}');
    const group = await screen.findByRole('group', { name: 'AI 채점을 할 수 없습니다. 직접 평가해 주세요.' });
    await user.click(within(group).getByRole('button', { name: '기억함' }));
    await screen.findByRole('button', { name: '결과 보기' });
    expect(completions(calls)[1]?.body).toMatchObject({ descriptive_answer: 'my answer', result: 'remembered' });
  });

  it('speaks English', async () => {
    setLang('en');
    serve([writtenCard], graded);
    const { user } = render();
    await user.type(await screen.findByRole('textbox', { name: 'Your answer' }), 'answer{Enter}');
    expect(await screen.findByText(/AI score 62 · Result: Partly/)).toBeInTheDocument();
  });
});
