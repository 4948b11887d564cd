//! `openapi/DECISIONS.md`'s evidence holds: every citation links the public docs page it relies on
//! and quotes words that the page's record in the docs folder (`../shared/finpass-docs/` beside the
//! clone) contains. A quote that is not there fails the test, naming the entry.
//!
//! How a citation is written, and what is checked (`citations.rs` has the rules):
//! - a link to the page, `[AA Initialize][aa-init]`, with the reference defined once at the end of
//!   DECISIONS.md as the page's URL (the one its record gives on its `Source` line), followed by the
//!   quoted words: `[AA Initialize][aa-init]: "Type of consent being requested"`. Every quote after a
//!   link, up to the next link or the end of that list item, is that page's;
//! - in an `Evidence` item every quote needs a page, and the item cites at least one;
//! - a quote is compared with the record ignoring whitespace, markdown's `` ` ``, `*` and `|`, and
//!   backslashes; `…` in a quote leaves words out (its pieces are found in order);
//! - line numbers (`page.md:12`) and record file names are refused: the page and the words are the
//!   evidence.
//!
//! The docs folder is not part of the repository. Without it (a user's clone) the tests say on the
//! terminal that they skipped and why; under CI (`CI` set) a missing folder fails them.

mod citations;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use citations::{RecordFile, Records, found, read, unfound};

/// No record or DECISIONS.md comes near this; a larger file is not one of them.
const MAX_FILE_BYTES: u64 = 1 << 20;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_bounded(path: &Path) -> std::io::Result<String> {
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "{} is over {MAX_FILE_BYTES} bytes",
            path.display()
        )));
    }
    Ok(text)
}

