//! The words an error may show of the server's `message` (DECISIONS.md, PD-2): every word of every
//! `message` in the spec's response examples, split by the client's own rule
//! ([`crate::error_message`]), rendered as `finpass-client/src/error/generated.rs`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::error_message;

/// The generated vocabulary.
pub const GENERATED_WORDS: &str = "finpass-client/src/error/generated.rs";

/// Every showable word of the spec's example messages, sorted (the client binary-searches it).
pub fn words(doc: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut messages = Vec::new();
    for item in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
    {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            for response in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|r| r.values())
            {
                for media in response
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|c| c.values())
                {
                    let named = media
                        .get("examples")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flat_map(|e| e.values())
                        .filter_map(|e| e.get("value"));
                    for value in named.chain(media.get("example")) {
                        if let Some(Value::String(m)) = value.get("message") {
                            messages.push(m.clone());
                        }
                    }
                }
            }
        }
    }
    for message in messages {
        for token in message.split_whitespace() {
            if let Some(Ok(word)) = error_message::word(token) {
                out.insert(word);
            }
        }
    }
    out
}

/// `pub(super) const MESSAGE_WORDS: &[&str] = &[…];`
pub fn render(doc: &Value) -> TokenStream {
    let words = words(doc).into_iter();
    quote! {
        //! The words of the spec's example messages: what an error shows of a server `message`
        //! ([DECISIONS.md, PD-2](https://github.com/finpass-rs/finpass-rs/blob/main/openapi/DECISIONS.md)). Sorted for a binary search.

        /// Every word a `message` of the spec's response examples uses, lower-cased.
        pub(super) const MESSAGE_WORDS: &[&str] = &[#(#words),*];
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_vocabulary_has_the_documented_words_and_no_digits() {
        let doc = finpass_spec::spec_check::load(&crate::paths::root().join(crate::paths::SPEC))
            .unwrap()
            .doc;
        let words = super::words(&doc);
        for word in ["unauthorized", "mobile", "pan", "client_id", "found"] {
            assert!(words.contains(word), "{word}");
        }
        assert!(words.iter().all(|w| !w.chars().any(|c| c.is_ascii_digit())));
        assert!(!words.contains("abcde1234f"));
    }
}
