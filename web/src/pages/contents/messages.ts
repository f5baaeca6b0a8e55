import { defineMessages } from '../../i18n/core';

// Messages of the contents area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    listTitle: '노트',
    newTitle: '새 노트',
    detailTitle: '노트 보기',
    editTitle: '노트 수정',
  },
  en: {
    listTitle: 'Notes',
    newTitle: 'New note',
    detailTitle: 'Note',
    editTitle: 'Edit note',
  },
});
