import { defineMessages } from '../../i18n/core';

// Messages of the subscription area (ko is the source of truth; en must have the same keys).
export const messages = defineMessages({
  ko: {
    subscriptionTitle: '구독',
  },
  en: {
    subscriptionTitle: 'Subscription',
  },
});