fn decisions() -> String {
    let path = root().join("openapi/DECISIONS.md");
    read_bounded(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `FINPASS_DOCS_DIR` if set, else `../shared/finpass-docs` beside the workspace.
fn docs_dir() -> PathBuf {
    std::env::var_os("FINPASS_DOCS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/finpass-docs"))
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The records, or `None` after telling the terminal why the test skips. Written to the stderr
/// handle itself: the test harness captures `eprintln!` of passing tests, and a skip must show.
fn records_or_skip(test: &str) -> Option<Records> {
    let dir = docs_dir();
    let Ok(listing) = std::fs::read_dir(&dir) else {
        let why = format!(
            "the Finpass docs folder {} is absent (set FINPASS_DOCS_DIR to use another copy)",
            dir.display()
        );
        assert!(
            !under_ci(),
            "{test}: under CI the docs must be there: {why}"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED decisions::{test}: {why}; DECISIONS.md's citations were not checked"
        );
        return None;
    };
    let mut files = Vec::new();
    for entry in listing {
        let path = entry.expect("a readable docs folder").path();
        if path.is_file() {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = read_bounded(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            files.push(RecordFile { name, text });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Some(Records::from_files(files))
}

#[test]
fn every_decisions_citation_is_found_in_its_page_record() {
    let Some(records) = records_or_skip("every_decisions_citation_is_found_in_its_page_record")
    else {
        return;
    };
    let reading = read(&decisions(), &records);
    let mut problems = reading.problems.clone();
    problems.extend(unfound(&reading.citations, &records));
    assert!(
        problems.is_empty(),
        "DECISIONS.md's evidence does not hold:\n{}",
        problems.join("\n")
    );
    // A parser that found nothing would pass too: the file cites well over a hundred quotes.
    println!(
        "{} citations found in their pages' records",
        reading.citations.len()
    );
    assert!(
        reading.citations.len() > 100,
        "only {} citations found",
        reading.citations.len()
    );
}

#[test]
fn an_edited_quote_fails_naming_its_entry() {
    let Some(records) = records_or_skip("an_edited_quote_fails_naming_its_entry") else {
        return;
    };
    let text = decisions();
    let citations = read(&text, &records).citations;
    for entry in ["MB-1", "AA-3", "CORP-5", "BSA-7"] {
        let cited = citations
            .iter()
            .find(|c| c.entry == entry && c.quote.len() > 12)
            .unwrap_or_else(|| panic!("{entry} cites no quote of more than 12 characters"));
        // One word added after the first space: no longer what the page says. Replaced where the entry
        // cites it (the same words may be cited earlier by another entry).
        let edited = cited.quote.replacen(' ', " not ", 1);
        let at = text
            .find(&format!("## {entry}:"))
            .unwrap_or_else(|| panic!("{entry} has no heading"));
        let (head, tail) = text.split_at(at);
        let changed = format!(
            "{head}{}",
            tail.replacen(&format!("\"{}\"", cited.quote), &format!("\"{edited}\""), 1)
        );
        assert_ne!(changed, text, "{entry}: the quote was not replaced");
        let failures = unfound(&read(&changed, &records).citations, &records);
        assert!(
            failures
                .iter()
                .any(|f| f.starts_with(&format!("{entry}: "))),
            "{entry}: an edited quote {edited:?} still passed: {failures:?}"
        );
    }
}

/// The rules on a made-up folder and DECISIONS.md: runs without the docs folder.
#[test]
fn the_citation_rules_catch_each_kind_of_bad_evidence() {
    let file = |name: &str, text: &str| RecordFile {
        name: name.into(),
        text: text.into(),
    };
    let records = Records::from_files(vec![
        file("README.md", "The folder. `page.md` and `page-full.txt`."),
        file(
            "page.md",
            "# Page\n\nSource: https://docs.finpass.ai/page-1\n\n| `pan` | string | **10 characters** |\n> The complete page is `page-full.txt`.",
        ),
        file("page-full.txt", "panstringYes10-character alphanumeric PAN"),
        file(
            "notes.md",
            "Cross-page notes: https://docs.finpass.ai/page-1",
        ),
    ]);
    assert_eq!(
        records.by_url["https://docs.finpass.ai/page-1"]
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["page.md", "page-full.txt"],
        "a complete copy belongs to the page of the record that names it; notes belong to none"
    );
    let decisions = "\
## OK-1: good
- Evidence: [Page][page]: \"`pan` | string | 10 characters\", and the full copy: \"`pan` | string | Yes\";
  \"10-character … PAN\".
- Why: prose \"quotes\" without a page are fine outside Evidence.

## BAD-1: edited quote
- Evidence: [Page][page]: \"12 characters\".

## BAD-2: no page
- Evidence: the docs say \"10 characters\".

## BAD-3: unknown reference, line number, record file
- Evidence: [Page][nowhere] \"x\"; page.md:3 says so; see `notes.md`.

## BAD-4: unclosed
- Evidence: [Page](https://docs.finpass.ai/page-1): \"10 characters

[page]: https://docs.finpass.ai/page-1
[gone]: https://docs.finpass.ai/gone-2
";
    let reading = read(decisions, &records);
    let mut problems = reading.problems.clone();
    problems.extend(unfound(&reading.citations, &records));
    let expected = [
        "BAD-1: \"12 characters\" is not in the record of https://docs.finpass.ai/page-1",
        "BAD-2: the quote \"10 characters\" names no page",
        "BAD-3: link reference [nowhere] is not defined",
        "BAD-3: an Evidence item cites no page",
        "`page.md:3`: line numbers are not evidence",
        "`notes.md` is a record file",
        "`page.md` is a record file",
        "BAD-4: unclosed quote",
        "[gone]: https://docs.finpass.ai/gone-2 is not the page of any record",
    ];
    for want in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(want)),
            "missing {want:?} in {problems:#?}"
        );
    }
    assert!(
        !problems.iter().any(|p| p.starts_with("OK-1")),
        "{problems:#?}"
    );
    assert_eq!(
        reading
            .citations
            .iter()
            .filter(|c| c.entry == "OK-1")
            .count(),
        3
    );
    assert!(found("`pan` | string | Yes", "panstringYes"));
    assert!(!found("PAN 10-character", "10-character alphanumeric PAN"));
}
