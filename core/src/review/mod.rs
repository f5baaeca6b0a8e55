//! Reviewing: the domain types of a review, the ladder a card climbs, and how an answer is
//! graded. Everything here is pure (no I/O); `crate::store::reviews` keeps the state.

use serde::{Deserialize, Serialize};

pub mod grading;
pub mod ladder;

pub use ladder::{ScheduleState, TodayWindow, complete, interval_days, local_date, reclamp, start_of_local_day, zone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewResult {
    Remembered,
    Partial,
    Forgot,
}

impl ReviewResult {
    pub fn code(self) -> &'static str {
        match self {
            Self::Remembered => "remembered",
            Self::Partial => "partial",
            Self::Forgot => "forgot",
        }
    }

    /// The result a descriptive answer's AI score stands for (≥ 80, ≥ 50, else forgot).
    pub fn from_score(score: f64) -> Self {
        if score >= 80.0 {
            Self::Remembered
        } else if score >= 50.0 {
            Self::Partial
        } else {
            Self::Forgot
        }
    }
}

impl std::str::FromStr for ReviewResult {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "remembered" => Ok(Self::Remembered),
            "partial" => Ok(Self::Partial),
            "forgot" => Ok(Self::Forgot),
            _ => Err("expected remembered, partial or forgot".into()),
        }
    }
}

/// How a card is reviewed (`contents.review_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewMode {
    /// The learner says how well they remembered.
    Objective,
    /// The learner writes an answer, graded by the AI.
    Descriptive,
    /// The learner picks the title among generated options.
    MultipleChoice,
}

impl ReviewMode {
    pub const ALL: [Self; 3] = [Self::Objective, Self::Descriptive, Self::MultipleChoice];

    pub fn code(self) -> &'static str {
        match self {
            Self::Objective => "objective",
            Self::Descriptive => "descriptive",
            Self::MultipleChoice => "multiple_choice",
        }
    }

    /// Whether the AI takes part (validating the note, grading or making options).
    pub fn uses_ai(self) -> bool {
        self != Self::Objective
    }
}

impl std::str::FromStr for ReviewMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.code() == s)
            .ok_or_else(|| "expected objective, descriptive or multiple_choice".into())
    }
}

crate::db::text_column!(ReviewMode, ReviewResult);
