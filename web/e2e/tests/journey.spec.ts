// One learner's whole path through the real stack, in English: sign up, verify from the inbox,
// write notes in the three review modes, review them with the keyboard, see the dashboard move,
// take an exam, change settings, sign out.
import { expect, test, type Page } from '@playwright/test';
import { studyNote, validatedNotes } from './fixtures';
import { PASSWORD, accessToken, linkIn, signIn, uniqueEmail, waitForMail } from './support';

const notes = {
  recall: { title: 'Ebbinghaus curve', content: 'Memory fades fast unless it is reviewed at growing intervals.' },
  choice: studyNote('Glycolysis'),
  written: studyNote('Krebs cycle'),
};

async function writeNote(page: Page, note: { title: string; content: string }, mode: RegExp): Promise<void> {
  await page.goto('/contents/new');
  await page.getByRole('textbox', { name: 'Title', exact: true }).fill(note.title);
  await page.getByRole('textbox', { name: 'Body (Markdown)' }).fill(note.content);
  await page.getByRole('radio', { name: mode }).check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/\/contents\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: note.title })).toBeVisible();
}

/** Answers whatever card is showing, by keyboard, knowing the notes' titles. */
async function answerCard(page: Page): Promise<string> {
  const reveal = page.getByRole('button', { name: 'Show answer' });
  const options = page.getByRole('radiogroup', { name: 'Options' });
  const written = page.getByRole('textbox', { name: 'Your answer' });
  await expect(reveal.or(options).or(written)).toBeVisible();
  if (await reveal.isVisible()) {
    // Space until the answer shows (the card sets up its keys just after it appears).
    const remembered = page.getByRole('button', { name: 'Remembered' });
    await expect
      .poll(async () => {
        if (!(await remembered.isVisible())) await page.keyboard.press('Space');
        return remembered.isVisible();
      })
      .toBe(true);
    await page.keyboard.press('3');
    return 'recall';
  }
  if (await options.isVisible()) {
    // The arrow keys work page-wide and move the focus with the selection (once the card has
    // set up its keys): press down until an option has the focus, then until it is the title.
    const focusedOption = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el?.getAttribute('role') === 'radio' ? (el.textContent ?? '') : '';
      });
    await expect
      .poll(async () => {
        await page.keyboard.press('ArrowDown');
        return focusedOption();
      })
      .not.toBe('');
    for (let i = 0; i < 4 && !(await focusedOption()).includes(notes.choice.title); i++) {
      await page.keyboard.press('ArrowDown');
    }
    expect(await focusedOption()).toContain(notes.choice.title);
    await page.keyboard.press('Enter');
    await expect(page.getByText('Correct!')).toBeVisible();
    return 'choice';
  }
  await written.fill(notes.written.content.split('\n')[2] ?? 'Glycolysis');
  await page.keyboard.press('Enter');
  await expect(page.getByText('AI feedback')).toBeVisible({ timeout: 30_000 });
  return 'written';
}

test('a learner signs up, writes, reviews, takes an exam, changes settings and signs out', async ({ page, request }) => {
  test.setTimeout(300_000);
  await page.addInitScript(() => {
    if (!localStorage.getItem('resee.lang')) localStorage.setItem('resee.lang', 'en');
  });
  const email = uniqueEmail('journey');

  // Sign up, then verify with the link from the inbox.
  await page.goto('/register');
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
  await page.getByRole('textbox', { name: 'Confirm password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/verify-pending/);
  await page.goto(linkIn(await waitForMail(email, /verify-email/), '/verify-email'));
  await expect(page.getByText(/email (address )?is verified/i).first()).toBeVisible();
  await signIn(page, email);
  await expect(page.getByText('Nothing to review today.')).toBeVisible();

  // Three notes, one per review mode, through the editor.
  await writeNote(page, notes.recall, /^Recall/);
  await writeNote(page, notes.choice, /^Multiple choice/);
  await writeNote(page, notes.written, /^Written/);
  await page.goto('/dashboard');
  await expect(page.getByText('3 cards to review today')).toBeVisible();
  await expect(page.getByText('0 / 7 reviews')).toBeVisible();

  // Review all three with the keyboard.
  await page.getByRole('link', { name: 'Start review' }).click();
  await expect(page).toHaveURL(/\/review/);
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    const card = await page.locator('article[aria-labelledby^="card-"]').getAttribute('aria-labelledby');
    const kind = await answerCard(page);
    seen.push(kind);
    // A graded recall card moves on by itself; the others show their result and wait for Enter.
    if (kind !== 'recall') {
      await expect(page.getByRole('button', { name: /^(Next|See results)/ })).toBeFocused();
      await page.keyboard.press('Enter');
    }
    await expect(page.locator(`article[aria-labelledby="${card}"]`)).toHaveCount(0);
  }
  expect(seen.sort()).toEqual(['choice', 'recall', 'written']);
  await expect(page.getByRole('heading', { name: 'Session complete!' })).toBeVisible();

  // The dashboard moved.
  await page.getByRole('link', { name: 'Go to dashboard' }).click();
  await expect(page.getByText('Nothing to review today.')).toBeVisible();
  await expect(page.getByText('3 / 7 reviews')).toBeVisible();

  // An exam from seven AI-validated notes (made through the API to save time), taken in the UI.
  await validatedNotes(request, await accessToken(request, email));
  await page.goto('/exams/new');
  await page.getByRole('radio', { name: /^Pick automatically/ }).check();
  await page.getByRole('button', { name: 'Create exam' }).click();
  await expect(page).toHaveURL(/\/exams$/);
  await page.getByRole('link', { name: /^Start/ }).first().click({ timeout: 45_000 });
  await expect(page).toHaveURL(/\/exams\/\d+\/take/);
  const total = Number((await page.getByText(/^Question 1 of \d+$/).textContent())?.match(/of (\d+)/)?.[1]);
  expect(total).toBeGreaterThanOrEqual(7);
  for (let n = 1; n <= total; n++) {
    await expect(page.getByText(`Question ${n} of ${total}`)).toBeVisible();
    const choices = page.getByRole('radiogroup', { name: 'Choices' });
    await choices.getByRole('radio').first().check();
    await expect(page.getByText('Saved', { exact: true })).toBeVisible();
    if (n < total) await page.getByRole('button', { name: 'Next question' }).click();
  }
  await page.getByRole('button', { name: 'Finish exam' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Finish' }).click();
  await expect(page).toHaveURL(/\/exams\/\d+\/results/);
  await expect(page.getByText(new RegExp(`of ${total} correct`))).toBeVisible();
  await expect(page.getByText('Explanation').first()).toBeVisible();

  // Settings: the language switches the UI at once and survives a reload; dark theme too.
  await page.goto('/settings');
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('radio', { name: '한국어' }).check();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('heading', { level: 1, name: '설정' })).toBeVisible();

  // Sign out: back to a public page, and the session is gone after a reload.
  await page.getByRole('button', { name: /계정|메뉴|로그아웃/ }).first().click();
  await page.getByRole('button', { name: '로그아웃' }).or(page.getByRole('menuitem', { name: '로그아웃' })).click();
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login/);
});
