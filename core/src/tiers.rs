//! Subscription tiers: review ladders, limits and prices (docs/RULES.md → Tiers).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::i18n::Language;

/// Sent instead of a limit when there is none (clients read the number 999999 as "unlimited").
pub const UNLIMITED: i64 = 999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Free,
    Basic,
    Pro,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BillingCycle {
    Monthly,
    Yearly,
}

impl Tier {
    pub const ALL: [Self; 3] = [Self::Free, Self::Basic, Self::Pro];

    pub fn code(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Basic => "basic",
            Self::Pro => "pro",
        }
    }

    /// 0, 1, 2: the order of the plans.
    pub fn level(self) -> u8 {
        self as u8
    }

    /// The review intervals in days, one per rung.
    pub fn ladder(self) -> &'static [u32] {
        match self {
            Self::Free => &[1, 3],
            Self::Basic => &[1, 3, 7, 14, 30, 60, 90],
            Self::Pro => &[1, 3, 7, 14, 30, 60, 120, 180],
        }
    }

    pub fn max_interval_days(self) -> u32 {
        match self {
            Self::Free => 3,
            Self::Basic => 90,
            Self::Pro => 180,
        }
    }

    /// How many contents the plan allows; `None` = unlimited.
    pub fn content_limit(self) -> Option<u32> {
        match self {
            Self::Free => Some(20),
            Self::Basic | Self::Pro => None,
        }
    }

    /// How many categories the plan allows; `None` = unlimited.
    pub fn category_limit(self) -> Option<u32> {
        match self {
            Self::Free => Some(1),
            Self::Basic => Some(3),
            Self::Pro => None,
        }
    }

    pub fn exams_per_week(self) -> u32 {
        1
    }

    /// Monthly price in KRW.
    pub fn monthly_price(self) -> u32 {
        match self {
            Self::Free => 0,
            Self::Basic => 10_000,
            Self::Pro => 25_000,
        }
    }

    /// Price of one billing period in KRW: a year costs twelve months less 20 %.
    pub fn price(self, cycle: BillingCycle) -> u32 {
        match cycle {
            BillingCycle::Monthly => self.monthly_price(),
            BillingCycle::Yearly => self.monthly_price() * 12 * 4 / 5,
        }
    }

    /// The plan's label as the original API gave it (`tier_display`), in every language: its
    /// clients show it as it comes.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Free => "Free (3일)",
            Self::Basic => "Basic (90일)",
            Self::Pro => "Pro (180일)",
        }
    }

    /// What the plan offers, in words for the plan picker.
    pub fn features(self, lang: Language) -> Vec<String> {
        let limit = |n: Option<u32>| n.map_or_else(|| unlimited(lang).to_owned(), |n| n.to_string());
        let (interval, contents, categories) = match lang {
            Language::Ko => ("최대 복습 간격", "콘텐츠", "카테고리"),
            Language::En => ("Longest review interval", "Contents", "Categories"),
        };
        let days = match lang {
            Language::Ko => format!("{}일", self.max_interval_days()),
            Language::En => format!("{} days", self.max_interval_days()),
        };
        vec![
            format!("{interval}: {days}"),
            format!("{contents}: {}", limit(self.content_limit())),
            format!("{categories}: {}", limit(self.category_limit())),
        ]
    }
}

/// The tier that applies at `now`: free once a subscription is inactive or past its end date.
pub fn effective_tier(
    tier: Tier,
    is_active: bool,
    end_date: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> Tier {
    if is_active && end_date.is_none_or(|end| end >= now) { tier } else { Tier::Free }
}

fn unlimited(lang: Language) -> &'static str {
    match lang {
        Language::Ko => "무제한",
        Language::En => "unlimited",
    }
}

impl FromStr for Tier {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "free" => Ok(Self::Free),
            "basic" => Ok(Self::Basic),
            "pro" => Ok(Self::Pro),
            _ => Err("expected free, basic or pro".into()),
        }
    }
}

impl BillingCycle {
    pub fn code(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::Yearly => "yearly",
        }
    }
}

impl FromStr for BillingCycle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "monthly" => Ok(Self::Monthly),
            "yearly" => Ok(Self::Yearly),
            _ => Err("expected monthly or yearly".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ladder_ends_at_the_tier_maximum() {
        for tier in Tier::ALL {
            assert_eq!(tier.ladder().last().copied(), Some(tier.max_interval_days()), "{tier:?}");
            assert!(tier.ladder().windows(2).all(|w| w[0] < w[1]), "{tier:?} ladder must rise");
        }
    }

    #[test]
    fn yearly_price_is_twelve_months_less_twenty_percent() {
        assert_eq!(Tier::Basic.price(BillingCycle::Yearly), 96_000);
        assert_eq!(Tier::Pro.price(BillingCycle::Yearly), 240_000);
        assert_eq!(Tier::Free.price(BillingCycle::Yearly), 0);
    }

    #[test]
    fn inactive_or_expired_subscriptions_count_as_free() {
        let now = chrono::Utc::now();
        assert_eq!(effective_tier(Tier::Pro, true, None, now), Tier::Pro);
        assert_eq!(effective_tier(Tier::Pro, false, None, now), Tier::Free);
        assert_eq!(effective_tier(Tier::Pro, true, Some(now - chrono::TimeDelta::days(1)), now), Tier::Free);
        assert_eq!(effective_tier(Tier::Basic, true, Some(now + chrono::TimeDelta::days(1)), now), Tier::Basic);
    }

    #[test]
    fn tiers_round_trip_through_their_codes() {
        for tier in Tier::ALL {
            assert_eq!(tier.code().parse::<Tier>(), Ok(tier));
        }
        assert!("gold".parse::<Tier>().is_err());
    }
}
crate::db::text_column!(Tier, BillingCycle);
