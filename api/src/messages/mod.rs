//! Every message the api shows its users, by name. The words live in one catalogue per
//! language (`ko.rs`, `en.rs`); handlers name a [`Msg`] and never hold text.
//!
//! Adding a message: a variant here (with its parameters as fields), then its words in both
//! catalogues. The compiler refuses a catalogue that misses one.

use resee_core::i18n::Language;

mod en;
mod ko;

/// A message shown to users; [`Msg::text`] words it in the request's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    // Reviews.
    ReviewRecorded,
    ScheduleIsPaused,
    ChoicesNotReady,
    ChooseAnAnswer,
    WriteAnAnswer,
    AiFailedSendResult,
    CardBusy,
    Correct,
    AnswerIs(String),
    AnswerTooShort,
    OwnResultUsed,
    ResultRequired,
    ResultMustBeOneOf,
    TimeSpentNotInteger,
    TimeSpentNegative,
    TimeSpentOverADay,
    NotesTooLong(usize),
    DescriptiveAnswerTooLong(usize),

    // Exams.
    ExamNotFound,
    ExamNotInProgress,
    ExamNotCompleted,
    ExamAlreadyCompleted,
    ExamQuestionsPreparing,
    ExamStarted,
    ExamResumed,
    ExamCompleted,
    AnswerSaved,
    QuestionNotFound,
    ContentChosenTwice,
    ChooseContents {
        min: usize,
        max: usize,
    },
    ChosenContentMissing,
    OnlyValidatedContents,
    EndBeforeStart,
    MoreValidatedContentsNeeded(i64),
    WeeklyExamTitle(String),
    OneExamPerWeek,

    // Requests.
    NotFound,
    PermissionDenied,
    NotAuthenticated,
    ServiceUnavailable,
    Throttled(u64),
    InvalidInput,
    ServerError,
    ValueAlreadyExists,
    ReferencedObjectMissing,
    ValueNotAllowed,
    CsrfOriginUntrusted(String),
    BodyTooLarge,
    BodyUnreadable,
    MethodNotAllowed(String),
    RequestInProgress,

    // Tokens.
    TokenNotValidForAnyType,
    TokenExpired,
    TokenInvalid,
    TokenWrongType,

    // Fields (Django REST Framework's words).
    FieldRequired,
    FieldNull,
    FieldBlank,
    NullCharacters,
    NotAString,
    MaxLength(usize),
    InvalidInteger,
    MaxValue(i64),
    MinValue(i64),
    NotABoolean,
    InvalidChoice(String),
    /// An email body field that is not an address (DRF's words).
    InvalidEmail,
    IncorrectPkType(String),
    PkDoesNotExist(i64),
    NotAList(String),
    InvalidTime,
    InvalidDatetime,
    InvalidPage,
    UnsupportedMediaType(String),
    NotADictionary(String),

    // Account input.
    /// An address `validation::email` refuses outside a body field (a Google account's, the
    /// command line's); body fields say [`Msg::InvalidEmail`].
    InvalidEmailAddress,
    PasswordTooShort(usize),
    PasswordAllDigits,
    PasswordTooCommon,
    PasswordTooSimilarToEmail,
    PasswordsDiffer,
    UsernameTaken,
    InvalidUsername,

    // Sign-in.
    WrongEmailOrPassword,
    EmailVerificationRequired,
    NoRefreshToken,
    SignedOut,
    GoogleSignInNotConfigured,
    InvalidGoogleToken,
    AccountDisabled,
    SignedInWithGoogle,

    // Registration.
    RegisteredVerifyEmail,
    Registered,
    EmailTaken,
    VerificationLinkInvalid,
    EmailVerified,
    VerificationEmailCooldown(u64),
    VerificationEmailSent,

    // Passwords.
    CurrentPasswordIncorrect,
    PasswordChanged,
    PasswordResetLinkSent,
    PasswordResetLinkInvalid,
    PasswordReset,

    // Profile and preferences.
    WeeklyGoalSaved,
    TypeDeleteToConfirm,
    PasswordIncorrect,
    AccountDeleted,
    UnknownTimeZone,
    UnknownLanguage,
    UnsubscribeLinkInvalid,
    Unsubscribed,
    PlanChangesByAdministrator,

    // User administration.
    CannotDeactivateSelf,
    CannotRemoveOwnAdminRights,
    DeleteOwnAccountThroughMe,

    // Categories.
    CategoryNameNeedsLetterOrDigit,
    CategoryNameTaken,
    CategoryLimitReached,
    UpgradeToCreateMore,

    // Contents.
    ContentTooShortForMode(usize),
    ContentLimitReached,
    ContentTooShortForAi(usize),
    ContentAlreadyValidated,
    ContentChangedWhileValidating,
    ContentPassedValidation,
    ContentFailedValidation,

    // Jobs.
    DeadLetterNotFound,
    JobRequeued,
}

impl Msg {
    /// The message in the current request's language.
    pub fn text(&self) -> String {
        self.text_in(crate::i18n::current())
    }

    pub fn text_in(&self, language: Language) -> String {
        match language {
            Language::Ko => ko::text(self),
            Language::En => en::text(self),
        }
    }
}

impl From<Msg> for String {
    fn from(msg: Msg) -> Self {
        msg.text()
    }
}
