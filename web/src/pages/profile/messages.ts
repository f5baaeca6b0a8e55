import { defineMessages } from '../../i18n/core';

// Messages of the profile area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    profileTitle: '프로필',
  },
  en: {
    profileTitle: 'Profile',
  },
});
