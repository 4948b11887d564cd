//! Emits typify's `pattern` checks as plain code: a `syn` pass over progenitor's output that replaces
//! each `static PATTERN: LazyLock<regress::Regex>` and its `PATTERN.find(value).is_none()` test with
//! a generated `fn matches_pattern(value: &str) -> bool` that walks the bytes once. The check's
//! error message is unchanged: it quotes the pattern, and the builder prefixes the field's name.
//!
//! Only a subset of regular expressions is compiled: `^…$`, a sequence of ASCII literals and
//! classes (`[a-z0-9_]`, `\d`, `\w`) with quantifiers (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), where
//! taking the longest run of each class never needs to give characters back (a repeated class
//! shares no character with what may follow it). Anything else is an error naming the pattern, so
//! a new pattern never silently needs a regex engine: extend the compiler (and its tests) instead.

use anyhow::{Result, bail};
use proc_macro2::Span;
use quote::quote;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Expr, Item, Stmt};

/// One element of a pattern: a set of bytes, repeated `min..=max` times (`max: None`: unbounded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    /// Inclusive byte ranges.
    pub class: Vec<(u8, u8)>,
    pub min: usize,
    pub max: Option<usize>,
}

/// Replaces every regex-backed pattern check in `file`; returns the patterns compiled.
pub fn rewrite(file: &mut syn::File) -> Result<Vec<String>> {
    let mut pass = Pass::default();
    pass.visit_file_mut(file);
    match pass.error {
        Some(e) => Err(e),
        None => Ok(pass.compiled),
    }
}

#[derive(Default)]
struct Pass {
    compiled: Vec<String>,
    error: Option<anyhow::Error>,
}

impl VisitMut for Pass {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        if self.error.is_none()
            && let Some((at, pattern)) = block
                .stmts
                .iter()
                .enumerate()
                .find_map(|(i, s)| regex_static(s).map(|p| (i, p)))
        {
            if let Err(e) = self.replace(block, at, &pattern) {
                self.error = Some(e.context(format!("pattern {pattern:?}")));
                return;
            }
            self.compiled.push(pattern);
        }
        syn::visit_mut::visit_block_mut(self, block);
    }
}

impl Pass {
    fn replace(&mut self, block: &mut syn::Block, at: usize, pattern: &str) -> Result<()> {
        let atoms = compile(pattern)?;
        block.stmts[at] = Stmt::Item(Item::Fn(matcher(&atoms)));
        let mut calls = PatternCalls::default();
        for stmt in &mut block.stmts {
            calls.visit_stmt_mut(stmt);
        }
        if calls.replaced == 0 || calls.left > 0 {
            bail!(
                "expected `PATTERN.find(value).is_none()` as the only use of the regex ({} replaced, {} other uses)",
                calls.replaced,
                calls.left
            );
        }
        Ok(())
    }
}

/// The pattern of `static PATTERN: LazyLock<regress::Regex> = LazyLock::new(|| Regex::new("…")..)`.
fn regex_static(stmt: &Stmt) -> Option<String> {
    let Stmt::Item(Item::Static(s)) = stmt else {
        return None;
    };
    if s.ident != "PATTERN" {
        return None;
    }
    struct RegexNew(Option<String>);
    impl<'a> Visit<'a> for RegexNew {
        fn visit_expr_call(&mut self, call: &'a syn::ExprCall) {
            if let Expr::Path(p) = &*call.func
                && p.path.segments.iter().any(|s| s.ident == "regress")
                && p.path.segments.last().is_some_and(|s| s.ident == "new")
                && let Some(Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                })) = call.args.first()
            {
                self.0 = Some(lit.value());
            }
            syn::visit::visit_expr_call(self, call);
        }
    }
    let mut found = RegexNew(None);
    found.visit_expr(&s.expr);
    found.0
}

/// `PATTERN.find(x).is_none()` → `!matches_pattern(x)`; counts other uses of `PATTERN`.
#[derive(Default)]
struct PatternCalls {
    replaced: usize,
    left: usize,
}

