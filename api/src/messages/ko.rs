//! The Korean catalogue (the default language, and the original Resee's words).

use super::Msg;

pub(super) fn text(msg: &Msg) -> String {
    match msg {
        // The original answered these in English whatever the language.
        Msg::ResultRequired
        | Msg::ResultMustBeOneOf
        | Msg::TimeSpentNotInteger
        | Msg::TimeSpentNegative
        | Msg::TimeSpentOverADay
        | Msg::NotesTooLong(_)
        | Msg::DescriptiveAnswerTooLong(_)
        | Msg::TokenExpired
        | Msg::TokenInvalid
        | Msg::NotAString
        | Msg::NotABoolean => super::en::text(msg),

        // Reviews.
        Msg::ReviewRecorded => "복습을 기록했습니다.".into(),
        Msg::ScheduleIsPaused => "일시 중지된 복습 일정입니다.".into(),
        Msg::ChoicesNotReady => "객관식 보기를 아직 만드는 중입니다. 잠시 후 다시 시도하세요.".into(),
        Msg::ChooseAnAnswer => "객관식 모드에서는 답변을 선택해야 합니다.".into(),
        Msg::WriteAnAnswer => "서술형 모드에서는 답변을 작성해야 합니다.".into(),
        Msg::AiFailedSendResult => "AI 채점에 실패했습니다. result 값(remembered, partial, forgot)을 보내 주세요.".into(),
        Msg::CardBusy => "다른 요청이 이 카드를 동시에 변경하고 있습니다. 다시 시도해 주세요.".into(),
        Msg::Correct => "정답입니다.".into(),
        Msg::AnswerIs(correct) => format!("정답은 \"{correct}\" 입니다."),
        Msg::AnswerTooShort => "답변이 너무 짧아 0점으로 처리했습니다.".into(),
        Msg::OwnResultUsed => "AI 채점을 할 수 없어 직접 고른 결과를 사용했습니다.".into(),

        // Exams.
        Msg::ExamNotFound => "존재하지 않는 시험입니다.".into(),
        Msg::ExamNotInProgress => "진행 중인 시험이 아닙니다.".into(),
        Msg::ExamNotCompleted => "완료된 시험이 아닙니다.".into(),
        Msg::ExamAlreadyCompleted => "이미 완료된 시험입니다.".into(),
        Msg::ExamQuestionsPreparing => "문제를 만드는 중입니다. 잠시 후 다시 시도하세요.".into(),
        Msg::ExamStarted => "시험을 시작했습니다.".into(),
        Msg::ExamResumed => "시험을 이어서 진행합니다.".into(),
        Msg::ExamCompleted => "시험을 마쳤습니다.".into(),
        Msg::AnswerSaved => "답을 제출했습니다.".into(),
        Msg::QuestionNotFound => "존재하지 않는 문제입니다.".into(),
        Msg::ContentChosenTwice => "같은 콘텐츠를 두 번 고를 수 없습니다.".into(),
        Msg::ChooseContents { min, max } => format!("콘텐츠를 {min}~{max}개 골라야 합니다."),
        Msg::ChosenContentMissing => "존재하지 않는 콘텐츠가 있습니다.".into(),
        Msg::OnlyValidatedContents => "AI 검증을 통과한 콘텐츠만 고를 수 있습니다.".into(),
        Msg::EndBeforeStart => "종료일은 시작일 이후여야 합니다.".into(),
        Msg::MoreValidatedContentsNeeded(more) => format!("시험을 만들려면 AI 검증된 콘텐츠가 {more}개 더 필요합니다."),
        Msg::WeeklyExamTitle(week_start) => format!("주간 시험 ({week_start} 주)"),
        Msg::OneExamPerWeek => "시험은 일주일에 한 번만 만들 수 있습니다.".into(),

        // Requests.
        Msg::NotFound => "찾을 수 없습니다.".into(),
        Msg::PermissionDenied => "이 작업을 수행할 권한(permission)이 없습니다.".into(),
        Msg::NotAuthenticated => "자격 인증데이터(authentication credentials)가 제공되지 않았습니다.".into(),
        Msg::ServiceUnavailable => "일시적으로 서비스를 사용할 수 없습니다. 잠시 후 다시 시도하세요.".into(),
        Msg::Throttled(secs) => format!("요청이 너무 많습니다. {secs}초 후에 다시 시도하세요."),
        Msg::InvalidInput => "입력값이 올바르지 않습니다.".into(),
        Msg::ServerError => "서버 오류가 발생했습니다. 잠시 후 다시 시도하세요.".into(),
        Msg::ValueAlreadyExists => "이미 존재하는 값입니다.".into(),
        Msg::ReferencedObjectMissing => "존재하지 않는 항목입니다.".into(),
        Msg::ValueNotAllowed => "허용되지 않는 값입니다.".into(),
        Msg::CsrfOriginUntrusted(origin) => format!("CSRF 검증에 실패했습니다: 출처 {origin}은(는) 신뢰할 수 있는 출처가 아닙니다."),
        Msg::BodyTooLarge => "요청 본문이 너무 큽니다.".into(),
        Msg::BodyUnreadable => "요청 본문을 읽을 수 없습니다.".into(),
        Msg::MethodNotAllowed(method) => format!("메소드(Method) \"{method}\"는 허용되지 않습니다."),
        Msg::RequestInProgress => "같은 요청을 처리하는 중입니다.".into(),

        // Tokens.
        Msg::TokenNotValidForAnyType => "이 토큰은 모든 타입의 토큰에 대해 유효하지 않습니다".into(),
        Msg::TokenWrongType => "잘못된 토큰 타입입니다".into(),

        // Fields (Django REST Framework's words).
        Msg::FieldRequired => "이 필드는 필수 항목입니다.".into(),
        Msg::FieldNull => "이 필드는 null일 수 없습니다.".into(),
        Msg::FieldBlank => "이 필드는 blank일 수 없습니다.".into(),
        Msg::NullCharacters => "널 문자는 허용되지 않습니다.".into(),
        Msg::MaxLength(max) => format!("이 필드의 글자 수가 {max} 이하인지 확인하십시오."),
        Msg::InvalidInteger => "유효한 정수(integer)를 넣어주세요.".into(),
        Msg::MaxValue(max) => format!("이 값이 {max}보다 작거나 같은지 확인하십시오."),
        Msg::MinValue(min) => format!("이 값이 {min}보다 크거나 같은지 확인하십시오."),
        Msg::InvalidChoice(input) => format!("\"{input}\"이 유효하지 않은 선택(choice)입니다."),
        Msg::InvalidEmail => "유효한 이메일 주소를 입력하십시오.".into(),
        Msg::IncorrectPkType(received) => format!("잘못된 형식입니다. pk 값 대신 {received}를 받았습니다."),
        Msg::PkDoesNotExist(pk) => format!("유효하지 않은 pk \"{pk}\" - 객체가 존재하지 않습니다."),
        Msg::NotAList(received) => format!("아이템 리스트가 예상되었으나 \"{received}\"를 받았습니다."),
        Msg::InvalidTime => "Time의 포멧이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: hh:mm[:ss[.uuuuuu]].".into(),
        Msg::InvalidDatetime => {
            "Datetime의 포멧이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].".into()
        }
        Msg::InvalidPage => "페이지가 유효하지 않습니다.".into(),
        Msg::UnsupportedMediaType(media_type) => format!("요청된 \"{media_type}\"가 지원되지 않는 미디어 형태입니다."),
        Msg::NotADictionary(received) => format!("유효하지 않은 데이터. 딕셔너리(dictionary)대신 {received}를 받았습니다."),

        // Account input.
        Msg::InvalidEmailAddress => "올바른 이메일 주소를 입력하세요.".into(),
        Msg::PasswordTooShort(min) => format!("비밀번호가 너무 짧습니다. 최소 {min}자 이상이어야 합니다."),
        Msg::PasswordAllDigits => "비밀번호가 숫자로만 이루어져 있습니다.".into(),
        Msg::PasswordTooCommon => "너무 흔한 비밀번호입니다.".into(),
        Msg::PasswordTooSimilarToEmail => "비밀번호가 이메일과 너무 유사합니다.".into(),
        Msg::PasswordsDiffer => "비밀번호가 일치하지 않습니다.".into(),
        Msg::UsernameTaken => "이미 사용 중인 사용자 이름입니다.".into(),
        Msg::InvalidUsername => "사용자 이름은 150자 이하의 문자, 숫자, @/./+/-/_ 만 사용할 수 있습니다.".into(),

        // Sign-in.
        Msg::WrongEmailOrPassword => "이메일 또는 비밀번호가 올바르지 않습니다.".into(),
        Msg::EmailVerificationRequired => "이메일 인증이 필요합니다. 받은편지함을 확인하세요.".into(),
        Msg::NoRefreshToken => "리프레시 토큰이 없습니다.".into(),
        Msg::SignedOut => "로그아웃되었습니다.".into(),
        Msg::GoogleSignInNotConfigured => "Google 로그인이 설정되어 있지 않습니다.".into(),
        Msg::InvalidGoogleToken => "유효하지 않은 Google 토큰입니다.".into(),
        Msg::AccountDisabled => "비활성화된 계정입니다.".into(),
        Msg::SignedInWithGoogle => "Google 계정으로 로그인했습니다.".into(),

        // Registration.
        Msg::RegisteredVerifyEmail => "회원가입이 완료되었습니다. 이메일을 확인해 인증을 마쳐 주세요.".into(),
        Msg::Registered => "회원가입이 완료되었습니다.".into(),
        Msg::EmailTaken => "이미 사용 중인 이메일 주소입니다.".into(),
        Msg::VerificationLinkInvalid => "인증 링크가 올바르지 않거나 만료되었습니다.".into(),
        Msg::EmailVerified => "이메일 인증이 완료되었습니다.".into(),
        Msg::VerificationEmailCooldown(wait) => format!("인증 이메일은 5분에 한 번만 요청할 수 있습니다. {wait}초 후에 다시 시도하세요."),
        Msg::VerificationEmailSent => "가입 후 인증하지 않은 계정의 주소라면 인증 이메일을 보냈습니다.".into(),

        // Passwords.
        Msg::CurrentPasswordIncorrect => "현재 비밀번호가 올바르지 않습니다.".into(),
        Msg::PasswordChanged => "비밀번호가 변경되었습니다. 다시 로그인하세요.".into(),
        Msg::PasswordResetLinkSent => "가입된 이메일이라면 비밀번호 재설정 링크를 보냈습니다.".into(),
        Msg::PasswordResetLinkInvalid => "재설정 링크가 올바르지 않거나 만료되었습니다.".into(),
        Msg::PasswordReset => "비밀번호가 재설정되었습니다. 새 비밀번호로 로그인하세요.".into(),

        // Profile and preferences.
        Msg::WeeklyGoalSaved => "주간 목표가 저장되었습니다.".into(),
        Msg::TypeDeleteToConfirm => "확인을 위해 DELETE를 정확히 입력하세요.".into(),
        Msg::PasswordIncorrect => "비밀번호가 올바르지 않습니다.".into(),
        Msg::AccountDeleted => "계정과 모든 데이터가 삭제되었습니다.".into(),
        Msg::UnknownTimeZone => "알 수 없는 시간대입니다.".into(),
        Msg::UnknownLanguage => "언어는 ko 또는 en 이어야 합니다.".into(),
        Msg::UnsubscribeLinkInvalid => "수신 거부 링크가 올바르지 않습니다.".into(),
        Msg::Unsubscribed => "복습 알림 메일 수신을 거부했습니다.".into(),
        Msg::PlanChangesByAdministrator => "이 서버에서는 요금제를 직접 변경할 수 없습니다. 관리자에게 문의하세요.".into(),

        // User administration.
        Msg::CannotDeactivateSelf => "자신의 계정은 비활성화할 수 없습니다.".into(),
        Msg::CannotRemoveOwnAdminRights => "자신의 관리자 권한은 해제할 수 없습니다.".into(),
        Msg::DeleteOwnAccountThroughMe => "자신의 계정은 users/me/ 에서 삭제하세요.".into(),

        // Categories.
        Msg::CategoryNameNeedsLetterOrDigit => "이름에는 글자나 숫자가 하나 이상 있어야 합니다.".into(),
        Msg::CategoryNameTaken => "같은 이름의 카테고리가 이미 있습니다.".into(),
        Msg::CategoryLimitReached => "카테고리 개수 한도에 도달했습니다.".into(),
        Msg::UpgradeToCreateMore => "더 많이 사용하려면 요금제를 업그레이드하세요.".into(),

        // Contents.
        Msg::ContentTooShortForMode(min) => format!("이 복습 방식은 내용이 {min}자 이상이어야 합니다."),
        Msg::ContentLimitReached => "콘텐츠 개수 한도에 도달했습니다.".into(),
        Msg::ContentTooShortForAi(min) => format!("AI 검증에는 {min}자 이상의 내용이 필요합니다."),
        Msg::ContentAlreadyValidated => "이미 검증된 콘텐츠입니다.".into(),
        Msg::ContentChangedWhileValidating => "검증하는 동안 콘텐츠가 바뀌었습니다. 다시 시도하세요.".into(),
        Msg::ContentPassedValidation => "AI 검증을 통과했습니다.".into(),
        Msg::ContentFailedValidation => "AI 검증을 통과하지 못했습니다. 지적된 내용을 확인하세요.".into(),

        // Jobs.
        Msg::DeadLetterNotFound => "해당 실패 작업이 없습니다.".into(),
        Msg::JobRequeued => "작업을 다시 대기열에 넣었습니다.".into(),
    }
}
