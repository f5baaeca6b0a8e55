import { defineMessages } from '../../i18n/core';

export const messages = defineMessages({
  ko: {
    title: '잊기 전에, 다시 보기',
    lead: 'Resee는 짧은 노트를 쓰고 알맞은 때에 다시 복습하게 해 주는 간격 반복 학습 서비스입니다.',
    ctaStart: '무료로 시작하기',
    ctaLogin: '로그인',
    ctaDashboard: '대시보드로 가기',
    featuresTitle: 'Resee로 할 수 있는 일',
    f1Title: '짧게 쓰기',
    f1Text: '배운 것을 마크다운 노트 한 장으로 정리합니다.',
    f2Title: '제때 복습하기',
    f2Text: '기억이 흐려질 즈음 오늘의 복습 목록에 다시 나타납니다.',
    f3Title: '시험으로 확인하기',
    f3Text: '매주 노트로 만든 시험으로 실력을 점검합니다.',
  },
  en: {
    title: 'See it again, before you forget',
    lead: 'Resee is a spaced-repetition service: write short notes and review each one right when you are about to forget it.',
    ctaStart: 'Get started free',
    ctaLogin: 'Sign in',
    ctaDashboard: 'Go to the dashboard',
    featuresTitle: 'What Resee does',
    f1Title: 'Write briefly',
    f1Text: 'Sum up what you learned in one Markdown note.',
    f2Title: 'Review on time',
    f2Text: "Notes come back in today's review list as your memory fades.",
    f3Title: 'Test yourself',
    f3Text: 'A weekly exam built from your notes shows what stuck.',
  },
});
