import { defineMessages } from '../../i18n/core';

export const messages = defineMessages({
  ko: {
    title: '페이지를 찾을 수 없습니다',
    text: '주소가 바뀌었거나 삭제된 페이지입니다.',
    home: '처음으로',
  },
  en: {
    title: 'Page not found',
    text: 'The address may have changed, or the page was removed.',
    home: 'Go home',
  },
});
