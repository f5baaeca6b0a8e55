import { defineMessages } from '../../i18n/core';

// Messages of the dashboard area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    dashboardTitle: '대시보드',
  },
  en: {
    dashboardTitle: 'Dashboard',
  },
});
