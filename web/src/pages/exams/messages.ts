import { defineMessages } from '../../i18n/core';

// Messages of the exams area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    listTitle: '시험',
    newTitle: '새 시험',
    takeTitle: '시험 보기',
    resultsTitle: '시험 결과',
  },
  en: {
    listTitle: 'Exams',
    newTitle: 'New exam',
    takeTitle: 'Take the exam',
    resultsTitle: 'Exam results',
  },
});
