//! Review activity: streaks over days with at least one review (pure).

use chrono::NaiveDate;

/// (current streak, longest streak) in days.
///
/// `active` lists the local dates with at least one review, ascending. The current streak ends
/// today, or yesterday when nothing was reviewed yet today (the day is not over).
pub fn streaks(active: &[NaiveDate], today: NaiveDate) -> (u32, u32) {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<NaiveDate> = None;
    for &day in active {
        run = match previous {
            Some(p) if p.succ_opt() == Some(day) => run + 1,
            Some(p) if p == day => run,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let yesterday = today.pred_opt();
    let current = match previous {
        Some(last) if last == today || Some(last) == yesterday => run,
        _ => 0,
    };
    (current, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).expect("date")
    }

    #[test]
    fn streaks_count_consecutive_days() {
        assert_eq!(streaks(&[], d(10)), (0, 0));
        assert_eq!(streaks(&[d(8), d(9), d(10)], d(10)), (3, 3));
        assert_eq!(streaks(&[d(8), d(9)], d(10)), (2, 2), "today is not over yet");
        assert_eq!(streaks(&[d(7), d(8)], d(10)), (0, 2), "a missed day breaks it");
        assert_eq!(streaks(&[d(1), d(2), d(3), d(4), d(9), d(10)], d(10)), (2, 4));
    }
}
