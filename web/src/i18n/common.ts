import { defineMessages, getLang, translate, type Params } from './core';

// Messages shared by every page. Feature-specific text belongs in the feature's own
// `messages.ts` next to its page, not here.
export const common = defineMessages({
  ko: {
    appName: 'Resee',
    skipToContent: '본문으로 건너뛰기',
    // navigation
    navMain: '주 메뉴',
    navDashboard: '대시보드',
    navContents: '노트',
    navReview: '복습',
    navExams: '시험',
    navCategories: '카테고리',
    navProfile: '프로필',
    navSettings: '설정',
    navSubscription: '구독',
    navAdmin: '관리자',
    navLogin: '로그인',
    navRegister: '회원가입',
    navLogout: '로그아웃',
    openMenu: '메뉴 열기',
    closeMenu: '메뉴 닫기',
    accountMenu: '계정 메뉴',
    // preferences
    language: '언어',
    langKo: '한국어',
    langEn: 'English',
    theme: '테마',
    themeLight: '밝게',
    themeDark: '어둡게',
    themeSystem: '시스템 설정',
    // generic actions and states
    loading: '불러오는 중…',
    save: '저장',
    cancel: '취소',
    close: '닫기',
    confirm: '확인',
    retry: '다시 시도',
    reload: '새로고침',
    back: '뒤로',
    dismiss: '알림 닫기',
    notifications: '알림',
    // offline
    offlineBanner: '오프라인 상태입니다. 복습 결과는 저장해 두었다가 연결되면 전송합니다.',
    outboxPending: {
      other: '전송 대기 중인 복습 {count}개',
    },
    // errors
    errorTitle: '문제가 발생했습니다',
    errorGeneric: '요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.',
    errorNetwork: '서버에 연결할 수 없습니다. 인터넷 연결을 확인해 주세요.',
    errorServer: '서버 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.',
    errorThrottled: '요청이 너무 많습니다. {seconds}초 후에 다시 시도해 주세요.',
    errorThrottledNoWait: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    errorNotFound: '찾을 수 없습니다.',
    errorForbidden: '권한이 없습니다.',
    errorSessionExpired: '로그인이 만료되었습니다. 다시 로그인해 주세요.',
    errorChunk: '새 버전이 배포되었습니다. 페이지를 새로고침해 주세요.',
    // validation (mirrors the API's rules)
    vRequired: '필수 항목입니다.',
    vEmail: '올바른 이메일 주소를 입력해 주세요.',
    vPasswordMin: '비밀번호는 8자 이상이어야 합니다.',
    vPasswordNumeric: '비밀번호는 숫자로만 이루어질 수 없습니다.',
    vPasswordMismatch: '비밀번호가 일치하지 않습니다.',
    vTitleLength: '제목은 1~30자여야 합니다.',
    vContentMax: '본문은 50,000자 이하여야 합니다.',
    vWeeklyGoal: '주간 목표는 1~100 사이의 정수여야 합니다.',
    vMaxLength: '{max}자 이하로 입력해 주세요.',
    // plans (the API's tier_display is the original's fixed label, not translated)
    tier_free: '무료 (3일)',
    tier_basic: '베이직 (90일)',
    tier_pro: '프로 (180일)',
  },
  en: {
    appName: 'Resee',
    skipToContent: 'Skip to content',
    navMain: 'Main',
    navDashboard: 'Dashboard',
    navContents: 'Notes',
    navReview: 'Review',
    navExams: 'Exams',
    navCategories: 'Categories',
    navProfile: 'Profile',
    navSettings: 'Settings',
    navSubscription: 'Subscription',
    navAdmin: 'Admin',
    navLogin: 'Sign in',
    navRegister: 'Sign up',
    navLogout: 'Sign out',
    openMenu: 'Open menu',
    closeMenu: 'Close menu',
    accountMenu: 'Account menu',
    language: 'Language',
    langKo: '한국어',
    langEn: 'English',
    theme: 'Theme',
    themeLight: 'Light',
    themeDark: 'Dark',
    themeSystem: 'System',
    loading: 'Loading…',
    save: 'Save',
    cancel: 'Cancel',
    close: 'Close',
    confirm: 'Confirm',
    retry: 'Try again',
    reload: 'Reload',
    back: 'Back',
    dismiss: 'Dismiss notification',
    notifications: 'Notifications',
    offlineBanner: 'You are offline. Review results are kept and sent once you are back online.',
    outboxPending: {
      one: '{count} review waiting to be sent',
      other: '{count} reviews waiting to be sent',
    },
    errorTitle: 'Something went wrong',
    errorGeneric: 'The request could not be completed. Please try again shortly.',
    errorNetwork: 'Cannot reach the server. Check your internet connection.',
    errorServer: 'A server error occurred. Please try again shortly.',
    errorThrottled: 'Too many requests. Try again in {seconds} seconds.',
    errorThrottledNoWait: 'Too many requests. Please try again shortly.',
    errorNotFound: 'Not found.',
    errorForbidden: 'You do not have permission.',
    errorSessionExpired: 'Your session has expired. Please sign in again.',
    errorChunk: 'A new version has been released. Please reload the page.',
    vRequired: 'This field is required.',
    vEmail: 'Enter a valid email address.',
    vPasswordMin: 'The password must be at least 8 characters.',
    vPasswordNumeric: 'The password cannot be entirely numeric.',
    vPasswordMismatch: 'The passwords do not match.',
    vTitleLength: 'The title must be 1–30 characters.',
    vContentMax: 'The body must be at most 50,000 characters.',
    vWeeklyGoal: 'The weekly goal must be a whole number from 1 to 100.',
    vMaxLength: 'Enter at most {max} characters.',
    tier_free: 'Free (3 days)',
    tier_basic: 'Basic (90 days)',
    tier_pro: 'Pro (180 days)',
  },
});

export type CommonKey = keyof typeof common.ko;

/** A plan's name in the current language, from its code (`free`, `basic`, `pro`). */
export function tierName(tier: string): string {
  const key = `tier_${tier}`;
  return key in common.ko ? tCommon(key as CommonKey) : tier;
}

/** Common messages outside React (uses the current language). */
export function tCommon(key: CommonKey, params?: Params): string {
  return translate(common, getLang(), key, params);
}
