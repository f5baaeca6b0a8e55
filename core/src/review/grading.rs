//! How an answer becomes a review result, per review mode (docs/RULES.md → Grading), and what a
//! completion does to its card. Pure: the caller reads the card, asks the AI, and writes.

use chrono::{DateTime, Utc};

use super::{ReviewMode, ReviewResult, ScheduleState, ladder};
use crate::ai::MIN_ANSWER_CHARS;
use crate::tiers::Tier;

/// How often a completion reads its card again after concurrent changes beat it to the write;
/// each round lets at least one of the contenders through.
pub const MAX_COMPLETION_ATTEMPTS: u32 = 20;

/// What the learner sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Answer<'a> {
    /// Their own judgement: required for objective cards, and for descriptive ones when the AI
    /// cannot grade.
    pub result: Option<ReviewResult>,
    pub descriptive_answer: Option<&'a str>,
    pub selected_choice: Option<&'a str>,
}

impl Answer<'_> {
    fn written(&self) -> &str {
        self.descriptive_answer.unwrap_or_default().trim()
    }
}

/// The AI's grade of a written answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AiGrade {
    /// 0–100.
    pub score: f64,
    pub feedback: String,
    pub provider: String,
}

/// What the learner is told about their answer; worded by the api's message catalogue.
#[derive(Debug, Clone, PartialEq)]
pub enum Feedback {
    Correct,
    /// Wrong; the right option was this.
    AnswerIs(String),
    /// Too short to grade: scores 0.
    TooShort,
    /// The AI's own words.
    Ai(String),
    /// The AI could not grade; the learner's own result counts.
    OwnResultUsed,
}

/// How an answer was judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub score: Option<f64>,
    pub feedback: Feedback,
    pub auto_result: ReviewResult,
    pub is_correct: Option<bool>,
    /// The AI provider that graded it.
    pub provider: Option<String>,
}

/// Why an answer cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A multiple-choice card whose options the worker has not made yet: try again shortly.
    ChoicesNotReady,
    NoChoiceMade,
    NoAnswerWritten,
    /// An objective card needs the learner's result.
    ResultRequired,
    /// The AI could not grade a written answer, and no result was sent to fall back on.
    AiFailedWithoutResult,
    /// The card is paused.
    Paused,
}

/// Whether a written answer is long enough to be graded by the AI.
pub fn needs_ai(mode: ReviewMode, answer: &Answer<'_>) -> bool {
    mode == ReviewMode::Descriptive && answer.written().chars().count() >= MIN_ANSWER_CHARS
}

/// The result an answer stands for. `correct_choice` is a multiple-choice card's right option
/// (`None` until generated); `graded` is the AI's grade of a written answer (`None`: it failed
/// or was not asked).
pub fn grade(
    mode: ReviewMode,
    correct_choice: Option<&str>,
    answer: &Answer<'_>,
    graded: Option<AiGrade>,
) -> Result<(ReviewResult, Option<Evaluation>), Refusal> {
    match mode {
        ReviewMode::Objective => Ok((answer.result.ok_or(Refusal::ResultRequired)?, None)),
        ReviewMode::MultipleChoice => {
            let correct = correct_choice.ok_or(Refusal::ChoicesNotReady)?;
            let selected = answer.selected_choice.filter(|s| !s.trim().is_empty()).ok_or(Refusal::NoChoiceMade)?;
            let is_correct = selected.trim() == correct.trim();
            let result = if is_correct { ReviewResult::Remembered } else { ReviewResult::Forgot };
            let feedback = if is_correct { Feedback::Correct } else { Feedback::AnswerIs(correct.to_owned()) };
            let score = if is_correct { 100.0 } else { 0.0 };
            let evaluation = Evaluation {
                score: Some(score),
                feedback,
                auto_result: result,
                is_correct: Some(is_correct),
                provider: None,
            };
            Ok((result, Some(evaluation)))
        }
        ReviewMode::Descriptive if answer.written().is_empty() => Err(Refusal::NoAnswerWritten),
        ReviewMode::Descriptive if !needs_ai(mode, answer) => {
            let result = ReviewResult::Forgot;
            let evaluation = Evaluation {
                score: Some(0.0),
                feedback: Feedback::TooShort,
                auto_result: result,
                is_correct: Some(false),
                provider: None,
            };
            Ok((result, Some(evaluation)))
        }
        ReviewMode::Descriptive => match graded {
            Some(g) => {
                let result = ReviewResult::from_score(g.score);
                let evaluation = Evaluation {
                    score: Some(g.score),
                    feedback: Feedback::Ai(g.feedback),
                    auto_result: result,
                    is_correct: Some(result == ReviewResult::Remembered),
                    provider: Some(g.provider),
                };
                Ok((result, Some(evaluation)))
            }
            // The learner's own judgement counts; without one there is nothing to record.
            None => {
                let result = answer.result.ok_or(Refusal::AiFailedWithoutResult)?;
                let evaluation = Evaluation {
                    score: None,
                    feedback: Feedback::OwnResultUsed,
                    auto_result: result,
                    is_correct: None,
                    provider: None,
                };
                Ok((result, Some(evaluation)))
            }
        },
    }
}

/// A card as a completion reads it.
#[derive(Debug, Clone)]
pub struct Card<'a> {
    pub is_active: bool,
    pub mode: ReviewMode,
    pub correct_choice: Option<&'a str>,
    pub state: ScheduleState,
}

/// What a completion records.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub result: ReviewResult,
    pub evaluation: Option<Evaluation>,
    /// The card's next place on its ladder.
    pub after: ScheduleState,
}

