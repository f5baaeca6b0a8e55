//! The offline provider: deterministic heuristics, no network. It is the default, so every AI
//! feature works without a key, and it is what the other providers fall back to.

use std::collections::HashSet;

use super::{BoxFuture, Difficulty, Dimension, Grade, Note, Provider, Question, QuestionType, Validation, round1};

#[derive(Debug, Clone, Copy, Default)]
pub struct Offline;

impl Provider for Offline {
    fn name(&self) -> &'static str {
        "offline"
    }

    fn validate<'a>(&'a self, title: &'a str, body: &'a str) -> BoxFuture<'a, Validation> {
        Box::pin(async move { Ok(validate(title, body)) })
    }

    fn grade<'a>(&'a self, title: &'a str, body: &'a str, answer: &'a str) -> BoxFuture<'a, Grade> {
        Box::pin(async move { Ok(grade(title, body, answer)) })
    }

    fn distractors<'a>(&'a self, note: &'a Note, others: &'a [String]) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async move { Ok(distractors(&note.title, others)) })
    }

    fn exam_question<'a>(&'a self, note: &'a Note, all: &'a [Note]) -> BoxFuture<'a, Question> {
        Box::pin(async move { Ok(true_false(note, all)) })
    }

    fn difficulty<'a>(&'a self, notes: &'a [Note]) -> BoxFuture<'a, Vec<Difficulty>> {
        Box::pin(async move { Ok(notes.iter().map(difficulty).collect()) })
    }
}

/// Lower-cased words of two or more characters (Hangul counts as alphanumeric).
fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).map(str::to_lowercase).collect()
}

/// Sentences of eight characters or more, headings left out.
fn sentences(body: &str) -> Vec<&str> {
    body.split(['.', '!', '?', '\n', '。'])
        .map(|s| s.trim().trim_start_matches(['-', '*', '>', ' ']))
        .filter(|s| s.chars().count() >= 8 && !s.starts_with('#'))
        .collect()
}

/// Structure and title relevance; facts cannot be checked offline, which the issues say.
pub fn validate(title: &str, body: &str) -> Validation {
    let (title_words, body_words) = (words(title), words(body));
    let found = title_words.iter().filter(|w| body_words.iter().any(|b| b.contains(w.as_str()))).count();
    let relevance = if title_words.is_empty() { 50.0 } else { 40.0 + 60.0 * found as f64 / title_words.len() as f64 };
    let logical = if sentences(body).len() >= 2 { 85.0 } else { 60.0 };
    let issue = |bad: bool, text: &str| if bad { vec![text.to_owned()] } else { Vec::new() };
    Validation {
        factual_accuracy: Dimension {
            score: 75.0,
            issues: vec!["Facts are not checked offline; configure an AI provider for a full review.".to_owned()],
        },
        logical_consistency: Dimension {
            score: logical,
            issues: issue(logical < 70.0, "The note is a single statement; explain how its parts connect."),
        },
        title_relevance: Dimension {
            score: round1(relevance),
            issues: issue(relevance < 70.0, "The body rarely mentions what the title names."),
        },
        overall_feedback: "Checked offline: structure and title relevance only.".to_owned(),
    }
}

/// The grade of an answer too short to be worth a call.
pub fn too_short() -> Grade {
    Grade { score: 0.0, feedback: "The answer is too short to grade; it scores 0.".to_owned() }
}

/// Overlap of the answer's words with the note's key terms.
pub fn grade(title: &str, body: &str, answer: &str) -> Grade {
    let key = words(&format!("{title} {body}"));
    let given = words(answer);
    let overlap = given.iter().filter(|w| key.contains(*w)).count();
    if given.len() < 2 || overlap == 0 {
        return Grade {
            score: 0.0,
            feedback: "The answer does not address the note. Write what you remember of it in a few sentences."
                .to_owned(),
        };
    }
    let needed = (key.len() / 4).clamp(3, 20);
    let score = (100.0 * overlap as f64 / needed as f64).min(100.0).round();
    let feedback = if score >= 70.0 {
        "The answer covers the core of the note. Add an example to make it complete."
    } else {
        "The answer touches the note but misses key points. Reread it and explain the main idea in your own words."
    };
    Grade { score, feedback: feedback.to_owned() }
}

