//! Reading DECISIONS.md's citations and finding their quotes in the page records. No I/O here: the
//! caller hands in the text of DECISIONS.md and the records, so the rules can be tested on fixtures.

use std::collections::BTreeMap;

/// The host of the public Finpass docs: a link to it is a citation.
const DOCS_HOST: &str = "https://docs.finpass.ai/";

/// One file of the docs folder.
pub struct RecordFile {
    pub name: String,
    pub text: String,
}

/// The page records, by the URL of the public page each one describes.
#[derive(Default)]
pub struct Records {
    pub by_url: BTreeMap<String, Vec<RecordFile>>,
    /// Every file name in the folder (a record named in DECISIONS.md instead of its page is refused).
    pub file_names: Vec<String>,
}

impl Records {
    /// Sorts the files of the docs folder by page. A record names its page on a `Source…: URL` line
    /// or as the first item under `## Source`. A file with no such line (the complete copy of a page)
    /// belongs to the page of the one sourced record that names it; files that no page claims (the
    /// folder's README, the cross-page notes) are not page records and cannot be cited.
    pub fn from_files(files: Vec<RecordFile>) -> Records {
        let sourced: Vec<(usize, String)> = files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i, source_url(&f.text)?)))
            .collect();
        let page_of = |i: usize| -> Option<String> {
            if let Some((_, url)) = sourced.iter().find(|(j, _)| *j == i) {
                return Some(url.clone());
            }
            let claims: Vec<&String> = sourced
                .iter()
                .filter(|(j, _)| mentions(&files[*j].text, &files[i].name))
                .map(|(_, url)| url)
                .collect();
            match claims.as_slice() {
                [url] => Some((*url).clone()),
                _ => None,
            }
        };
        let pages: Vec<Option<String>> = (0..files.len()).map(page_of).collect();
        let mut records = Records {
            file_names: files.iter().map(|f| f.name.clone()).collect(),
            ..Records::default()
        };
        for (file, page) in files.into_iter().zip(pages) {
            if let Some(url) = page {
                records.by_url.entry(url).or_default().push(file);
            }
        }
        records
    }
}

fn mentions(text: &str, file_name: &str) -> bool {
    text.contains(&format!("`{file_name}`"))
}

/// The page URL a record declares for itself.
fn source_url(text: &str) -> Option<String> {
    let mut in_source_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("## ") {
            in_source_section = line == "## Source";
            continue;
        }
        let candidate = if line.starts_with("Source") {
            line.split_once(": ").map(|(_, rest)| rest)
        } else if in_source_section {
            line.strip_prefix("- ")
        } else {
            None
        };
        if let Some(url) = candidate.and_then(|c| c.split_whitespace().next())
            && url.starts_with(DOCS_HOST)
        {
            return Some(url.to_owned());
        }
    }
    None
}

/// One quote and the page it is attributed to.
#[derive(Debug, Clone)]
pub struct Citation {
    /// The entry's ID (`AA-7`), or the heading of a section without one.
    pub entry: String,
    pub url: String,
    pub quote: String,
}

/// What a read of DECISIONS.md found: the citations, and every rule broken on the way.
#[derive(Default)]
pub struct Reading {
    pub citations: Vec<Citation>,
    pub problems: Vec<String>,
}

/// A piece of a paragraph: a link to a page, or a quote.
enum Token {
    Link(Result<String, String>),
    Quote(String),
    Unclosed(String),
}

/// Reads DECISIONS.md: entries (`## ID: title`), their paragraphs and list items, the citations in
/// each. A quote belongs to the last docs link before it in the same top-level list item (or
/// paragraph); in an `Evidence` item every quote needs one, and the item needs at least one citation.
pub fn read(decisions: &str, records: &Records) -> Reading {
    let references = reference_definitions(decisions);
    let mut reading = Reading::default();
    for (entry, items) in entries(decisions) {
        for item in items {
            read_item(&entry, &item, &references, &mut reading);
        }
    }
    for line in decisions.lines() {
        if let Some(found) = line_number_citation(line) {
            reading.problems.push(format!(
                "`{found}`: line numbers are not evidence; link the page and quote its words"
            ));
        }
        for name in &records.file_names {
            if name != "README.md" && line.contains(name.as_str()) {
                reading.problems.push(format!(
                    "`{name}` is a record file: cite the public page it describes (its URL) instead"
                ));
            }
        }
    }
    for (name, url) in &references {
        if url.starts_with(DOCS_HOST) && !records.by_url.contains_key(url) {
            reading.problems.push(format!(
                "[{name}]: {url} is not the page of any record in the docs folder"
            ));
        }
    }
    reading
}

