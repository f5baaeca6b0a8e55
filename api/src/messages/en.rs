//! The English catalogue (`Accept-Language: en`).

use super::Msg;

pub(super) fn text(msg: &Msg) -> String {
    match msg {
        // Reviews.
        Msg::ReviewRecorded => "Review recorded.".into(),
        Msg::ScheduleIsPaused => "This review schedule is paused.".into(),
        Msg::ChoicesNotReady => "The multiple-choice options are still being generated; try again in a moment.".into(),
        Msg::ChooseAnAnswer => "Choose an answer: this card is multiple choice.".into(),
        Msg::WriteAnAnswer => "Write an answer: this card is graded on a written answer.".into(),
        Msg::AiFailedSendResult => "AI grading failed; send your own result (remembered, partial or forgot).".into(),
        Msg::CardBusy => "Other requests keep changing this card; try again.".into(),
        Msg::Correct => "Correct.".into(),
        Msg::AnswerIs(correct) => format!("The answer is \"{correct}\"."),
        Msg::AnswerTooShort => "The answer is too short to grade; it scores 0.".into(),
        Msg::OwnResultUsed => "AI grading was not available, so your own assessment was used.".into(),
        Msg::ResultRequired => "result is required for objective mode".into(),
        Msg::ResultMustBeOneOf => "result must be one of: remembered, partial, forgot".into(),
        Msg::TimeSpentNotInteger => "time_spent must be a valid integer (seconds)".into(),
        Msg::TimeSpentNegative => "time_spent cannot be negative".into(),
        Msg::TimeSpentOverADay => "time_spent cannot exceed 24 hours (86400 seconds)".into(),
        Msg::NotesTooLong(max) => format!("notes cannot exceed {max} characters"),
        Msg::DescriptiveAnswerTooLong(max) => format!("descriptive_answer cannot exceed {max} characters"),

        // Exams.
        Msg::ExamNotFound => "This exam does not exist.".into(),
        Msg::ExamNotInProgress => "This exam is not in progress.".into(),
        Msg::ExamNotCompleted => "This exam is not completed yet.".into(),
        Msg::ExamAlreadyCompleted => "This exam is already completed.".into(),
        Msg::ExamQuestionsPreparing => "The questions are still being prepared; try again in a moment.".into(),
        Msg::ExamStarted => "The exam has started.".into(),
        Msg::ExamResumed => "The exam is resumed.".into(),
        Msg::ExamCompleted => "The exam is completed.".into(),
        Msg::AnswerSaved => "Answer saved.".into(),
        Msg::QuestionNotFound => "This question does not exist.".into(),
        Msg::ContentChosenTwice => "Each content can be chosen once.".into(),
        Msg::ChooseContents { min, max } => format!("Choose {min} to {max} contents."),
        Msg::ChosenContentMissing => "A chosen content does not exist.".into(),
        Msg::OnlyValidatedContents => "Only AI-validated contents can be chosen.".into(),
        Msg::EndBeforeStart => "The end date must not be before the start date.".into(),
        Msg::MoreValidatedContentsNeeded(more) => format!("{more} more AI-validated content(s) are needed to make an exam."),
        Msg::WeeklyExamTitle(week_start) => format!("Weekly exam (week of {week_start})"),
        Msg::OneExamPerWeek => "You can create one exam per week.".into(),

        // Requests.
        Msg::NotFound => "Not found.".into(),
        Msg::PermissionDenied => "You do not have permission to perform this action.".into(),
        Msg::NotAuthenticated => "Authentication credentials were not provided.".into(),
        Msg::ServiceUnavailable => "The service is briefly unavailable; try again shortly.".into(),
        Msg::Throttled(secs) => format!("Request was throttled. Expected available in {secs} seconds."),
        Msg::InvalidInput => "Invalid input.".into(),
        Msg::ServerError => "Something went wrong on our side. Please try again later.".into(),
        Msg::ValueAlreadyExists => "A record with this value already exists.".into(),
        Msg::ReferencedObjectMissing => "The referenced object does not exist.".into(),
        Msg::ValueNotAllowed => "This value is not allowed.".into(),
        Msg::CsrfOriginUntrusted(origin) => {
            format!("CSRF Failed: Origin checking failed - {origin} does not match any trusted origins.")
        }
        Msg::BodyTooLarge => "Request body is too large.".into(),
        Msg::BodyUnreadable => "Could not read the request body.".into(),
        Msg::MethodNotAllowed(method) => format!("Method \"{method}\" not allowed."),
        Msg::RequestInProgress => "A request with this Idempotency-Key is in progress.".into(),

        // Tokens.
        Msg::TokenNotValidForAnyType => "Given token not valid for any token type".into(),
        Msg::TokenExpired => "Token is expired".into(),
        Msg::TokenInvalid => "Token is invalid".into(),
        Msg::TokenWrongType => "Token has wrong type".into(),

        // Fields (Django REST Framework's words).
        Msg::FieldRequired => "This field is required.".into(),
        Msg::FieldNull => "This field may not be null.".into(),
        Msg::FieldBlank => "This field may not be blank.".into(),
        Msg::NullCharacters => "Null characters are not allowed.".into(),
        Msg::NotAString => "Not a valid string.".into(),
        Msg::MaxLength(max) => format!("Ensure this field has no more than {max} characters."),
        Msg::InvalidInteger => "A valid integer is required.".into(),
        Msg::MaxValue(max) => format!("Ensure this value is less than or equal to {max}."),
        Msg::MinValue(min) => format!("Ensure this value is greater than or equal to {min}."),
        Msg::NotABoolean => "Must be a valid boolean.".into(),
        Msg::InvalidChoice(input) => format!("\"{input}\" is not a valid choice."),
        Msg::InvalidEmail => "Enter a valid email address.".into(),
        Msg::IncorrectPkType(received) => format!("Incorrect type. Expected pk value, received {received}."),
        Msg::PkDoesNotExist(pk) => format!("Invalid pk \"{pk}\" - object does not exist."),
        Msg::NotAList(received) => format!("Expected a list of items but got type \"{received}\"."),
        Msg::InvalidTime => "Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]].".into(),
        Msg::InvalidDatetime => {
            "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].".into()
        }
        Msg::InvalidPage => "Invalid page.".into(),
        Msg::UnsupportedMediaType(media_type) => format!("Unsupported media type \"{media_type}\" in request."),
        Msg::NotADictionary(received) => format!("Invalid data. Expected a dictionary, but got {received}."),

        // Account input.
        Msg::InvalidEmailAddress => "Enter a valid email address.".into(),
        Msg::PasswordTooShort(min) => format!("This password is too short. It must contain at least {min} characters."),
        Msg::PasswordAllDigits => "This password is entirely numeric.".into(),
        Msg::PasswordTooCommon => "This password is too common.".into(),
        Msg::PasswordTooSimilarToEmail => "The password is too similar to the email.".into(),
        Msg::PasswordsDiffer => "The two password fields didn't match.".into(),
        Msg::UsernameTaken => "A user with that username already exists.".into(),
        Msg::InvalidUsername => "Enter a valid username: up to 150 letters, digits and @/./+/-/_ characters.".into(),

        // Sign-in.
        Msg::WrongEmailOrPassword => "The email or password is incorrect.".into(),
        Msg::EmailVerificationRequired => "Please verify your email address first; check your inbox.".into(),
        Msg::NoRefreshToken => "No refresh token was provided.".into(),
        Msg::SignedOut => "Signed out.".into(),
        Msg::GoogleSignInNotConfigured => "Google sign-in is not configured on this server.".into(),
        Msg::InvalidGoogleToken => "Invalid Google token.".into(),
        Msg::AccountDisabled => "This account is disabled.".into(),
        Msg::SignedInWithGoogle => "Signed in with Google.".into(),

        // Registration.
        Msg::RegisteredVerifyEmail => "Registration complete. Check your email to verify your address.".into(),
        Msg::Registered => "Registration complete.".into(),
        Msg::EmailTaken => "This email address is already in use.".into(),
        Msg::VerificationLinkInvalid => "The verification link is invalid or has expired.".into(),
        Msg::EmailVerified => "Your email address is verified.".into(),
        Msg::VerificationEmailCooldown(wait) => {
            format!("A verification email can be asked for once in 5 minutes; try again in {wait} seconds.")
        }
        Msg::VerificationEmailSent => {
            "If an unverified account uses this address, we sent it a verification email.".into()
        }

        // Passwords.
        Msg::CurrentPasswordIncorrect => "The current password is incorrect.".into(),
        Msg::PasswordChanged => "Your password was changed. Please sign in again.".into(),
        Msg::PasswordResetLinkSent => "If an account uses this address, we sent it a password reset link.".into(),
        Msg::PasswordResetLinkInvalid => "The reset link is invalid or has expired.".into(),
        Msg::PasswordReset => "Your password was reset. Sign in with the new one.".into(),

        // Profile and preferences.
        Msg::WeeklyGoalSaved => "Weekly goal saved.".into(),
        Msg::TypeDeleteToConfirm => "Type DELETE to confirm.".into(),
        Msg::PasswordIncorrect => "The password is incorrect.".into(),
        Msg::AccountDeleted => "Your account and all its data were deleted.".into(),
        Msg::UnknownTimeZone => "Unknown time zone; use an IANA name like Asia/Seoul.".into(),
        Msg::UnknownLanguage => "The language must be ko or en.".into(),
        Msg::UnsubscribeLinkInvalid => "This unsubscribe link is not valid.".into(),
        Msg::Unsubscribed => "You will no longer receive review reminders.".into(),
        Msg::PlanChangesByAdministrator => "Plan changes are managed by the administrator on this server.".into(),

        // User administration.
        Msg::CannotDeactivateSelf => "You cannot deactivate your own account.".into(),
        Msg::CannotRemoveOwnAdminRights => "You cannot remove your own admin rights.".into(),
        Msg::DeleteOwnAccountThroughMe => "Delete your own account through users/me/.".into(),

        // Categories.
        Msg::CategoryNameNeedsLetterOrDigit => "The name must contain a letter or a digit.".into(),
        Msg::CategoryNameTaken => "You already have a category with this name.".into(),
        Msg::CategoryLimitReached => "You have reached your plan's category limit.".into(),
        Msg::UpgradeToCreateMore => "Upgrade your plan to create more.".into(),

        // Contents.
        Msg::ContentTooShortForMode(min) => format!("This review mode needs at least {min} characters of content."),
        Msg::ContentLimitReached => "You have reached your plan's content limit.".into(),
        Msg::ContentTooShortForAi(min) => format!("AI validation needs at least {min} characters of content."),
        Msg::ContentAlreadyValidated => "This content is already validated.".into(),
        Msg::ContentChangedWhileValidating => "The content changed while it was being validated; try again.".into(),
        Msg::ContentPassedValidation => "The content passed the AI validation.".into(),
        Msg::ContentFailedValidation => "The content did not pass the AI validation; see the issues.".into(),

        // Jobs.
        Msg::DeadLetterNotFound => "No such dead letter.".into(),
        Msg::JobRequeued => "Job requeued.".into(),
    }
}
