import { defineMessages } from '../../i18n/core';

// Messages of the admin area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    adminTitle: '관리자',
  },
  en: {
    adminTitle: 'Admin',
  },
});
