//! The pattern compiler and the `syn` pass, on typify-shaped input.

use super::*;

fn atom(class: &[(u8, u8)], min: usize, max: Option<usize>) -> Atom {
    Atom {
        class: class.to_vec(),
        min,
        max,
    }
}

#[test]
fn the_spec_patterns_compile() {
    assert_eq!(
        compile("^[0-9]{10}$").unwrap(),
        [atom(&[(b'0', b'9')], 10, Some(10))]
    );
    assert_eq!(
        compile("^[a-z][a-z0-9_]*$").unwrap(),
        [
            atom(&[(b'a', b'z')], 1, Some(1)),
            atom(&[(b'a', b'z'), (b'0', b'9'), (b'_', b'_')], 0, None),
        ]
    );
    assert_eq!(
        compile(r"^\d{2,}-?x$").unwrap(),
        [
            atom(&[(b'0', b'9')], 2, None),
            atom(&[(b'-', b'-')], 0, Some(1)),
            atom(&[(b'x', b'x')], 1, Some(1)),
        ]
    );
}

#[test]
fn what_a_byte_walk_cannot_match_exactly_is_refused_by_name() {
    for pattern in [
        "[0-9]{10}",     // unanchored
        "^(a|b)$",       // groups, alternation
        "^.+$",          // any character
        "^[^a]$",        // negation
        "^[a-z]*[a-c]$", // the run would eat the last letter
        "^a*?$",         // lazy
        "^é$",           // not ASCII
        r"^\s$",         // unsupported escape
    ] {
        assert!(compile(pattern).is_err(), "{pattern}");
    }
}

#[test]
fn the_regex_static_and_its_test_become_a_byte_walk() {
    let mut file: syn::File = syn::parse_quote! {
        impl ::std::str::FromStr for MobileNumber {
            type Err = self::error::ConversionError;
            fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                    ::std::sync::LazyLock::new(|| ::regress::Regex::new("^[0-9]{10}$").unwrap());
                if PATTERN.find(value).is_none() {
                    return Err("doesn't match pattern \"^[0-9]{10}$\"".into());
                }
                Ok(Self(value.to_string()))
            }
        }
    };
    assert_eq!(rewrite(&mut file).unwrap(), ["^[0-9]{10}$"]);
    let printed = prettyplease::unparse(&file);
    assert!(
        !printed.contains("regress") && !printed.contains("PATTERN"),
        "{printed}"
    );
    assert!(printed.contains("if !matches_pattern(value)"), "{printed}");
    // The message, which the builder prefixes with the field's name, is unchanged.
    assert!(
        printed.contains(r#"doesn't match pattern \"^[0-9]{10}$\""#),
        "{printed}"
    );
}
