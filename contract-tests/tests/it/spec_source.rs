//! The handwritten `openapi/finpass.yaml` reads the same to every YAML reader: no plain (unquoted)
//! scalar that YAML 1.1 takes for a boolean (`Y`, `no`, `on`, …), which 1.2 readers such as ours take
//! for a string. `consent: Y` was a string to us and `true` to a YAML 1.1 tool (DECISIONS.md, MB-4).

/// The plain scalars YAML 1.1 resolves to booleans, besides `true`/`false` (which mean the same in 1.2).
const YAML_1_1_BOOLEANS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// `line: scalar` for every plain key or value in `yaml` that YAML 1.1 reads as a boolean. Block
/// scalars (`|`, `>`) are prose and skipped; quoted text is skipped; comments are dropped.
fn ambiguous_scalars(yaml: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut block: Option<usize> = None;
    for (n, line) in yaml.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(parent) = block {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block = None;
        }
        let content = without_quoted(line);
        let content = content.split(" #").next().unwrap_or_default();
        if content.trim_start().starts_with('#') {
            continue;
        }
        let trimmed = content.trim_end();
        if trimmed.ends_with(": |")
            || trimmed.ends_with(": >")
            || trimmed.ends_with("- |")
            || trimmed.ends_with(": |-")
            || trimmed.ends_with(": >-")
        {
            block = Some(indent);
        }
        let tokens = content
            .split(['[', ']', '{', '}', ','])
            .flat_map(|part| part.split(": "))
            .map(|t| {
                t.trim()
                    .trim_start_matches("- ")
                    .trim_end_matches(':')
                    .trim()
            });
        for token in tokens {
            if YAML_1_1_BOOLEANS.contains(&token) {
                found.push(format!("line {}: {token}", n + 1));
            }
        }
    }
    found
}

/// `line` with the text of quoted scalars removed (the quotes stay), so their words are not read.
fn without_quoted(line: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => {}
            None if c == '\'' || c == '"' => {
                // An apostrophe inside a word (`client's`) is not a quote.
                if out.ends_with(|p: char| p.is_alphanumeric()) {
                    out.push(c);
                } else {
                    quote = Some(c);
                    out.push(c);
                }
            }
            None => out.push(c),
        }
    }
    out
}

#[test]
fn the_handwritten_spec_has_no_scalar_that_yaml_1_1_reads_as_a_boolean() {
    let found = ambiguous_scalars(include_str!("../../../openapi/finpass.yaml"));
    assert!(
        found.is_empty(),
        "quote these in openapi/finpass.yaml (YAML 1.1 reads them as booleans): {found:?}"
    );
}

#[test]
fn the_check_finds_the_forms_it_looks_for() {
    let yaml = "\
a:
  consent: Y
  enum: [Y, 'N']
  flags: {on: 1}
  list:
    - no
  quoted: 'Y'
  prose: |
    consent: Y is the only answer
  sentence: the client's answer is no, says the page
  n: 1
";
    assert_eq!(
        ambiguous_scalars(yaml),
        [
            "line 2: Y",
            "line 3: Y",
            "line 4: on",
            "line 6: no",
            "line 11: n"
        ]
    );
}
