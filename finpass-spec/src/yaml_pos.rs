//! Where a node sits in a YAML file: JSON pointer → line and column, for annotations on the spec line.
//!
//! serde_yaml 0.9 reads values without positions, so the text is read a second time as a stream of
//! YAML events (saphyr-parser, which marks each event with its line and column). A mapping entry is
//! located at its key (`redirect_url:`), a sequence item at its first character.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser};

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

/// The position of every node of one YAML document, keyed by JSON pointer (`/paths/~1v1~1x/post`).
#[derive(Debug, Default, Clone)]
pub struct Positions {
    nodes: HashMap<String, Pos>,
    /// Keys written twice in one mapping (serde_yaml keeps the last one silently): pointer and
    /// where the second one is.
    pub duplicates: Vec<(String, Pos)>,
}

/// A YAML syntax error, with where it happened.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub pos: Pos,
    /// The parser's description.
    pub message: String,
}

enum Frame {
    Map {
        pointer: String,
        key: Option<String>,
        seen: HashSet<String>,
    },
    Seq {
        pointer: String,
        next: usize,
    },
}

impl Positions {
    /// Indexes `text` (the first document of the stream).
    pub fn index(text: &str) -> Result<Positions, SyntaxError> {
        let mut out = HashMap::new();
        let mut duplicates = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| SyntaxError {
                pos: Pos {
                    line: e.marker().line(),
                    col: e.marker().col() + 1,
                },
                message: e.info().to_owned(),
            })?;
            let pos = Pos {
                line: span.start.line(),
                col: span.start.col() + 1,
            };
            let starts_node = matches!(
                event,
                Event::Scalar(..)
                    | Event::MappingStart(..)
                    | Event::SequenceStart(..)
                    | Event::Alias(_)
            );
            if starts_node {
                // A scalar in key position names the next value; anything else is a value.
                if let Some(Frame::Map { pointer, key, seen }) = stack.last_mut()
                    && key.is_none()
                {
                    let name = match &event {
                        Event::Scalar(value, ..) => value.to_string(),
                        _ => String::from("?"),
                    };
                    let at = format!("{pointer}/{}", token(&name));
                    if !seen.insert(name.clone()) {
                        duplicates.push((at.clone(), pos));
                    }
                    out.entry(at).or_insert(pos);
                    *key = Some(name);
                    if !matches!(event, Event::Scalar(..)) {
                        // A complex key: its content is indexed under a throwaway pointer.
                        let throwaway = format!("{pointer}/?key");
                        stack.push(child_frame(&event, throwaway));
                    }
                    continue;
                }
                let pointer = match stack.last_mut() {
                    None => String::new(),
                    Some(Frame::Map { pointer, key, .. }) => {
                        format!("{pointer}/{}", token(&key.take().unwrap_or_default()))
                    }
                    Some(Frame::Seq { pointer, next }) => {
                        *next += 1;
                        let at = format!("{pointer}/{}", *next - 1);
                        out.insert(at.clone(), pos);
                        at
                    }
                };
                if pointer.is_empty() {
                    out.entry(String::new()).or_insert(pos);
                }
                if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
                    stack.push(child_frame(&event, pointer));
                }
            } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
                stack.pop();
            } else if matches!(event, Event::DocumentEnd) {
                break;
            }
        }
        Ok(Positions {
            nodes: out,
            duplicates,
        })
    }

    /// The node's own position.
    pub fn get(&self, pointer: &str) -> Option<Pos> {
        self.nodes.get(pointer).copied()
    }

    /// The node's position, or its nearest located ancestor's (a removed node's parent), or line 1.
    pub fn nearest(&self, pointer: &str) -> Pos {
        let mut at = pointer;
        loop {
            if let Some(pos) = self.get(at) {
                return pos;
            }
            match at.rfind('/') {
                Some(i) => at = &at[..i],
                None => return Pos { line: 1, col: 1 },
            }
        }
    }
}

fn child_frame(event: &Event<'_>, pointer: String) -> Frame {
    match event {
        Event::MappingStart(..) => Frame::Map {
            pointer,
            key: None,
            seen: HashSet::new(),
        },
        _ => Frame::Seq { pointer, next: 0 },
    }
}

/// Escapes one JSON-pointer token (`~` → `~0`, `/` → `~1`).
pub fn token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_items_and_flow_nodes_are_located() {
        let text = "openapi: 3.0.3\npaths:\n  /v1/x:\n    post:\n      tags: [a, b]\n      parameters:\n        - name: q\n          in: query\n      x: {'200': {k: v}}\n";
        let p = Positions::index(text).unwrap();
        let at = |ptr: &str| p.get(ptr).map(|p| (p.line, p.col));
        assert_eq!(at("/openapi"), Some((1, 1)));
        assert_eq!(at("/paths/~1v1~1x"), Some((3, 3)));
        assert_eq!(at("/paths/~1v1~1x/post/tags/1"), Some((5, 17)));
        assert_eq!(at("/paths/~1v1~1x/post/parameters/0"), Some((7, 11)));
        assert_eq!(at("/paths/~1v1~1x/post/parameters/0/in"), Some((8, 11)));
        assert_eq!(at("/paths/~1v1~1x/post/x/200/k"), Some((9, 19)));
        assert_eq!(
            p.nearest("/paths/~1v1~1x/post/parameters/0/schema/type")
                .line,
            7
        );
    }

    #[test]
    fn a_key_written_twice_is_found() {
        let p = Positions::index("a:\n  b: 1\n  c: 2\n  b: 3\n").unwrap();
        assert_eq!(
            p.duplicates,
            vec![("/a/b".to_owned(), Pos { line: 4, col: 3 })]
        );
        assert_eq!(p.get("/a/b"), Some(Pos { line: 2, col: 3 }));
    }

    #[test]
    fn a_syntax_error_has_a_line() {
        let err = Positions::index("a: [1, 2\nb: c\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
    }
}
