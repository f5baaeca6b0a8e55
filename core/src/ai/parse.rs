//! Defensive reading of a model's reply: the JSON object it was asked for may come bare, in a
//! Markdown fence, or after a sentence of preamble.

use serde_json::{Map, Value};

/// The first JSON object in `text`: the whole text, else a fenced block, else the first
/// balanced `{...}`.
pub fn json_object(text: &str) -> Option<Map<String, Value>> {
    let trimmed = text.trim();
    if let Ok(Value::Object(map)) = serde_json::from_str(trimmed) {
        return Some(map);
    }
    if let Some(fenced) = fenced_block(trimmed)
        && let Ok(Value::Object(map)) = serde_json::from_str(fenced.trim())
    {
        return Some(map);
    }
    let mut from = 0;
    while let Some(offset) = trimmed[from..].find('{') {
        let start = from + offset;
        if let Some(end) = balanced_end(&trimmed[start..])
            && let Ok(Value::Object(map)) = serde_json::from_str(&trimmed[start..start + end])
        {
            return Some(map);
        }
        from = start + 1;
    }
    None
}

/// The inside of the first ``` fence (an info string such as `json` is skipped).
fn fenced_block(text: &str) -> Option<&str> {
    let open = text.find("```")?;
    let rest = &text[open + 3..];
    let body_start = rest.find('\n')? + 1;
    let body = &rest[body_start..];
    let close = body.find("```")?;
    Some(&body[..close])
}

/// The length of the object starting at `text[0] == '{'`, strings and escapes respected.
fn balanced_end(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// A 0–100 score given as a number or a numeric string.
pub fn score(value: Option<&Value>) -> Result<f64, String> {
    let n = match value {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or("a score is missing or not a number")?;
    if (0.0..=100.0).contains(&n) { Ok(n) } else { Err(format!("score {n} is outside 0–100")) }
}

/// A non-empty string field.
pub fn text(map: &Map<String, Value>, key: &str) -> Result<String, String> {
    map.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| format!("`{key}` is missing or empty"))
}

/// A list of strings (non-strings refused).
pub fn strings(value: Option<&Value>) -> Result<Vec<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_owned()).ok_or_else(|| "a list holds a non-string".to_owned()))
            .collect(),
        Some(_) => Err("expected a list of strings".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_object_bare_fenced_or_after_prose() {
        assert_eq!(json_object(r#"{"a": 1}"#).and_then(|m| m["a"].as_i64()), Some(1));
        let fenced = "Here you go:\n```json\n{\"a\": 2}\n```\nAnything else?";
        assert_eq!(json_object(fenced).and_then(|m| m["a"].as_i64()), Some(2));
        let prose = r#"Sure! {"a": "brace } in a string", "b": {"c": 3}} trailing {"#;
        let map = json_object(prose).expect("object");
        assert_eq!(map["b"]["c"], 3);
        assert_eq!(map["a"], "brace } in a string");
        assert!(json_object("no json here").is_none());
        assert!(json_object(r#"{"unterminated": "#).is_none());
        assert!(json_object("[1, 2]").is_none());
    }

    #[test]
    fn scores_are_numbers_in_range() {
        assert_eq!(score(Some(&serde_json::json!(85))), Ok(85.0));
        assert_eq!(score(Some(&serde_json::json!("72.5"))), Ok(72.5));
        assert!(score(Some(&serde_json::json!(101))).is_err());
        assert!(score(None).is_err());
    }
}
