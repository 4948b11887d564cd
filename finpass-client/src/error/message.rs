//! How an error shows the server's free text (`message`): word by word, a word that the spec's own
//! messages use is shown, any other word becomes `…`
//! ([DECISIONS.md, PD-2](https://github.com/finpass-rs/finpass-rs/blob/main/openapi/DECISIONS.md)). A documented message is
//! shown exactly; an unknown one keeps its known words and never a mobile number, PAN, e-mail or name.
//!
//! Self-contained (the xtask compiles it by path to build the vocabulary from the spec, so the two
//! split words the same way).

/// What stands for one or more hidden words.
pub const HIDDEN: &str = "…";

/// The word of a token that is looked up: the token without the punctuation around it, lower-cased.
/// `None` for a token that cannot be shown whatever the vocabulary (it holds a digit) or that is only
/// punctuation (shown as is).
pub fn word(token: &str) -> Option<Result<String, ()>> {
    let core = core(token).1;
    if core.is_empty() {
        return None;
    }
    if core.chars().any(|c| c.is_ascii_digit()) {
        return Some(Err(()));
    }
    Some(Ok(core.to_lowercase()))
}

/// `token` split as (leading punctuation, word, trailing punctuation).
fn core(token: &str) -> (&str, &str, &str) {
    let inner = |c: char| c.is_alphanumeric() || c == '_';
    let start = token.find(inner).unwrap_or(token.len());
    let end = token.rfind(inner).map_or(start, |i| {
        i + token[i..].chars().next().map_or(0, char::len_utf8)
    });
    (&token[..start], &token[start..end], &token[end..])
}

/// `message` as an error shows it, and whether any word was hidden. `vocabulary` is sorted.
pub fn shown(message: &str, vocabulary: &[&str]) -> (String, bool) {
    let mut out: Vec<String> = Vec::new();
    let mut hidden_any = false;
    let mut last_hidden = false;
    for token in message.split_whitespace() {
        let known = match word(token) {
            None => true,
            Some(Ok(w)) => vocabulary.binary_search(&w.as_str()).is_ok(),
            Some(Err(())) => false,
        };
        if known {
            out.push(token.to_owned());
            last_hidden = false;
            continue;
        }
        hidden_any = true;
        let (lead, _, trail) = core(token);
        if last_hidden && lead.is_empty() {
            // "Ravi Kumar" is one gap, not two: extend the previous one with this token's trail.
            if let Some(previous) = out.last_mut() {
                previous.push_str(trail);
            }
        } else {
            out.push(format!("{lead}{HIDDEN}{trail}"));
        }
        last_hidden = trail.is_empty();
    }
    (out.join(" "), hidden_any)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &[&str] = &[
        "found", "given", "invalid", "mobile", "no", "number", "pan", "the",
    ];

    #[test]
    fn known_words_are_shown_and_every_other_word_is_hidden() {
        assert_eq!(
            shown("Invalid Mobile Number", WORDS),
            ("Invalid Mobile Number".to_owned(), false)
        );
        assert_eq!(
            shown("No PAN found for ABCDE1234F (Ravi Kumar).", WORDS),
            ("No PAN found … (…).".to_owned(), true)
        );
        assert_eq!(
            shown("invalid mobile number: 9876543210, ravi@example.in", WORDS),
            ("invalid mobile number: …, …".to_owned(), true)
        );
        // A digit never shows, even inside a known-looking word.
        assert_eq!(shown("pan1", &["pan1"]).0, HIDDEN);
        assert_eq!(shown("", WORDS), (String::new(), false));
    }

    #[test]
    fn words_are_read_without_their_punctuation() {
        assert_eq!(word("(e.g.,"), Some(Ok("e.g".to_owned())));
        assert_eq!(word("client_id"), Some(Ok("client_id".to_owned())));
        assert_eq!(word("21-character"), Some(Err(())));
        assert_eq!(word("—"), None);
    }
}
