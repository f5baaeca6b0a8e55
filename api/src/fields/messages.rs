//! Django REST Framework's field messages (DRF 3.16), in its English words and its Korean
//! translation (`rest_framework/locale/ko_KR`, quirks included), so a client written for the
//! original API shows the same text. Where DRF's Korean catalog has no entry, DRF answers in
//! English under Korean too, and so does this module. Placeholders are filled as DRF fills them.
//! The words live in the message catalogues (`crate::messages`); these name them.

use crate::messages::Msg;

pub fn required() -> String {
    Msg::FieldRequired.text()
}

pub fn null() -> String {
    Msg::FieldNull.text()
}

pub fn blank() -> String {
    Msg::FieldBlank.text()
}

pub fn null_characters() -> String {
    Msg::NullCharacters.text()
}

pub fn not_a_string() -> String {
    Msg::NotAString.text()
}

pub fn max_length(max: usize) -> String {
    Msg::MaxLength(max).text()
}

pub fn invalid_integer() -> String {
    Msg::InvalidInteger.text()
}

pub fn max_value(max: i64) -> String {
    Msg::MaxValue(max).text()
}

pub fn min_value(min: i64) -> String {
    Msg::MinValue(min).text()
}

pub fn invalid_boolean() -> String {
    Msg::NotABoolean.text()
}

pub fn invalid_choice(input: &str) -> String {
    Msg::InvalidChoice(input.to_owned()).text()
}

pub fn invalid_email() -> String {
    Msg::InvalidEmail.text()
}

pub fn incorrect_pk_type(received: &str) -> String {
    Msg::IncorrectPkType(received.to_owned()).text()
}

/// A primary key that names nothing the user may use (missing or someone else's).
pub fn pk_does_not_exist(pk: i64) -> String {
    Msg::PkDoesNotExist(pk).text()
}

pub fn not_a_list(received: &str) -> String {
    Msg::NotAList(received.to_owned()).text()
}

pub fn invalid_time() -> String {
    Msg::InvalidTime.text()
}

pub fn invalid_datetime() -> String {
    Msg::InvalidDatetime.text()
}

pub fn invalid_page() -> String {
    Msg::InvalidPage.text()
}

pub fn unsupported_media_type(media_type: &str) -> String {
    Msg::UnsupportedMediaType(media_type.to_owned()).text()
}

/// The body is JSON but not an object.
pub fn not_a_dictionary(received: &str) -> String {
    Msg::NotADictionary(received.to_owned()).text()
}