impl VisitMut for PatternCalls {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(is_none) = expr
            && is_none.method == "is_none"
            && let Expr::MethodCall(find) = &*is_none.receiver
            && find.method == "find"
            && matches!(&*find.receiver, Expr::Path(p) if p.path.is_ident("PATTERN"))
            && find.args.len() == 1
        {
            let value = &find.args[0];
            *expr = syn::parse_quote!(!matches_pattern(#value));
            self.replaced += 1;
            return;
        }
        if let Expr::Path(p) = expr
            && p.path.is_ident("PATTERN")
        {
            self.left += 1;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// `fn matches_pattern(value: &str) -> bool`: each atom takes the longest run of its class (at most
/// `max`), which must be at least `min` long; the input must end after the last atom.
fn matcher(atoms: &[Atom]) -> syn::ItemFn {
    if atoms.is_empty() {
        return syn::parse_quote! {
            fn matches_pattern(value: &str) -> bool {
                value.is_empty()
            }
        };
    }
    let steps = atoms.iter().map(|atom| {
        let ranges = atom.class.iter().map(|&(lo, hi)| {
            let (lo, hi) = (byte(lo), byte(hi));
            if lo == hi {
                quote!(#lo)
            } else {
                quote!(#lo..=#hi)
            }
        });
        let take = atom.max.map(|max| {
            let max = proc_macro2::Literal::usize_unsuffixed(max);
            quote!(.take(#max))
        });
        let min = proc_macro2::Literal::usize_unsuffixed(atom.min);
        let at_least = (atom.min > 0).then(|| quote!(if run < #min { return false; }));
        // A `match`, not `matches!`: rustfmt formats it (it cannot format a macro's `a..=b | c`).
        quote! {
            let run = bytes[at..]
                .iter()
                #take
                .take_while(|b| match **b {
                    #(#ranges)|* => true,
                    _ => false,
                })
                .count();
            #at_least
            at += run;
        }
    });
    syn::parse_quote! {
        fn matches_pattern(value: &str) -> bool {
            let bytes = value.as_bytes();
            let mut at = 0;
            #(#steps)*
            at == bytes.len()
        }
    }
}

fn byte(b: u8) -> syn::LitByte {
    syn::LitByte::new(b, Span::call_site())
}

/// Parses `pattern` into atoms, or says why it is outside the supported subset.
pub fn compile(pattern: &str) -> Result<Vec<Atom>> {
    let Some(inner) = pattern
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix('$'))
        .filter(|p| !p.ends_with('\\'))
    else {
        bail!("only patterns anchored at both ends (`^…$`) are compiled");
    };
    let chars: Vec<char> = inner.chars().collect();
    let mut atoms = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (class, next) = match chars[i] {
            '[' => class(&chars, i + 1)?,
            '\\' => (escape(chars.get(i + 1).copied())?, i + 2),
            c @ ('.' | '(' | ')' | '|' | '^' | '$' | '*' | '+' | '?' | '{' | '}' | ']') => {
                bail!("`{c}` at {i} is not supported")
            }
            c => (vec![literal(c)?], i + 1),
        };
        let (min, max, next) = quantifier(&chars, next)?;
        atoms.push(Atom { class, min, max });
        i = next;
    }
    greedy_is_exact(&atoms)?;
    Ok(atoms)
}

/// A class body starting at `i` (after `[`): its ranges and the index after `]`.
fn class(chars: &[char], mut i: usize) -> Result<(Vec<(u8, u8)>, usize)> {
    if chars.get(i) == Some(&'^') {
        bail!("negated classes are not supported");
    }
    let mut ranges = Vec::new();
    loop {
        let (lo, next) = match chars.get(i) {
            None => bail!("unterminated class"),
            Some(']') if !ranges.is_empty() => return Ok((ranges, i + 1)),
            Some('\\') => {
                let escaped = escape(chars.get(i + 1).copied())?;
                match escaped.as_slice() {
                    [(lo, hi)] if lo == hi => (*lo, i + 2),
                    _ => {
                        ranges.extend(escaped);
                        i += 2;
                        continue;
                    }
                }
            }
            Some(&c) => (literal(c)?.0, i + 1),
        };
        if chars.get(next) == Some(&'-') && chars.get(next + 1).is_some_and(|c| *c != ']') {
            let hi = literal(chars[next + 1])?.0;
            if hi < lo {
                bail!("empty range in class");
            }
            ranges.push((lo, hi));
            i = next + 2;
        } else {
            ranges.push((lo, lo));
            i = next;
        }
    }
}

/// A single-character escape: `\d`, `\w`, or an escaped ASCII punctuation character.
fn escape(c: Option<char>) -> Result<Vec<(u8, u8)>> {
    Ok(match c {
        Some('d') => vec![(b'0', b'9')],
        Some('w') => vec![(b'0', b'9'), (b'A', b'Z'), (b'_', b'_'), (b'a', b'z')],
        Some(c) if c.is_ascii_punctuation() => vec![(c as u8, c as u8)],
        Some(c) => bail!("escape `\\{c}` is not supported"),
        None => bail!("a trailing `\\`"),
    })
}

/// A literal ASCII character (a byte of UTF-8 matches only itself, so bytes and chars agree).
fn literal(c: char) -> Result<(u8, u8)> {
    match u8::try_from(c) {
        Ok(b) if b.is_ascii() && !b.is_ascii_control() => Ok((b, b)),
        _ => bail!("only printable ASCII characters are supported, not {c:?}"),
    }
}

/// The quantifier at `i`, if any: `(min, max, index after it)`.
fn quantifier(chars: &[char], i: usize) -> Result<(usize, Option<usize>, usize)> {
    let (min, max, next) = match chars.get(i) {
        Some('*') => (0, None, i + 1),
        Some('+') => (1, None, i + 1),
        Some('?') => (0, Some(1), i + 1),
        Some('{') => {
            let close = chars[i..]
                .iter()
                .position(|c| *c == '}')
                .map(|p| i + p)
                .ok_or_else(|| anyhow::anyhow!("unterminated `{{`"))?;
            let body: String = chars[i + 1..close].iter().collect();
            let number = |s: &str| {
                s.parse::<usize>()
                    .map_err(|_| anyhow::anyhow!("bad repetition `{{{body}}}`"))
            };
            let (min, max) = match body.split_once(',') {
                None => (number(&body)?, Some(number(&body)?)),
                Some((lo, "")) => (number(lo)?, None),
                Some((lo, hi)) => (number(lo)?, Some(number(hi)?)),
            };
            if max.is_some_and(|max| max < min) {
                bail!("bad repetition `{{{body}}}`");
            }
            (min, max, close + 1)
        }
        _ => return Ok((1, Some(1), i)),
    };
    if matches!(chars.get(next), Some('?' | '+' | '*' | '{')) {
        bail!("lazy, possessive or stacked quantifiers are not supported");
    }
    Ok((min, max, next))
}

/// Refuses patterns where a longest run could eat what a later atom needs: a repeated atom's class
/// must share no byte with any atom that may come next (up to and including the first required one).
fn greedy_is_exact(atoms: &[Atom]) -> Result<()> {
    for (i, atom) in atoms.iter().enumerate() {
        if atom.max == Some(atom.min) {
            continue;
        }
        for next in &atoms[i + 1..] {
            let overlap = atom
                .class
                .iter()
                .any(|&(a, b)| next.class.iter().any(|&(c, d)| a.max(c) <= b.min(d)));
            if overlap {
                bail!(
                    "atom {} repeats a class that overlaps a later one; the byte walk would need backtracking",
                    i + 1
                );
            }
            if next.min > 0 {
                break;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
