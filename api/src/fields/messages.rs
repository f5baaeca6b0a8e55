//! Django REST Framework's field messages (DRF 3.16), in its English words and its Korean
//! translation (`rest_framework/locale/ko_KR`, quirks included), so a client written for the
//! original API shows the same text. Where DRF's Korean catalog has no entry, DRF answers in
//! English under Korean too, and so does this module. Placeholders are filled as DRF fills them.

use crate::i18n::t;

pub fn required() -> String {
    t("이 필드는 필수 항목입니다.", "This field is required.")
}

pub fn null() -> String {
    t("이 필드는 null일 수 없습니다.", "This field may not be null.")
}

pub fn blank() -> String {
    t("이 필드는 blank일 수 없습니다.", "This field may not be blank.")
}

pub fn null_characters() -> String {
    t("널 문자는 허용되지 않습니다.", "Null characters are not allowed.")
}

pub fn not_a_string() -> String {
    "Not a valid string.".to_owned()
}

pub fn max_length(max: usize) -> String {
    t(
        &format!("이 필드의 글자 수가 {max} 이하인지 확인하십시오."),
        &format!("Ensure this field has no more than {max} characters."),
    )
}

pub fn invalid_integer() -> String {
    t("유효한 정수(integer)를 넣어주세요.", "A valid integer is required.")
}

pub fn max_value(max: i64) -> String {
    t(
        &format!("이 값이 {max}보다 작거나 같은지 확인하십시오."),
        &format!("Ensure this value is less than or equal to {max}."),
    )
}

pub fn min_value(min: i64) -> String {
    t(
        &format!("이 값이 {min}보다 크거나 같은지 확인하십시오."),
        &format!("Ensure this value is greater than or equal to {min}."),
    )
}

pub fn invalid_boolean() -> String {
    "Must be a valid boolean.".to_owned()
}

pub fn invalid_choice(input: &str) -> String {
    t(&format!("\"{input}\"이 유효하지 않은 선택(choice)입니다."), &format!("\"{input}\" is not a valid choice."))
}

pub fn invalid_email() -> String {
    t("유효한 이메일 주소를 입력하십시오.", "Enter a valid email address.")
}

pub fn incorrect_pk_type(received: &str) -> String {
    t(
        &format!("잘못된 형식입니다. pk 값 대신 {received}를 받았습니다."),
        &format!("Incorrect type. Expected pk value, received {received}."),
    )
}

/// A primary key that names nothing the user may use (missing or someone else's).
pub fn pk_does_not_exist(pk: i64) -> String {
    t(
        &format!("유효하지 않은 pk \"{pk}\" - 객체가 존재하지 않습니다."),
        &format!("Invalid pk \"{pk}\" - object does not exist."),
    )
}

pub fn not_a_list(received: &str) -> String {
    t(
        &format!("아이템 리스트가 예상되었으나 \"{received}\"를 받았습니다."),
        &format!("Expected a list of items but got type \"{received}\"."),
    )
}

pub fn invalid_time() -> String {
    let format = "hh:mm[:ss[.uuuuuu]]";
    t(
        &format!("Time의 포멧이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: {format}."),
        &format!("Time has wrong format. Use one of these formats instead: {format}."),
    )
}

pub fn invalid_datetime() -> String {
    let format = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]";
    t(
        &format!("Datetime의 포멧이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: {format}."),
        &format!("Datetime has wrong format. Use one of these formats instead: {format}."),
    )
}

pub fn invalid_page() -> String {
    t("페이지가 유효하지 않습니다.", "Invalid page.")
}

pub fn unsupported_media_type(media_type: &str) -> String {
    t(
        &format!("요청된 \"{media_type}\"가 지원되지 않는 미디어 형태입니다."),
        &format!("Unsupported media type \"{media_type}\" in request."),
    )
}

/// The body is JSON but not an object.
pub fn not_a_dictionary(received: &str) -> String {
    t(
        &format!("유효하지 않은 데이터. 딕셔너리(dictionary)대신 {received}를 받았습니다."),
        &format!("Invalid data. Expected a dictionary, but got {received}."),
    )
}