fn read_item(
    entry: &str,
    item: &str,
    references: &BTreeMap<String, String>,
    reading: &mut Reading,
) {
    let evidence = item.trim_start_matches("- ").starts_with("Evidence");
    let mut page: Option<String> = None;
    let mut cited = false;
    for token in tokens(item, references) {
        match token {
            Token::Link(Ok(url)) => page = url.starts_with(DOCS_HOST).then_some(url),
            Token::Link(Err(reference)) => reading.problems.push(format!(
                "{entry}: link reference [{reference}] is not defined"
            )),
            Token::Unclosed(rest) => reading.problems.push(format!(
                "{entry}: unclosed quote starting {:?}",
                rest.chars().take(60).collect::<String>()
            )),
            Token::Quote(quote) => match &page {
                Some(url) => {
                    cited = true;
                    reading.citations.push(Citation {
                        entry: entry.to_owned(),
                        url: url.clone(),
                        quote,
                    });
                }
                None if evidence => reading.problems.push(format!(
                    "{entry}: the quote \"{quote}\" names no page: link the page before it"
                )),
                None => {}
            },
        }
    }
    if evidence && !cited {
        reading
            .problems
            .push(format!("{entry}: an Evidence item cites no page"));
    }
}

/// `[name]: URL` lines.
fn reference_definitions(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix('[')?;
            let (name, url) = rest.split_once("]: ")?;
            Some((name.to_owned(), url.trim().to_owned()))
        })
        .collect()
}

/// The entries (`## ID: title` → `ID`; other headings by their text) and their items: a top-level
/// list item with its continuation lines and nested items, or a paragraph.
fn entries(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = vec![("(preamble)".into(), Vec::new())];
    let mut item = String::new();
    let flush = |item: &mut String, out: &mut Vec<(String, Vec<String>)>| {
        if !item.trim().is_empty()
            && let Some((_, items)) = out.last_mut()
        {
            items.push(std::mem::take(item));
        }
        item.clear();
    };
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix('#') {
            flush(&mut item, &mut out);
            let heading = heading.trim_start_matches('#').trim();
            let id = heading.split_once(':').map_or(heading, |(id, _)| id);
            out.push((id.to_owned(), Vec::new()));
        } else if line.trim().is_empty() || line.starts_with("- ") || line.starts_with('|') {
            flush(&mut item, &mut out);
            item.push_str(line);
        } else {
            item.push('\n');
            item.push_str(line);
        }
    }
    flush(&mut item, &mut out);
    out
}

/// Links and quotes outside code spans, in order. A quote may contain code spans (whose `"` do not
/// end it); a link is `[text][reference]` or `[text](url)`.
fn tokens(item: &str, references: &BTreeMap<String, String>) -> Vec<Token> {
    let chars: Vec<char> = item.chars().collect();
    let mut out = Vec::new();
    let mut quote: Option<String> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            let end = (i + run..chars.len())
                .find(|&j| {
                    chars[j..].iter().take_while(|&&c| c == '`').count() == run
                        && chars.get(j.wrapping_sub(1)) != Some(&'`')
                })
                .unwrap_or(chars.len());
            let span: String = chars[i..(end + run).min(chars.len())].iter().collect();
            if let Some(q) = quote.as_mut() {
                q.push_str(&span);
            }
            i = end + run;
            continue;
        }
        if c == '\\' && chars.get(i + 1) == Some(&'"') {
            // An escaped `"` is a character of the text, not a quote mark.
            if let Some(q) = quote.as_mut() {
                q.push('"');
            }
            i += 2;
            continue;
        }
        match (&mut quote, c) {
            (Some(q), '"' | '”') => {
                out.push(Token::Quote(std::mem::take(q)));
                quote = None;
            }
            (Some(q), c) => q.push(c),
            (None, '"' | '“') => quote = Some(String::new()),
            (None, '[') => {
                if let Some((link, next)) = link_at(&chars, i, references) {
                    out.push(Token::Link(link));
                    i = next;
                    continue;
                }
            }
            (None, _) => {}
        }
        i += 1;
    }
    if let Some(rest) = quote {
        out.push(Token::Unclosed(rest));
    }
    out
}

