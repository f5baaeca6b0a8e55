import { defineMessages } from '../../i18n/core';

export const messages = defineMessages({
  ko: {
    title: '알림 메일 수신 거부',
    text: '복습 알림 메일을 더 이상 받지 않으시려면 아래 버튼을 눌러 주세요.',
    confirm: '수신 거부하기',
    done: '복습 알림 메일 수신을 해제했습니다. 설정에서 언제든 다시 켤 수 있습니다.',
    invalid: '링크가 올바르지 않습니다. 메일의 링크를 다시 눌러 주세요.',
    settings: '알림 설정으로 가기',
  },
  en: {
    title: 'Unsubscribe from reminders',
    text: 'Press the button below to stop receiving review reminder emails.',
    confirm: 'Unsubscribe',
    done: 'You will no longer receive review reminders. You can turn them back on in Settings at any time.',
    invalid: 'This link is not valid. Open the link from the email again.',
    settings: 'Go to notification settings',
  },
});
