//! How every request body is read: the one place that decides what a field accepts.
//!
//! The original Resee API is a Django REST Framework service, and its clients (the original web
//! app, scripts, mobile wrappers) rely on DRF's input rules: ids sent as strings (`"15"` from an
//! HTML `<select>`), `""` for "no category", `"true"`/`"on"` for booleans, form bodies, and every
//! field error of a body reported at once. So a body is decoded (JSON, urlencoded or multipart,
//! see `extract::Input`) into a map of named values, and each request type reads its fields
//! from it with a [`Kind`] (`Int`, `Pk`, `Text`, ...) that coerces and checks like the DRF field of
//! the same kind, in DRF's words. Reading never stops at the first problem: every field is read,
//! every problem collected, and the body refused with all of them.
//!
//! What needs the database (does this id exist, is this name taken) is checked by the handler
//! afterwards, as DRF's object-level `validate()` runs after its field-level checks.

pub mod kinds;
pub mod messages;

use serde_json::{Map, Value};

pub use self::kinds::{Bool, Choice, Email, Int, Kind, Pk, PkList, Text, Time, Timestamp, WEEKLY_GOAL};
use crate::error::{ApiError, FieldErrors, Problems, add_message};

/// A request type read from a body's fields.
pub trait FromFields: Sized {
    /// Whether the endpoint sets the session cookie: a form posted to it from another site is
    /// refused (login CSRF).
    const SETS_SESSION: bool = false;

    /// Reads every field (recording problems in `fields`) and builds the value, or `None` when
    /// a required field had no usable value.
    fn from_fields(fields: &mut Fields) -> Option<Self>;

    /// The answer for a body with problems: field errors (`{"<field>": ["..."]}`) unless the
    /// endpoint documents another shape.
    fn reject(errors: FieldErrors) -> ApiError {
        ApiError::Fields(errors)
    }
}

/// Where the values came from: forms and query strings carry strings only, and a repeated key is
/// a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Json,
    /// A form body or a query string.
    Form,
}

/// A body's values by field name, read one field at a time.
#[derive(Debug)]
pub struct Fields {
    values: Map<String, Value>,
    source: Source,
    partial: bool,
    errors: FieldErrors,
}

/// What a body holds for one field.
enum Raw<'a> {
    Absent,
    Null,
    /// `""` (or only spaces) for a kind that is not text.
    Blank(&'a Value),
    Given(&'a Value),
}

impl Fields {
    /// `partial`: a PATCH, where `required_unless_patch` fields may be left out.
    pub fn new(values: Map<String, Value>, source: Source, partial: bool) -> Self {
        Self { values, source, partial, errors: FieldErrors::new() }
    }

    /// Records a problem with `name` (for checks that span fields).
    pub fn add(&mut self, name: &str, message: String) {
        add_message(&mut self.errors, name, message);
    }

    /// Reads a `T` and answers with it, or with every problem found.
    pub fn read<T: FromFields>(mut self) -> Result<T, ApiError> {
        let value = T::from_fields(&mut self);
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            None if self.errors.is_empty() => {
                Err(anyhow::anyhow!("{} read no value and found no problem", std::any::type_name::<T>()).into())
            }
            _ => Err(T::reject(self.errors)),
        }
    }

    fn raw<'a, K: Kind>(values: &'a Map<String, Value>, source: Source, name: &str) -> Raw<'a> {
        let value = match values.get(name) {
            // A form's repeated key for a field that is not a list: its last value, as DRF reads it.
            Some(Value::Array(items)) if source != Source::Json && !K::LIST => items.last(),
            value => value,
        };
        match value {
            None => Raw::Absent,
            Some(Value::Null) => Raw::Null,
            Some(value @ Value::String(s)) if !K::TEXT && s.trim().is_empty() => Raw::Blank(value),
            Some(value) => Raw::Given(value),
        }
    }

    /// A field that must be given: missing → "This field is required.", null → "This field
    /// may not be null.".
    pub fn required<K: Kind>(&mut self, name: &str, kind: K) -> Option<K::Out> {
        match Self::raw::<K>(&self.values, self.source, name) {
            Raw::Absent => {
                add_message(&mut self.errors, name, messages::required());
                None
            }
            Raw::Null => {
                add_message(&mut self.errors, name, messages::null());
                None
            }
            Raw::Blank(value) | Raw::Given(value) => parse(&mut self.errors, self.source, name, &kind, value),
        }
    }

    /// A field a creation or a PUT must give and a PATCH (DRF's partial update) may leave out;
    /// null is refused in both.
    pub fn required_unless_patch<K: Kind>(&mut self, name: &str, kind: K) -> Option<K::Out> {
        if self.partial && !self.values.contains_key(name) { None } else { self.required(name, kind) }
    }

    /// A field that may be left out; null (and `""` for a kind that is not text) also count
    /// as left out, and so does a blank form or query value where blank is not a value.
    pub fn optional<K: Kind>(&mut self, name: &str, kind: K) -> Option<K::Out> {
        match Self::raw::<K>(&self.values, self.source, name) {
            Raw::Absent | Raw::Null | Raw::Blank(_) => None,
            Raw::Given(Value::String(s))
                if self.source != Source::Json && s.trim().is_empty() && !kind.allows_blank() =>
            {
                None
            }
            Raw::Given(value) => parse(&mut self.errors, self.source, name, &kind, value),
        }
    }

    /// A field that may be left out (`None`) or cleared with null or `""` (`Some(None)`).
    pub fn nullable<K: Kind>(&mut self, name: &str, kind: K) -> Option<Option<K::Out>> {
        match Self::raw::<K>(&self.values, self.source, name) {
            Raw::Absent => None,
            Raw::Null | Raw::Blank(_) => Some(None),
            Raw::Given(Value::String(s)) if s.trim().is_empty() => Some(None),
            Raw::Given(value) => parse(&mut self.errors, self.source, name, &kind, value).map(Some),
        }
    }
}

