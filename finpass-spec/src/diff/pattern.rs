//! Whether a changed `pattern` provably accepts every value the old one did: the two are the same
//! regular expression except that character classes of the new one contain those of the old one
//! (`[A-Z0-9]` → `[A-Za-z0-9]`, `[0-9]` → `\d`). A regular expression without negation
//! accepts more when an atom accepts more, so that is a relaxation. Anything this does not model (a
//! negated class, `\D`, lookaround, back-references, ranges wider than `MAX_RANGE`) proves nothing,
//! and the change is treated as any other different pattern: tighter.

use std::collections::BTreeSet;

/// A range wider than this (`\u0000-\uffff`) is not expanded; the pattern is then not compared.
const MAX_RANGE: u32 = 4096;

#[derive(Debug, PartialEq)]
enum Token {
    /// Syntax or a character matched as itself, compared exactly.
    Literal(char),
    /// A set of characters: a bracket class, `\d` or `\w`.
    Class(BTreeSet<char>),
}

/// `true` when `new` accepts every string `old` does, by the rule above.
pub(super) fn widens(old: &str, new: &str) -> bool {
    let (Some(old), Some(new)) = (tokens(old), tokens(new)) else {
        return false;
    };
    old.len() == new.len()
        && old.iter().zip(&new).all(|(o, n)| match (o, n) {
            (Token::Literal(a), Token::Literal(b)) => a == b,
            (Token::Class(a), Token::Class(b)) => a.is_subset(b),
            // A literal becoming a class (`a` → `[aA]`) is not proven: the literal may be syntax
            // (`{2}`), where a class changes the structure.
            _ => false,
        })
}

fn tokens(pattern: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '[' => {
                let (class, next) = class(&chars, i + 1)?;
                out.push(Token::Class(class));
                i = next;
            }
            '\\' => {
                let escaped = *chars.get(i + 1)?;
                out.push(match shorthand(escaped) {
                    Some(class) => Token::Class(class),
                    None if escaped.is_ascii_alphanumeric() => return None,
                    None => Token::Literal(escaped),
                });
                i += 2;
            }
            // Lookaround and other `(?…)` groups may negate.
            '(' if chars.get(i + 1) == Some(&'?') => return None,
            c => {
                out.push(Token::Literal(c));
                i += 1;
            }
        }
    }
    Some(out)
}

/// The class that starts after `[` at `start`, and the index after its `]`.
fn class(chars: &[char], start: usize) -> Option<(BTreeSet<char>, usize)> {
    if chars.get(start) == Some(&'^') {
        return None;
    }
    let mut set = BTreeSet::new();
    let mut i = start;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && i > start {
            return Some((set, i + 1));
        }
        let (first, after) = if c == '\\' {
            let escaped = *chars.get(i + 1)?;
            if let Some(class) = shorthand(escaped) {
                set.extend(class);
                i += 2;
                continue;
            }
            if escaped.is_ascii_alphanumeric() {
                return None;
            }
            (escaped, i + 2)
        } else {
            (c, i + 1)
        };
        if chars.get(after) == Some(&'-') && chars.get(after + 1).is_some_and(|&e| e != ']') {
            let last = chars[after + 1];
            if last == '\\' || (last as u32).checked_sub(first as u32)? > MAX_RANGE {
                return None;
            }
            set.extend(first..=last);
            i = after + 2;
        } else {
            set.insert(first);
            i = after;
        }
    }
}

/// `\d` and `\w`; the negated `\D`, `\W`, `\S` and the rest are not modelled.
fn shorthand(c: char) -> Option<BTreeSet<char>> {
    match c {
        'd' => Some(('0'..='9').collect()),
        'w' => Some(
            ('a'..='z')
                .chain('A'..='Z')
                .chain('0'..='9')
                .chain(['_'])
                .collect(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::widens;

    #[test]
    fn a_wider_class_in_the_same_place_widens() {
        assert!(widens("^[A-Z0-9]{21}$", "^[A-Za-z0-9]{21}$"));
        assert!(widens(
            "^[A-Z0-9]{3}-[A-Z0-9]{4}$",
            "^[A-Za-z0-9]{3}-[A-Za-z0-9]{4}$"
        ));
        assert!(widens("^[0-9]{10}$", r"^\d{10}$"));
        assert!(widens(r"^[A-Z]\.[0-9]$", r"^[A-Za-z]\.[0-9]$"));
    }

    #[test]
    fn anything_else_proves_nothing() {
        for (old, new) in [
            ("^[A-Za-z0-9]{21}$", "^[A-Z0-9]{21}$"), // narrowed
            ("^[A-Z0-9]{21}$", "^[A-Z0-9]{20}$"),    // another length
            ("^[A-Z0-9]{21}$", "^[A-Za-z0-9]{21}"),  // an anchor dropped (wider, not proven)
            ("^[A-Z]$", "^[^a-z]$"),                 // negated
            ("^[A-Z]$", r"^\D$"),                    // negated shorthand
            ("^(?!X)[A-Z]$", "^(?!X)[A-Za-z]$"),     // lookaround
            ("^[A-Z]$", r"^[\u0000-\uffff]$"),       // not modelled
            ("^A$", "^[AB$"),                        // unclosed
            ("^a{2}$", "^a{[23]}$"),                 // a literal made a class
        ] {
            assert!(!widens(old, new), "{old} → {new}");
        }
    }
}