/// The user's other titles closest in length; made-up variants when there are too few.
pub fn distractors(title: &str, others: &[String]) -> Vec<String> {
    let norm = |s: &str| s.trim().to_lowercase();
    let len = title.chars().count().cast_signed();
    let mut pool: Vec<&String> = others.iter().filter(|o| !o.trim().is_empty() && norm(o) != norm(title)).collect();
    let distance = |o: &str| (o.chars().count().cast_signed() - len).abs();
    pool.sort_by(|a, b| distance(a).cmp(&distance(b)).then_with(|| a.cmp(b)));
    let mut out: Vec<String> = Vec::new();
    for o in pool {
        if out.len() == 3 {
            break;
        }
        if !out.iter().any(|x| norm(x) == norm(o)) {
            out.push(o.trim().to_owned());
        }
    }
    let mut n = 1;
    while out.len() < 3 {
        let variant = format!("{} ({n})", title.chars().rev().collect::<String>());
        if norm(&variant) != norm(title) && !out.contains(&variant) {
            out.push(variant);
        }
        n += 1;
    }
    out
}

/// The negation of a simple statement, where a rule knows how (Korean or English endings).
pub fn negate(sentence: &str) -> Option<String> {
    const KOREAN: [(&str, &str); 10] = [
        ("입니다", "이 아닙니다"),
        ("합니다", "하지 않습니다"),
        ("됩니다", "되지 않습니다"),
        ("있습니다", "없습니다"),
        ("없습니다", "있습니다"),
        ("이다", "이 아니다"),
        ("한다", "하지 않는다"),
        ("된다", "되지 않는다"),
        ("있다", "없다"),
        ("없다", "있다"),
    ];
    let s = sentence.trim();
    if let Some((ending, negated)) = KOREAN.iter().find(|(ending, _)| s.ends_with(ending)) {
        return Some(format!("{}{negated}", &s[..s.len() - ending.len()]));
    }
    const AUXILIARIES: [&str; 11] =
        ["is", "are", "was", "were", "can", "will", "should", "must", "could", "would", "may"];
    let tokens: Vec<&str> = s.split(' ').collect();
    if let Some(i) = tokens.iter().position(|t| t.eq_ignore_ascii_case("not")) {
        let mut kept = tokens.clone();
        kept.remove(i);
        return Some(kept.join(" "));
    }
    let i = tokens.iter().position(|t| AUXILIARIES.contains(&t.to_ascii_lowercase().as_str()))?;
    let mut out = tokens.clone();
    out.insert(i + 1, "not");
    Some(out.join(" "))
}

/// The fallback exam question: one sentence of the note, as written (true) or negated (false).
/// Notes alternate by id, so an exam mixes both answers.
pub fn true_false(note: &Note, all: &[Note]) -> Question {
    let own = sentences(&note.body);
    let statement = own.first().map_or_else(|| note.body.chars().take(200).collect(), |s| (*s).to_owned());
    let want_false = note.id % 2 == 0;
    let negated = want_false.then(|| negate(&statement)).flatten();
    let foreign = || all.iter().filter(|n| n.id != note.id).flat_map(|n| sentences(&n.body)).next().map(str::to_owned);
    let (shown, truth, explanation) = match (want_false, negated) {
        (true, Some(negated)) => (negated, false, format!("The note says: {statement}")),
        (true, None) => match foreign() {
            Some(other) => (other, false, "This statement comes from another note.".to_owned()),
            None => (statement, true, "This statement is taken from the note.".to_owned()),
        },
        (false, _) => (statement, true, "This statement is taken from the note.".to_owned()),
    };
    Question {
        content_id: note.id,
        question_type: QuestionType::TrueFalse,
        text: format!("「{}」 {shown}", note.title),
        choices: None,
        correct_answer: if truth { "O" } else { "X" }.to_owned(),
        explanation,
    }
}