/// Grades `answer` on `card` and moves the card on its tier's ladder.
pub fn complete(
    card: &Card<'_>,
    answer: &Answer<'_>,
    graded: Option<AiGrade>,
    tier: Tier,
    now: DateTime<Utc>,
) -> Result<Completion, Refusal> {
    if !card.is_active {
        return Err(Refusal::Paused);
    }
    let (result, evaluation) = grade(card.mode, card.correct_choice, answer, graded)?;
    Ok(Completion { result, evaluation, after: ladder::complete(card.state, result, tier, now) })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn written(text: &str) -> Answer<'_> {
        Answer { descriptive_answer: Some(text), ..Answer::default() }
    }

    fn ai(score: f64) -> Option<AiGrade> {
        Some(AiGrade { score, feedback: "ok".into(), provider: "test".into() })
    }

    #[test]
    fn objective_cards_take_the_learners_result() {
        let own = Answer { result: Some(ReviewResult::Partial), ..Answer::default() };
        assert_eq!(grade(ReviewMode::Objective, None, &own, None), Ok((ReviewResult::Partial, None)));
        assert_eq!(grade(ReviewMode::Objective, None, &Answer::default(), None), Err(Refusal::ResultRequired));
    }

    #[test]
    fn multiple_choice_needs_options_and_a_choice() {
        let pick = Answer { selected_choice: Some(" Ohm "), ..Answer::default() };
        assert_eq!(grade(ReviewMode::MultipleChoice, None, &pick, None), Err(Refusal::ChoicesNotReady));
        let blank = Answer { selected_choice: Some("  "), ..Answer::default() };
        assert_eq!(grade(ReviewMode::MultipleChoice, Some("Ohm"), &blank, None), Err(Refusal::NoChoiceMade));
        let (result, evaluation) = grade(ReviewMode::MultipleChoice, Some("Ohm"), &pick, None).expect("graded");
        assert_eq!(result, ReviewResult::Remembered);
        assert_eq!(evaluation.map(|e| e.feedback), Some(Feedback::Correct));
        let wrong = Answer { selected_choice: Some("Watt"), ..Answer::default() };
        let (result, evaluation) = grade(ReviewMode::MultipleChoice, Some("Ohm"), &wrong, None).expect("graded");
        assert_eq!(result, ReviewResult::Forgot);
        assert_eq!(evaluation.map(|e| e.feedback), Some(Feedback::AnswerIs("Ohm".into())));
    }

    #[test]
    fn written_answers_blank_short_ungraded_and_graded() {
        let mode = ReviewMode::Descriptive;
        assert_eq!(grade(mode, None, &written("   "), ai(90.0)), Err(Refusal::NoAnswerWritten));
        let (result, evaluation) = grade(mode, None, &written("too short"), ai(90.0)).expect("graded");
        assert_eq!((result, evaluation.map(|e| e.feedback)), (ReviewResult::Forgot, Some(Feedback::TooShort)));
        let long = "a long enough answer";
        assert_eq!(grade(mode, None, &written(long), None), Err(Refusal::AiFailedWithoutResult));
        let own = Answer { result: Some(ReviewResult::Partial), ..written(long) };
        let (result, evaluation) = grade(mode, None, &own, None).expect("own result");
        assert_eq!((result, evaluation.map(|e| e.feedback)), (ReviewResult::Partial, Some(Feedback::OwnResultUsed)));
        let (result, evaluation) = grade(mode, None, &written(long), ai(85.0)).expect("graded");
        assert_eq!(result, ReviewResult::Remembered);
        assert_eq!(evaluation.and_then(|e| e.provider), Some("test".into()));
    }

    #[test]
    fn a_paused_card_is_refused_before_grading() {
        let now = Utc::now();
        let state = ScheduleState { interval_index: 0, next_review_date: now, initial_review_completed: false };
        let card = Card { is_active: false, mode: ReviewMode::Objective, correct_choice: None, state };
        let own = Answer { result: Some(ReviewResult::Remembered), ..Answer::default() };
        assert_eq!(complete(&card, &own, None, Tier::Basic, now), Err(Refusal::Paused));
        let card = Card { is_active: true, ..card };
        let done = complete(&card, &own, None, Tier::Basic, now).expect("completed");
        assert_eq!(done.after, ladder::complete(state, ReviewResult::Remembered, Tier::Basic, now));
    }

    proptest! {
        /// A higher AI score never gives a worse result, and the result matches the score's band.
        #[test]
        fn grading_is_monotonic_in_the_ai_score(a in 0.0f64..=100.0, b in 0.0f64..=100.0) {
            let long = written("a long enough answer");
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            let rank = |r: ReviewResult| match r { ReviewResult::Forgot => 0, ReviewResult::Partial => 1, ReviewResult::Remembered => 2 };
            let (r_low, _) = grade(ReviewMode::Descriptive, None, &long, ai(low)).expect("graded");
            let (r_high, e_high) = grade(ReviewMode::Descriptive, None, &long, ai(high)).expect("graded");
            prop_assert!(rank(r_low) <= rank(r_high));
            prop_assert_eq!(r_high, ReviewResult::from_score(high));
            prop_assert_eq!(e_high.and_then(|e| e.is_correct), Some(r_high == ReviewResult::Remembered));
        }

        /// A multiple-choice answer is remembered exactly when it is the right option (spaces aside).
        #[test]
        fn a_choice_is_right_exactly_when_it_matches(correct in "[a-z]{1,8}", chosen in "[a-z]{1,8}", pad in " {0,2}") {
            let padded = format!("{pad}{chosen}{pad}");
            let answer = Answer { selected_choice: Some(&padded), ..Answer::default() };
            let (result, _) = grade(ReviewMode::MultipleChoice, Some(&correct), &answer, None).expect("graded");
            prop_assert_eq!(result == ReviewResult::Remembered, chosen == correct);
        }
    }
}
