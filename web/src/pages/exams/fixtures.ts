// Test data for the exams pages (imported by tests only).
import type { Content, Exam, ExamResults, ExamSummary, Question } from '../../api/types';

export function note(id: number, title = `Note ${id}`): Content {
  return {
    id,
    title,
    content: 'body',
    author: 'me@example.com',
    category: null,
    created_at: '2025-03-01T00:00:00Z',
    updated_at: '2025-03-01T00:00:00Z',
    review_count: 0,
    next_review_date: null,
    review_mode: 'objective',
    mc_choices: null,
    is_ai_validated: true,
    ai_validation_score: 90,
    ai_validation_result: null,
    ai_validated_at: '2025-03-01T00:00:00Z',
  };
}

export function summary(id: number, status: ExamSummary['status'], title = `Exam ${id}`): ExamSummary {
  return {
    id,
    title,
    start_date: '2025-03-03T00:00:00Z',
    end_date: '2025-03-10T00:00:00Z',
    status,
    total_questions: status === 'preparing' ? 0 : 3,
    correct_answers: status === 'completed' ? 2 : 0,
    score_percentage: status === 'completed' ? 66.7 : 0,
    created_at: '2025-03-03T00:00:00Z',
    completed_at: status === 'completed' ? '2025-03-04T00:00:00Z' : null,
  };
}

export const questions: Question[] = [
  {
    id: 11,
    question_type: 'multiple_choice',
    question_text: 'What does HTTP stand for?',
    choices: ['Hyper Text Transfer Protocol', 'High Transfer Text Protocol', 'Host Text Protocol', 'None'],
    order: 1,
    points: 1,
    content: note(1, 'HTTP'),
    created_at: '2025-03-03T00:00:00Z',
  },
  {
    id: 12,
    question_type: 'true_false',
    question_text: 'TCP is connectionless.',
    choices: null,
    order: 2,
    points: 1,
    content: note(2, 'TCP'),
    created_at: '2025-03-03T00:00:00Z',
  },
  {
    id: 13,
    question_type: 'multiple_choice',
    question_text: 'Which port does HTTPS use?',
    choices: ['80', '443', '21', '22'],
    order: 3,
    points: 1,
    content: note(3, 'TLS'),
    created_at: '2025-03-03T00:00:00Z',
  },
];

export function exam(id: number, status: Exam['status'] = 'in_progress'): Exam {
  return {
    ...summary(id, status),
    description: '',
    started_at: '2025-03-03T01:00:00Z',
    time_spent: status === 'completed' ? '00:12:34.500000' : null,
    updated_at: '2025-03-03T00:00:00Z',
    questions,
  };
}

export function results(id: number): ExamResults {
  const test = exam(id, 'completed');
  const given = ['Hyper Text Transfer Protocol', 'O', null];
  const correct = ['Hyper Text Transfer Protocol', 'X', '443'];
  return {
    test,
    answers: questions.map((q, i) => ({
      question: { ...q, correct_answer: correct[i]!, explanation: `Because ${i + 1}`, content_title: q.content.title },
      user_answer: given[i] as string,
      is_correct: i === 0,
      points_earned: i === 0 ? 1 : 0,
      ai_score: null,
      ai_feedback: null,
    })),
  };
}
