import { defineMessages } from '../../i18n/core';

// Messages of the settings area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    settingsTitle: '설정',
  },
  en: {
    settingsTitle: 'Settings',
  },
});
