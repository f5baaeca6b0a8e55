import { defineMessages } from '../../i18n/core';

// Messages of the review area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    reviewTitle: '오늘의 복습',
  },
  en: {
    reviewTitle: 'Today\'s review',
  },
});
