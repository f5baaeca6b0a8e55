//! The kinds of field a request body has, each reading a value the way the Django REST
//! Framework field of the same kind does (`to_internal_value`), with DRF's messages.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use chrono::{DateTime, Datelike as _, NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _, Timelike as _, Utc};
use chrono_tz::Asia::Seoul;
use serde_json::Value;

use super::messages;
use crate::error::Problems;

/// One kind of field. `parse` sees a value that is present and not null; a blank string
/// reaches it only for text kinds (`TEXT`) and for required fields.
pub trait Kind: Copy {
    type Out;
    /// Text kinds judge blank strings themselves; for the others `""` means "no value".
    const TEXT: bool = false;
    /// Lists take every value of a repeated form key; other kinds its last (as DRF's `QueryDict`).
    const LIST: bool = false;

    fn parse(&self, value: &Value, form: bool) -> Result<Self::Out, Problems>;

    /// Whether `""` is a value of this field (a blank text that is allowed).
    fn allows_blank(&self) -> bool {
        false
    }
}

fn one(message: String) -> Problems {
    Problems::Messages(vec![message])
}

fn problem<T>(message: String) -> Result<T, Problems> {
    Err(one(message))
}

/// Python's name for the type of a JSON value, as DRF's messages show it.
pub fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// An integer in a JSON number (`15`, `15.0`) or a string (`"15"`, `" 15 "`, `"15.0"`);
/// booleans and anything else are not integers.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            // Integral floats within i64's range only (the cast is exact there).
            #[allow(clippy::cast_possible_truncation)]
            (f.fract() == 0.0 && f.abs() < 9.0e18).then_some(f as i64)
        }),
        // DRF refuses strings over 1000 characters before reading them.
        Value::String(s) if s.len() > 1000 => None,
        Value::String(s) => {
            let s = s.trim();
            // DRF strips a trailing ".000" before int(); int() allows surrounding whitespace
            // and one leading sign.
            let digits =
                s.find('.').map_or(s, |dot| if s[dot + 1..].bytes().all(|b| b == b'0') { &s[..dot] } else { s });
            digits.parse().ok()
        }
        _ => None,
    }
}

/// `IntegerField(min_value, max_value)`, read into `T` (`i64` unless told; a value that does
/// not fit `T` is not a valid integer for it).
#[derive(Debug)]
pub struct Int<T = i64> {
    pub min: Option<i64>,
    pub max: Option<i64>,
    into: PhantomData<T>,
}

impl<T> Clone for Int<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Int<T> {}

impl<T> Int<T> {
    pub const fn any() -> Self {
        Self { min: None, max: None, into: PhantomData }
    }

    pub const fn range(min: i64, max: i64) -> Self {
        Self { min: Some(min), max: Some(max), into: PhantomData }
    }
}

impl<T: TryFrom<i64>> Kind for Int<T> {
    type Out = T;

    fn parse(&self, value: &Value, _form: bool) -> Result<T, Problems> {
        let Some(n) = integer(value) else { return problem(messages::invalid_integer()) };
        if let Some(max) = self.max.filter(|max| n > *max) {
            return problem(messages::max_value(max));
        }
        if let Some(min) = self.min.filter(|min| n < *min) {
            return problem(messages::min_value(min));
        }
        T::try_from(n).map_err(|_| one(messages::invalid_integer()))
    }
}

/// `PrimaryKeyRelatedField`: an id, read like an integer. Whether it names something the user
/// may use is the handler's question (`messages::pk_does_not_exist`).
#[derive(Debug, Clone, Copy)]
pub struct Pk;

impl Kind for Pk {
    type Out = i64;

    fn parse(&self, value: &Value, _form: bool) -> Result<i64, Problems> {
        match (value, integer(value)) {
            (Value::Number(_) | Value::String(_), Some(id)) => Ok(id),
            // A relation reads "" as null (DRF's `RelatedField.run_validation`).
            (Value::String(s), None) if s.trim().is_empty() => problem(messages::null()),
            _ => problem(messages::incorrect_pk_type(python_type(value))),
        }
    }
}

