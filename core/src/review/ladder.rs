//! The review ladder and today's list (docs/RULES.md → The ladder): pure functions, no I/O.
//!
//! A schedule sits on a rung of its tier's ladder. Remembering climbs one rung, a partial recall
//! stays, forgetting drops to the first rung without moving the due date (the card stays in
//! today's list for a retry). Intervals never exceed the tier's maximum.

use super::ReviewResult;
use crate::tiers::Tier;
use chrono::{DateTime, Days, NaiveDate, TimeDelta, TimeZone as _, Utc};
use chrono_tz::Tz;

/// Where a card stands on its ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleState {
    pub interval_index: usize,
    pub next_review_date: DateTime<Utc>,
    pub initial_review_completed: bool,
}

/// The interval of rung `index` of `tier`'s ladder in days, capped by the tier's maximum (an
/// index past the top rung reads the top rung).
pub fn interval_days(tier: Tier, index: usize) -> u32 {
    let ladder = tier.ladder();
    ladder[index.min(ladder.len() - 1)].min(tier.max_interval_days())
}

fn days(n: u32) -> TimeDelta {
    TimeDelta::days(i64::from(n))
}

/// The state after one review with `result` at `now`.
///
/// Remembered: one rung up (staying on the top rung), due `now + interval` — and never earlier
/// than it already was, so reviewing ahead of time cannot pull a card closer. Partial: same rung,
/// due `now + interval`. Forgot: first rung, due date unchanged.
pub fn complete(state: ScheduleState, result: ReviewResult, tier: Tier, now: DateTime<Utc>) -> ScheduleState {
    let top = tier.ladder().len() - 1;
    let index = state.interval_index.min(top);
    match result {
        ReviewResult::Remembered => {
            let index = (index + 1).min(top);
            let due = (now + days(interval_days(tier, index))).max(state.next_review_date);
            ScheduleState { interval_index: index, next_review_date: due, initial_review_completed: true }
        }
        ReviewResult::Partial => ScheduleState {
            interval_index: index,
            next_review_date: now + days(interval_days(tier, index)),
            initial_review_completed: true,
        },
        ReviewResult::Forgot => ScheduleState { interval_index: 0, initial_review_completed: true, ..state },
    }
}

/// Fits a schedule to a new tier: the index drops to the new ladder's top rung (and further
/// down while that rung exceeds the tier's maximum). When the rung changed and the card is due in
/// the future, it is re-dated from its base: the creation time if the card is younger than the
/// new interval, else now.
pub fn reclamp(state: ScheduleState, tier: Tier, created_at: DateTime<Utc>, now: DateTime<Utc>) -> ScheduleState {
    let ladder = tier.ladder();
    let mut index = state.interval_index.min(ladder.len() - 1);
    while index > 0 && ladder[index] > tier.max_interval_days() {
        index -= 1;
    }
    if index == state.interval_index || state.next_review_date <= now {
        return ScheduleState { interval_index: index, ..state };
    }
    let interval = days(ladder[index]);
    let base = if now - created_at < interval { created_at } else { now };
    ScheduleState { interval_index: index, next_review_date: base + interval, ..state }
}

/// The user's local calendar date at `now`.
pub fn local_date(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The first instant of a local date, in UTC (the earliest valid local time on days where
/// midnight falls into a daylight-saving gap).
pub fn start_of_local_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let mut time = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..4 {
        if let Some(start) = tz.from_local_datetime(&time).earliest() {
            return start.with_timezone(&Utc);
        }
        time += TimeDelta::minutes(30);
    }
    time.and_utc()
}

/// The due-date window of today's list in UTC: `[start, end)`.
///
/// A reviewed card is in today's list when its local due date is today or earlier, but not more
/// than `max_interval_days` days earlier. Never-reviewed cards are in the list regardless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TodayWindow {
    /// Local midnight `max_interval_days` days ago: older cards have fallen out of rotation.
    pub oldest_due: DateTime<Utc>,
    /// Local midnight starting today: cards due before it are overdue ("pending").
    pub today_start: DateTime<Utc>,
    /// Local midnight starting tomorrow.
    pub today_end: DateTime<Utc>,
}