/// Easy, medium or hard by length and structure (headings, list items, code blocks).
pub fn difficulty(note: &Note) -> Difficulty {
    let chars = note.body.chars().count() as f64;
    let lines = note.body.lines().map(str::trim_start);
    let structure = lines
        .map(|l| {
            if l.starts_with("```") {
                2.0
            } else if l.starts_with('#') {
                0.5
            } else if l.starts_with("- ") || l.starts_with("* ") || l.starts_with(|c: char| c.is_ascii_digit()) {
                0.3
            } else {
                0.0
            }
        })
        .sum::<f64>();
    match chars / 500.0 + structure {
        x if x < 1.5 => Difficulty::Easy,
        x if x < 4.0 => Difficulty::Medium,
        _ => Difficulty::Hard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grading_rewards_relevant_answers_and_zeroes_junk() {
        let body = "Ohm's law: the current through a conductor is proportional to the voltage across it. \
                    Resistance is the constant of proportionality.";
        let good = grade("Ohm's law", body, "The current is proportional to the voltage; resistance is the constant.");
        assert!(good.score >= 70.0, "{good:?}");
        assert_eq!(grade("Ohm's law", body, "asdf qwer").score, 0.0);
    }

    #[test]
    fn distractors_are_three_distinct_wrong_titles() {
        let others = vec!["Ohm".to_owned(), "Kirchhoff's laws".to_owned(), "ohm's law ".to_owned()];
        let d = distractors("Ohm's law", &others);
        assert!(super::super::distractors_ok("Ohm's law", &d), "{d:?}");
        assert!(d.contains(&"Ohm".to_owned()));
    }

    #[test]
    fn validation_is_valid_only_with_every_score_at_70() {
        let v =
            validate("Photosynthesis", "Photosynthesis turns light into chemical energy. Plants store it as sugar.");
        assert!(v.is_valid(), "{v:?}");
        assert_eq!(v.score(), round1((75.0 + 85.0 + 100.0) / 3.0));
        assert!(!validate("Photosynthesis", "Cats sleep a lot").is_valid());
    }

    #[test]
    fn negation_flips_korean_and_english_statements() {
        assert_eq!(
            negate("광합성은 빛 에너지를 화학 에너지로 바꾸는 과정이다").as_deref(),
            Some("광합성은 빛 에너지를 화학 에너지로 바꾸는 과정이 아니다")
        );
        assert_eq!(negate("엽록체에는 엽록소가 있다").as_deref(), Some("엽록체에는 엽록소가 없다"));
        assert_eq!(negate("Water is a compound").as_deref(), Some("Water is not a compound"));
        assert_eq!(negate("Gold does not rust").as_deref(), Some("Gold does rust"));
        assert_eq!(negate("Birds fly south"), None);
    }

    #[test]
    fn true_false_questions_alternate_and_explain() {
        let note = |id, body: &str| Note { id, title: format!("t{id}"), body: body.to_owned() };
        let all = vec![note(1, "Water is a compound. It boils at 100 C."), note(2, "Iron is a metal. It rusts.")];
        let q1 = true_false(&all[0], &all);
        assert_eq!((q1.correct_answer.as_str(), q1.text.as_str()), ("O", "「t1」 Water is a compound"));
        let q2 = true_false(&all[1], &all);
        assert_eq!((q2.correct_answer.as_str(), q2.text.as_str()), ("X", "「t2」 Iron is not a metal"));
        assert!(q2.explanation.contains("Iron is a metal"));
    }

    #[test]
    fn difficulty_grows_with_length_and_structure() {
        let note = |body: String| Note { id: 1, title: "t".into(), body };
        assert_eq!(difficulty(&note("short".repeat(20))), Difficulty::Easy);
        assert_eq!(difficulty(&note("x".repeat(1200))), Difficulty::Medium);
        assert_eq!(difficulty(&note(format!("{}\n```\ncode\n```\n", "x".repeat(1200)))), Difficulty::Hard);
    }
}
