// Accounts with data, made through the API, for the page tests: notes, a category, validated
// notes and exams (one completed, one waiting), a staff account.
import { execFileSync } from 'node:child_process';
import { expect, type APIRequestContext } from '@playwright/test';
import { accessToken, createNote, verifiedAccount } from './support';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A note the offline AI rates valid: every title word in a body of several sentences. */
export function studyNote(topic: string): { title: string; content: string } {
  const title = `${topic} basics`.slice(0, 30);
  const sentence = `${topic} basics are worth remembering because each review makes them stick.`;
  return {
    title,
    content: [
      `# ${title}`,
      '',
      sentence,
      `The ${topic} basics connect to what was learned before, so revisit them often.`,
      `Spaced repetition turns ${topic} basics into long-term memory. ${sentence}`,
      '',
      '```python',
      `print("${topic}")`,
      '```',
      '',
      'Math too: $e^{i\\pi} + 1 = 0$.',
    ].join('\n'),
  };
}

/** Makes an account staff, straight in the database (what `resee-api create-admin` does). */
export function makeStaff(email: string): void {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set');
  execFileSync('psql', ['-wqX', '-v', 'ON_ERROR_STOP=1', url, '-c', `UPDATE users SET is_staff = TRUE WHERE email = '${email}'`]);
}

/** Seven notes validated by the (offline) AI, enough for an exam. */
export async function validatedNotes(request: APIRequestContext, token: string): Promise<number[]> {
  const topics = ['Photosynthesis', 'Mitochondria', 'Osmosis', 'Enzymes', 'Ribosomes', 'Meiosis', 'Homeostasis'];
  const ids: number[] = [];
  for (const topic of topics) {
    const { id } = await createNote(request, token, { ...studyNote(topic), review_mode: 'descriptive' });
    const validated = await request.post(`/api/contents/${id}/validate_and_save/`, { headers: auth(token) });
    expect(validated.status(), await validated.text()).toBe(200);
    ids.push(id);
  }
  return ids;
}

type Exam = { id: number; status: string; questions: { id: number; question_type: string; choices: string[] | null }[] };

/** Creates an exam from the notes and waits until the worker has written its questions. */
export async function readyExam(request: APIRequestContext, token: string, contentIds: number[]): Promise<Exam> {
  // A title of its own: the default one is written in the request's language (Korean here).
  const data = { content_ids: contentIds, title: 'Biology exam' };
  const created = await request.post('/api/exams/', { data, headers: auth(token) });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as Exam;
  await expect
    .poll(async () => ((await (await request.get(`/api/exams/${id}/`, { headers: auth(token) })).json()) as Exam).status, {
      timeout: 30_000,
    })
    .toBe('pending');
  return (await (await request.get(`/api/exams/${id}/`, { headers: auth(token) })).json()) as Exam;
}

/** Answers every question (the first choice, or "O") and completes the exam. */
export async function completeExam(request: APIRequestContext, token: string, exam: Exam): Promise<void> {
  const started = await request.post('/api/exams/test-sessions/', { data: { test_id: exam.id }, headers: auth(token) });
  expect(started.status(), await started.text()).toBe(200);
  const { test } = (await started.json()) as { test: Exam };
  for (const q of test.questions) {
    const answer = q.question_type === 'true_false' ? 'O' : (q.choices?.[0] ?? 'O');
    const sent = await request.post(`/api/exams/test-sessions/${exam.id}/answers/`, {
      data: { question_id: q.id, user_answer: answer },
      headers: auth(token),
    });
    expect(sent.status(), await sent.text()).toBe(201);
  }
  const done = await request.patch(`/api/exams/test-sessions/${exam.id}/`, { headers: auth(token) });
  expect(done.status(), await done.text()).toBe(200);
}

export type World = { writer: string; noteId: number; taker: string; pendingExamId: number; doneExamId: number; staff: string };

/** Everything the page tests visit. */
export async function buildWorld(request: APIRequestContext): Promise<World> {
  const writer = await verifiedAccount(request, 'writer');
  const writerToken = await accessToken(request, writer);
  const category = await request.post('/api/categories/', { data: { name: 'Biology' }, headers: auth(writerToken) });
  expect(category.status(), await category.text()).toBe(201);
  const notes = await validatedNotes(request, writerToken);
  const done = await readyExam(request, writerToken, notes);
  await completeExam(request, writerToken, done);

  const taker = await verifiedAccount(request, 'taker');
  const takerToken = await accessToken(request, taker);
  const pending = await readyExam(request, takerToken, await validatedNotes(request, takerToken));

  const staff = await verifiedAccount(request, 'staff');
  makeStaff(staff);
  return { writer, noteId: notes[0] ?? 0, taker, pendingExamId: pending.id, doneExamId: done.id, staff };
}