/// `ListField(child=PrimaryKeyRelatedField())`: a list of ids, bad items reported by their
/// index (`{"content_ids": {"1": ["..."]}}`). A form sends a list as repeated keys.
#[derive(Debug, Clone, Copy)]
pub struct PkList;

impl Kind for PkList {
    type Out = Vec<i64>;
    const LIST: bool = true;

    fn parse(&self, value: &Value, form: bool) -> Result<Vec<i64>, Problems> {
        let items = match value {
            Value::Array(items) => items.as_slice(),
            Value::String(_) if form => std::slice::from_ref(value),
            other => return problem(messages::not_a_list(python_type(other))),
        };
        let mut ids = Vec::with_capacity(items.len());
        let mut bad = BTreeMap::new();
        for (index, item) in items.iter().enumerate() {
            match Pk.parse(item, form) {
                Ok(id) => ids.push(id),
                Err(problems) => {
                    bad.insert(index, problems.first().into_iter().cloned().collect());
                }
            }
        }
        if bad.is_empty() { Ok(ids) } else { Err(Problems::Items(bad)) }
    }
}

/// `BooleanField`: DRF's true and false spellings.
#[derive(Debug, Clone, Copy)]
pub struct Bool;

/// DRF 3.16 compares lower-cased strings (not trimmed) with these.
const TRUE_WORDS: [&str; 6] = ["t", "y", "yes", "true", "on", "1"];
const FALSE_WORDS: [&str; 6] = ["f", "n", "no", "false", "off", "0"];

impl Kind for Bool {
    type Out = bool;

    fn parse(&self, value: &Value, _form: bool) -> Result<bool, Problems> {
        match value {
            Value::Bool(b) => Ok(*b),
            Value::Number(n) if n.as_f64() == Some(1.0) => Ok(true),
            Value::Number(n) if n.as_f64() == Some(0.0) => Ok(false),
            Value::String(s) if TRUE_WORDS.contains(&s.to_lowercase().as_str()) => Ok(true),
            Value::String(s) if FALSE_WORDS.contains(&s.to_lowercase().as_str()) => Ok(false),
            _ => problem(messages::invalid_boolean()),
        }
    }
}

/// `CharField`: strings, and numbers as their text; trimmed unless `trim` is off (only for
/// passwords, which the handler trims itself: whitespace alone is still blank); blank only when
/// `allow_blank`; at most `max_chars` characters.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub max_chars: Option<usize>,
    pub trim: bool,
    pub allow_blank: bool,
}

impl Text {
    /// A trimmed text that may not be blank.
    pub const fn new() -> Self {
        Self { max_chars: None, trim: true, allow_blank: false }
    }

    pub const fn max(self, max_chars: usize) -> Self {
        Self { max_chars: Some(max_chars), ..self }
    }

    pub const fn blank_allowed(self) -> Self {
        Self { allow_blank: true, ..self }
    }

    pub const fn untrimmed(self) -> Self {
        Self { trim: false, ..self }
    }
}

impl Default for Text {
    fn default() -> Self {
        Self::new()
    }
}

impl Kind for Text {
    type Out = String;
    const TEXT: bool = true;

    fn allows_blank(&self) -> bool {
        self.allow_blank
    }

    fn parse(&self, value: &Value, _form: bool) -> Result<String, Problems> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return problem(messages::not_a_string()),
        };
        let text = if self.trim { text.trim().to_owned() } else { text };
        if text.trim().is_empty() {
            if self.allow_blank {
                return Ok(String::new());
            }
            return problem(messages::blank());
        }
        let chars = text.chars().count();
        if let Some(max) = self.max_chars.filter(|max| chars > *max) {
            return problem(messages::max_length(max));
        }
        Ok(text)
    }
}

/// `EmailField`: a trimmed address, its domain lower-cased.
#[derive(Debug, Clone, Copy)]
pub struct Email;