/// A link starting at `chars[start] == '['`: its target (a URL, or the undefined reference) and
/// the index after it.
fn link_at(
    chars: &[char],
    start: usize,
    references: &BTreeMap<String, String>,
) -> Option<(Result<String, String>, usize)> {
    let close = start + chars[start..].iter().position(|&c| c == ']')?;
    let (open, end) = match chars.get(close + 1)? {
        '[' => (close + 1, ']'),
        '(' => (close + 1, ')'),
        _ => return None,
    };
    let stop = open + chars[open..].iter().position(|&c| c == end)?;
    let target: String = chars[open + 1..stop].iter().collect();
    let link = if end == ')' {
        Ok(target)
    } else {
        references.get(&target).cloned().ok_or(target)
    };
    Some((link, stop + 1))
}

/// `name.md:12`-style line citations.
fn line_number_citation(line: &str) -> Option<String> {
    for (at, _) in line
        .match_indices(".md:")
        .chain(line.match_indices(".txt:"))
    {
        let after = &line[at..];
        let ext_len = if after.starts_with(".md:") { 4 } else { 5 };
        if after[ext_len..].starts_with(|c: char| c.is_ascii_digit()) {
            let begin = line[..at]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .map_or(0, |b| b + 1);
            let digits = after[ext_len..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len() - ext_len);
            return Some(line[begin..at + ext_len + digits].to_owned());
        }
    }
    None
}

/// How a quote and a record are compared: whitespace is ignored entirely (the complete copy of AA
/// Initialize lost its table's cell separators: `email | string | No` reads `emailstringNo` there),
/// and so are markdown's code and emphasis marks and table pipes (`` ` ``, `*`, `|`) and backslash
/// escapes; curly quotes count as straight ones. Everything else (letters, digits, punctuation, case)
/// must match.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '`' | '*' | '|' | '\\'))
        .map(|c| match c {
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            c => c,
        })
        .collect()
}

/// Whether `quote` is in `record` (both raw): an ellipsis (`…` or `...`) in the quote stands for
/// words left out, so its pieces must appear in order.
pub fn found(quote: &str, record: &str) -> bool {
    found_normalised(quote, &normalise(record))
}

fn found_normalised(quote: &str, record: &str) -> bool {
    let mut from = 0;
    for piece in quote.split('…').flat_map(|p| p.split("...")) {
        let piece = normalise(piece);
        if piece.is_empty() {
            continue;
        }
        match record[from..].find(&piece) {
            Some(at) => from += at + piece.len(),
            None => return false,
        }
    }
    true
}

/// Every citation whose quote is not in a record of its page, one line each, naming the entry.
pub fn unfound(citations: &[Citation], records: &Records) -> Vec<String> {
    let normalised: BTreeMap<&str, Vec<String>> = records
        .by_url
        .iter()
        .map(|(url, files)| {
            (
                url.as_str(),
                files.iter().map(|f| normalise(&f.text)).collect(),
            )
        })
        .collect();
    citations
        .iter()
        .filter_map(|c| {
            let texts = normalised.get(c.url.as_str())?;
            (!texts.iter().any(|t| found_normalised(&c.quote, t))).then(|| {
                let names: Vec<&str> = records.by_url[&c.url]
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect();
                format!(
                    "{}: \"{}\" is not in the record of {} ({})",
                    c.entry,
                    c.quote,
                    c.url,
                    names.join(", ")
                )
            })
        })
        .collect()
}