/// Records `problems` under `name`, after any recorded before.
fn add_all(errors: &mut FieldErrors, name: &str, problems: Problems) {
    match (errors.get_mut(name), problems) {
        (Some(Problems::Messages(before)), Problems::Messages(more)) => before.extend(more),
        (_, problems) => {
            errors.insert(name.to_owned(), problems);
        }
    }
}

/// Parses a given value, recording its problems under `name`.
fn parse<K: Kind>(errors: &mut FieldErrors, source: Source, name: &str, kind: &K, value: &Value) -> Option<K::Out> {
    let parsed = if has_nul(value) {
        Err(Problems::Messages(vec![messages::null_characters()]))
    } else {
        kind.parse(value, source != Source::Json)
    };
    parsed.map_err(|problems| add_all(errors, name, problems)).ok()
}

/// Whether a value holds a NUL character anywhere (PostgreSQL cannot store one in text).
fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug)]
    struct Note {
        title: Option<String>,
        category: Option<Option<i64>>,
        weekly_goal: Option<i64>,
        public: Option<bool>,
    }

    impl FromFields for Note {
        fn from_fields(f: &mut Fields) -> Option<Self> {
            let title = f.required_unless_patch("title", Text::new().max(30));
            let category = f.nullable("category", Pk);
            let weekly_goal = f.optional("weekly_goal", Int::<i64>::range(1, 100));
            let public = f.optional("public", Bool);
            Some(Self { title, category, weekly_goal, public })
        }
    }

    fn read(body: Value, source: Source, partial: bool) -> Result<Note, FieldErrors> {
        let Value::Object(map) = body else { panic!("an object") };
        Fields::new(map, source, partial).read::<Note>().map_err(|e| match e {
            ApiError::Fields(f) => f,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = read(json!({"category": [1], "weekly_goal": "many", "public": "perhaps"}), Source::Json, false)
            .expect_err("bad");
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["category", "public", "title", "weekly_goal"]);
    }

    #[test]
    fn strings_from_selects_and_blank_relations_are_accepted() {
        let note = read(
            json!({"title": " Verbs ", "category": "15", "weekly_goal": " 7 ", "public": "on"}),
            Source::Json,
            false,
        )
        .expect("reads");
        assert_eq!(note.public, Some(true));
        assert_eq!((note.title.as_deref(), note.category, note.weekly_goal), (Some("Verbs"), Some(Some(15)), Some(7)));
        let note =
            read(json!({"title": "Verbs", "category": "", "weekly_goal": ""}), Source::Json, false).expect("reads");
        assert_eq!((note.category, note.weekly_goal), (Some(None), None));
        let note = read(json!({"title": "Verbs", "category": null}), Source::Json, false).expect("reads");
        assert_eq!(note.category, Some(None));
    }

    #[test]
    fn required_fields_say_so_except_in_a_patch() {
        let errors = read(json!({"title": null}), Source::Json, false).expect_err("null");
        assert_eq!(errors["title"].first(), Some(&messages::null()));
        let errors = read(json!({}), Source::Json, false).expect_err("missing");
        assert_eq!(errors["title"].first(), Some(&messages::required()));
        assert_eq!(read(json!({}), Source::Json, true).expect("a patch").title, None);
    }

    #[test]
    fn nul_characters_are_refused_by_field() {
        let errors = read(json!({"title": "a\u{0}b"}), Source::Json, false).expect_err("nul");
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["title"]);
    }

    #[test]
    fn forms_take_the_last_of_a_repeated_key_and_blank_optional_values_as_left_out() {
        let note = read(json!({"title": ["Old", "Verbs"], "weekly_goal": ""}), Source::Form, false).expect("reads");
        assert_eq!((note.title.as_deref(), note.weekly_goal), (Some("Verbs"), None));
        let errors = read(json!({"title": ["Old", "Verbs"]}), Source::Json, false).expect_err("a list");
        assert!(errors.contains_key("title"));
    }

    #[test]
    fn a_patch_may_leave_required_fields_out_but_not_null_them() {
        assert_eq!(read(json!({}), Source::Json, true).expect("left out").title, None);
        let errors = read(json!({"title": null}), Source::Json, true).expect_err("null");
        assert_eq!(errors["title"].first(), Some(&messages::null()));
    }
}