impl Kind for Email {
    type Out = String;
    const TEXT: bool = true;

    fn parse(&self, value: &Value, form: bool) -> Result<String, Problems> {
        let text = Text::new().max(254).parse(value, form)?;
        crate::validation::email(&text).map_err(|_| one(messages::invalid_email()))
    }
}

/// `ChoiceField`: one of `choices`, also when sent as a number's text (`"1"` for `1`).
#[derive(Debug, Clone, Copy)]
pub struct Choice(pub &'static [&'static str]);

impl Kind for Choice {
    type Out = &'static str;

    fn parse(&self, value: &Value, _form: bool) -> Result<&'static str, Problems> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
            other => other.to_string(),
        };
        self.0.iter().find(|choice| **choice == text).copied().ok_or_else(|| one(messages::invalid_choice(&text)))
    }
}

/// `TimeField`: `HH:MM`, `HH:MM:SS` or `HH:MM:SS.ffffff`.
#[derive(Debug, Clone, Copy)]
pub struct Time;

impl Kind for Time {
    type Out = NaiveTime;

    fn parse(&self, value: &Value, _form: bool) -> Result<NaiveTime, Problems> {
        let Value::String(s) = value else { return problem(messages::invalid_time()) };
        let s = s.trim();
        ["%H:%M:%S%.f", "%H:%M"]
            .iter()
            .find_map(|format| NaiveTime::parse_from_str(s, format).ok())
            .filter(|time| !is_leap_second(time))
            .ok_or_else(|| one(messages::invalid_time()))
    }
}

/// chrono reads `:60` as a leap second, which Python (and PostgreSQL's `time`) refuse.
fn is_leap_second(time: &NaiveTime) -> bool {
    time.nanosecond() >= 1_000_000_000
}

/// `DateTimeField`: ISO 8601 with an offset, or without one (then Seoul time, the original's
/// `TIME_ZONE`); a bare date is its midnight.
#[derive(Debug, Clone, Copy)]
pub struct Timestamp;

impl Kind for Timestamp {
    type Out = DateTime<Utc>;

    fn parse(&self, value: &Value, _form: bool) -> Result<DateTime<Utc>, Problems> {
        let Value::String(s) = value else { return problem(messages::invalid_datetime()) };
        let s = s.trim();
        let aware = DateTime::parse_from_rfc3339(s).or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z"));
        let at = match aware {
            Ok(at) => Some(at.with_timezone(&Utc)),
            Err(_) => ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(s, format).ok())
                .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
                .and_then(|at| Seoul.from_local_datetime(&at).earliest())
                .map(|at| at.with_timezone(&Utc)),
        };
        // Python's datetime holds years 1 to 9999 and no leap seconds; chrono reads more.
        at.filter(|at| (1..=9999).contains(&at.year()) && !is_leap_second(&at.time()))
            .ok_or_else(|| one(messages::invalid_datetime()))
    }
}

