import { defineMessages } from '../../i18n/core';

// Messages of the categories area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    categoriesTitle: '카테고리',
  },
  en: {
    categoriesTitle: 'Categories',
  },
});
