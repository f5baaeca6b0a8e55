//! Weekly exams: their lifecycle and the rules of each step, pure (no I/O);
//! `crate::store::exams` keeps the state.
//!
//! ```text
//! preparing ──(questions written by the worker)──▶ pending ──start──▶ in_progress ──complete──▶ completed
//! ```

use serde::{Deserialize, Serialize};

/// Where an exam is in its lifecycle (`exams.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExamStatus {
    /// The worker is writing its questions.
    Preparing,
    /// Ready, not started.
    Pending,
    InProgress,
    Completed,
}

impl ExamStatus {
    pub const ALL: [Self; 4] = [Self::Preparing, Self::Pending, Self::InProgress, Self::Completed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Preparing => "preparing",
            Self::Pending => "pending",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
        }
    }

    /// What starting the exam does, or why it cannot start.
    pub fn start(self) -> Result<Start, Refusal> {
        match self {
            Self::Preparing => Err(Refusal::StillPreparing),
            Self::Pending => Ok(Start::Begin),
            Self::InProgress => Ok(Start::Resume),
            Self::Completed => Err(Refusal::AlreadyCompleted),
        }
    }

    /// Answers are taken, and the exam completed, only while it is in progress.
    pub fn accepts_answers(self) -> Result<(), Refusal> {
        if self == Self::InProgress { Ok(()) } else { Err(Refusal::NotInProgress) }
    }

    /// Correct answers and scores are shown only once the exam is completed.
    pub fn reveals_answers(self) -> bool {
        self == Self::Completed
    }

    /// Results exist only for a completed exam.
    pub fn results(self) -> Result<(), Refusal> {
        if self.reveals_answers() { Ok(()) } else { Err(Refusal::NotCompleted) }
    }
}

impl std::str::FromStr for ExamStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|st| st.code() == s).ok_or_else(|| format!("`{s}` is not an exam status"))
    }
}

crate::db::text_column!(ExamStatus);

/// Starting an exam that may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// pending → in_progress.
    Begin,
    /// Already in progress: carry on.
    Resume,
}

/// Why an exam step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Its questions are not written yet: try again in a moment.
    StillPreparing,
    AlreadyCompleted,
    NotInProgress,
    NotCompleted,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_pending_exam_begins_and_only_one_in_progress_resumes() {
        assert_eq!(ExamStatus::Pending.start(), Ok(Start::Begin));
        assert_eq!(ExamStatus::InProgress.start(), Ok(Start::Resume));
        assert_eq!(ExamStatus::Preparing.start(), Err(Refusal::StillPreparing));
        assert_eq!(ExamStatus::Completed.start(), Err(Refusal::AlreadyCompleted));
    }

    #[test]
    fn answers_only_in_progress_and_results_only_when_completed() {
        for status in ExamStatus::ALL {
            assert_eq!(status.accepts_answers().is_ok(), status == ExamStatus::InProgress, "{status:?}");
            assert_eq!(status.results().is_ok(), status == ExamStatus::Completed, "{status:?}");
            assert_eq!(status.reveals_answers(), status == ExamStatus::Completed, "{status:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for status in ExamStatus::ALL {
            assert_eq!(status.code().parse::<ExamStatus>(), Ok(status));
        }
        assert!("started".parse::<ExamStatus>().is_err());
    }
}