/// `weekly_goal` must be 1–100 everywhere.
pub const WEEKLY_GOAL: Int<i32> = Int::range(1, 100);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ok<K: Kind>(kind: &K, value: &Value) -> K::Out {
        kind.parse(value, false).unwrap_or_else(|e| panic!("{value} refused: {e:?}"))
    }

    fn refused<K: Kind>(kind: &K, value: &Value) -> String {
        match kind.parse(value, false) {
            Ok(_) => panic!("{value} accepted"),
            Err(problems) => problems.first().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn integers_read_like_drf() {
        for (value, expected) in [
            (json!(15), 15),
            (json!(15.0), 15),
            (json!("15"), 15),
            (json!(" 15 "), 15),
            (json!("15.0"), 15),
            (json!("-3"), -3),
        ] {
            assert_eq!(ok(&Int::<i64>::any(), &value), expected);
        }
        for bad in [json!(true), json!(1.5), json!("1.5"), json!("abc"), json!([1]), json!({}), json!("")] {
            refused(&Int::<i64>::any(), &bad);
        }
        assert!(refused(&Int::<i32>::range(1, 100), &json!(101)).contains("100"));
        assert!(refused(&Int::<i32>::range(1, 100), &json!("0")).contains('1'));
    }

    #[test]
    fn pks_name_the_type_they_got() {
        assert_eq!(ok(&Pk, &json!("15")), 15);
        assert_eq!(ok(&Pk, &json!(15.0)), 15);
        assert!(refused(&Pk, &json!([15])).contains("list"), "lists");
        assert!(refused(&Pk, &json!(true)).contains("bool"), "booleans");
        assert!(refused(&Pk, &json!("abc")).contains("str"), "words");
    }

    #[test]
    fn pk_lists_report_bad_items_by_index() {
        assert_eq!(ok(&PkList, &json!([1, "2", " 3 "])), vec![1, 2, 3]);
        let Err(Problems::Items(items)) = PkList.parse(&json!([1, "x", true]), false) else { panic!("items") };
        assert_eq!(items.keys().copied().collect::<Vec<_>>(), vec![1, 2]);
        assert!(refused(&PkList, &json!("1")).contains("str"));
        assert_eq!(PkList.parse(&json!("7"), true).ok(), Some(vec![7]), "a form's single value");
    }

    #[test]
    fn booleans_take_drf_spellings() {
        for yes in [json!(true), json!(1), json!("1"), json!("true"), json!("TRUE"), json!("on"), json!("yes")] {
            assert!(ok(&Bool, &yes));
        }
        for no in [json!(false), json!(0), json!("0"), json!("false"), json!("False"), json!("off"), json!("no")] {
            assert!(!ok(&Bool, &no));
        }
        for bad in [json!("maybe"), json!(2), json!([]), json!(""), json!(" true")] {
            refused(&Bool, &bad);
        }
    }

    #[test]
    fn text_is_trimmed_and_checked() {
        assert_eq!(ok(&Text::new(), &json!("  hi ")), "hi");
        assert_eq!(ok(&Text::new(), &json!(12)), "12");
        assert_eq!(ok(&Text::new().untrimmed(), &json!(" hi ")), " hi ");
        assert_eq!(ok(&Text::new().blank_allowed(), &json!("   ")), "");
        assert!(refused(&Text::new(), &json!("   ")).contains("blank"));
        assert!(refused(&Text::new().max(3), &json!("abcd")).contains('3'));
        refused(&Text::new(), &json!(["a"]));
        refused(&Text::new(), &json!(true));
    }

    #[test]
    fn choices_match_exactly_or_as_number_text() {
        const MODES: &[&str] = &["objective", "1"];
        assert_eq!(ok(&Choice(MODES), &json!("objective")), "objective");
        assert_eq!(ok(&Choice(MODES), &json!(1)), "1");
        assert!(refused(&Choice(MODES), &json!("Objective")).contains("\"Objective\""));
    }

    #[test]
    fn times_and_datetimes_take_drf_formats() {
        assert_eq!(ok(&Time, &json!("09:30")), NaiveTime::from_hms_opt(9, 30, 0).expect("time"));
        assert_eq!(ok(&Time, &json!("09:30:15")), NaiveTime::from_hms_opt(9, 30, 15).expect("time"));
        refused(&Time, &json!("9h30"));
        let utc = ok(&Timestamp, &json!("2026-03-01T09:00:00Z"));
        assert_eq!(utc.to_rfc3339(), "2026-03-01T09:00:00+00:00");
        assert_eq!(ok(&Timestamp, &json!("2026-03-01T18:00:00")), utc, "naive reads as Seoul time");
        assert_eq!(ok(&Timestamp, &json!("2026-03-01T18:00:00+09:00")), utc);
        for bad in ["yesterday", "-5000-01-01T00:00:00Z", "+262143-12-30T00:00:00Z", "2026-03-01T23:59:60Z"] {
            refused(&Timestamp, &json!(bad));
        }
        refused(&Time, &json!("23:59:60.5"));
    }
}