impl TodayWindow {
    pub fn new(tz: Tz, now: DateTime<Utc>, max_interval_days: u32) -> Self {
        let today = local_date(tz, now);
        let oldest = today.checked_sub_days(Days::new(u64::from(max_interval_days))).unwrap_or(today);
        let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
        Self {
            oldest_due: start_of_local_day(tz, oldest),
            today_start: start_of_local_day(tz, today),
            today_end: start_of_local_day(tz, tomorrow),
        }
    }

    /// Whether a schedule belongs in today's list.
    pub fn contains(&self, state: &ScheduleState) -> bool {
        !state.initial_review_completed
            || (state.next_review_date >= self.oldest_due && state.next_review_date < self.today_end)
    }
}

/// Parses an IANA zone name, falling back to Asia/Seoul (the product's home) for unknown names.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Seoul)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
    }

    fn fresh(now: DateTime<Utc>) -> ScheduleState {
        ScheduleState { interval_index: 0, next_review_date: now, initial_review_completed: false }
    }

    #[test]
    fn the_first_success_schedules_three_days_then_seven_then_fourteen() {
        let mut now = at("2026-01-01T09:00:00Z");
        let mut state = fresh(now);
        for expected in [3, 7, 14, 30, 60, 90, 90] {
            state = complete(state, ReviewResult::Remembered, Tier::Basic, now);
            assert_eq!(state.next_review_date - now, days(expected));
            now = state.next_review_date;
        }
    }

    #[test]
    fn free_tier_tops_out_at_three_days_and_pro_at_180() {
        let now = at("2026-01-01T00:00:00Z");
        let mut free = fresh(now);
        let mut pro = fresh(now);
        for _ in 0..12 {
            free = complete(free, ReviewResult::Remembered, Tier::Free, now);
            pro = complete(pro, ReviewResult::Remembered, Tier::Pro, now);
        }
        assert_eq!(free.next_review_date - now, days(3));
        assert_eq!(pro.next_review_date - now, days(180));
    }

    #[test]
    fn partial_keeps_the_rung_and_forgot_resets_it_without_moving_the_date() {
        let now = at("2026-03-01T10:00:00Z");
        let state = ScheduleState { interval_index: 3, next_review_date: now, initial_review_completed: true };
        let partial = complete(state, ReviewResult::Partial, Tier::Basic, now);
        assert_eq!((partial.interval_index, partial.next_review_date - now), (3, days(14)));
        let forgot = complete(state, ReviewResult::Forgot, Tier::Basic, now + days(1));
        assert_eq!((forgot.interval_index, forgot.next_review_date), (0, now));
    }

    #[test]
    fn a_downgrade_reclamps_the_rung_and_redates_future_cards() {
        let created = at("2026-01-01T00:00:00Z");
        let now = at("2026-03-01T00:00:00Z");
        let state =
            ScheduleState { interval_index: 5, next_review_date: now + days(60), initial_review_completed: true };
        let clamped = reclamp(state, Tier::Free, created, now);
        assert_eq!(clamped.interval_index, 1);
        assert_eq!(clamped.next_review_date, now + days(3), "older than the interval: re-dated from now");

        let young =
            ScheduleState { interval_index: 6, next_review_date: now + days(90), initial_review_completed: true };
        let created_yesterday = now - days(1);
        assert_eq!(reclamp(young, Tier::Free, created_yesterday, now).next_review_date, created_yesterday + days(3));

        let overdue =
            ScheduleState { interval_index: 6, next_review_date: now - days(1), initial_review_completed: true };
        assert_eq!(reclamp(overdue, Tier::Free, created, now).next_review_date, now - days(1), "past due dates stay");
        let same = ScheduleState { interval_index: 1, next_review_date: now + days(3), initial_review_completed: true };
        assert_eq!(reclamp(same, Tier::Pro, created, now), same, "an upgrade keeps the rung");
    }

    #[test]
    fn today_starts_at_local_midnight_not_utc_midnight() {
        let seoul = chrono_tz::Asia::Seoul;
        // Due 00:30 in Seoul on 2 March = 15:30 UTC on 1 March.
        let due = at("2026-03-01T15:30:00Z");
        let card = ScheduleState { interval_index: 1, next_review_date: due, initial_review_completed: true };
        let at_0031 = TodayWindow::new(seoul, at("2026-03-01T15:31:00Z"), 90);
        assert!(at_0031.contains(&card));
        let evening_before = TodayWindow::new(seoul, at("2026-03-01T14:00:00Z"), 90);
        assert!(!evening_before.contains(&card));
    }

    #[test]
    fn cards_overdue_by_more_than_the_tier_maximum_leave_today() {
        let tz = chrono_tz::UTC;
        let now = at("2026-03-10T12:00:00Z");
        let card =
            |due: &str| ScheduleState { interval_index: 1, next_review_date: at(due), initial_review_completed: true };
        let window = TodayWindow::new(tz, now, 3);
        assert!(window.contains(&card("2026-03-07T00:00:00Z")));
        assert!(!window.contains(&card("2026-03-06T23:59:59Z")));
        assert!(!window.contains(&card("2026-03-11T00:00:00Z")));
        let never = ScheduleState {
            interval_index: 0,
            next_review_date: at("2025-01-01T00:00:00Z"),
            initial_review_completed: false,
        };
        assert!(window.contains(&never), "never-reviewed cards are always due");
    }

    #[test]
    fn scores_map_to_results() {
        assert_eq!(ReviewResult::from_score(80.0), ReviewResult::Remembered);
        assert_eq!(ReviewResult::from_score(79.9), ReviewResult::Partial);
        assert_eq!(ReviewResult::from_score(50.0), ReviewResult::Partial);
        assert_eq!(ReviewResult::from_score(49.9), ReviewResult::Forgot);
    }

    fn tiers() -> impl Strategy<Value = Tier> {
        prop_oneof![Just(Tier::Free), Just(Tier::Basic), Just(Tier::Pro)]
    }

    fn results() -> impl Strategy<Value = ReviewResult> {
        prop_oneof![Just(ReviewResult::Remembered), Just(ReviewResult::Partial), Just(ReviewResult::Forgot)]
    }

    proptest! {
        #[test]
        fn any_review_sequence_stays_on_the_ladder_and_under_the_maximum(
            tier in tiers(),
            steps in prop::collection::vec((results(), 0i64..400 * 86_400), 1..40),
            start_index in 0usize..12,
        ) {
            let mut now = at("2026-01-01T00:00:00Z");
            let mut state = ScheduleState { interval_index: start_index, next_review_date: now, initial_review_completed: false };
            for (result, wait) in steps {
                now += TimeDelta::seconds(wait);
                let before = state;
                state = complete(state, result, tier, now);
                prop_assert!(state.interval_index < tier.ladder().len());
                match result {
                    ReviewResult::Remembered => {
                        prop_assert!(state.next_review_date >= before.next_review_date, "never backwards");
                        prop_assert!(state.next_review_date > now);
                    }
                    ReviewResult::Partial => {
                        prop_assert!(state.next_review_date - now <= days(tier.max_interval_days()));
                    }
                    ReviewResult::Forgot => {
                        prop_assert_eq!(state.next_review_date, before.next_review_date);
                        prop_assert_eq!(state.interval_index, 0);
                    }
                }
                let interval = interval_days(tier, state.interval_index);
                prop_assert!(interval <= tier.max_interval_days());
            }
        }

        #[test]
        fn reclamping_keeps_the_index_on_the_new_ladder(
            from in tiers(), to in tiers(), index in 0usize..8, offset in -200i64..200,
        ) {
            let now = at("2026-06-01T00:00:00Z");
            let index = index.min(from.ladder().len() - 1);
            let state = ScheduleState { interval_index: index, next_review_date: now + TimeDelta::days(offset), initial_review_completed: true };
            let clamped = reclamp(state, to, now - TimeDelta::days(365), now);
            prop_assert!(clamped.interval_index < to.ladder().len());
            prop_assert!(to.ladder()[clamped.interval_index] <= to.max_interval_days());
            prop_assert_eq!(reclamp(clamped, to, now - TimeDelta::days(365), now), clamped, "idempotent");
        }
    }
}
