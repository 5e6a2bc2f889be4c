//! Messages with numbers, in the ICU MessageFormat syntax that translation
//! tools know: `{n}` puts a number in, and
//! `{n, plural, one {# share} other {# shares}}` picks the form by the
//! language's CLDR plural category, with `#` standing for the number. So a
//! translator writes each language's forms, and no caller ever tests
//! `n == 1`.

use super::Lang;

/// CLDR plural categories (the cardinal ones English and Swedish use; a
/// language with more, Polish say, adds its own rule and categories here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    One,
    Other,
}

impl Category {
    fn keyword(self) -> &'static str {
        match self {
            Category::One => "one",
            Category::Other => "other",
        }
    }
}

/// The cardinal category of an integer, by CLDR's rules
/// (unicode.org/cldr, plurals.xml). English and Swedish share one:
/// `one: i = 1 and v = 0` (exactly one, no fraction digits); everything
/// else, zero included, is `other`.
pub fn category(lang: Lang, n: i64) -> Category {
    match lang {
        Lang::En | Lang::Sv => {
            if n == 1 {
                Category::One
            } else {
                Category::Other
            }
        }
    }
}

/// Formats `text` with the numbers `args` in `lang`. An argument the text
/// does not name is ignored; a name without an argument is left as written.
pub fn format(text: &str, lang: Lang, args: &[(&str, i64)]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(len) = block_len(&rest[open..]) else {
            out.push_str(&rest[open..]);
            return out;
        };
        let block = &rest[open + 1..open + len - 1];
        out.push_str(
            &argument(block, lang, args).unwrap_or_else(|| rest[open..open + len].to_string()),
        );
        rest = &rest[open + len..];
    }
    out.push_str(rest);
    out
}

/// `n` with its thousands grouped by a no-break space ("12\u{a0}480"), as
/// Swedish writes them and as English may; the space keeps a figure on one
/// line. ICU formats `#` and a plain argument as a number, so both go through
/// here.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// The length of the balanced `{…}` block at the start of `s`.
fn block_len(s: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The names of the arguments a text takes, in order (for the check that
/// both languages take the same ones).
pub fn arguments(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(len) = block_len(&rest[open..]) else {
            break;
        };
        let block = &rest[open + 1..open + len - 1];
        names.push(block.split(',').next().unwrap_or("").trim());
        rest = &rest[open + len..];
    }
    names
}

fn argument(block: &str, lang: Lang, args: &[(&str, i64)]) -> Option<String> {
    let mut parts = block.splitn(3, ',');
    let name = parts.next()?.trim();
    let n = args.iter().find(|(k, _)| *k == name)?.1;
    match (parts.next().map(str::trim), parts.next()) {
        (None, _) => Some(grouped(n)),
        (Some("plural"), Some(forms)) => {
            let wanted = category(lang, n).keyword();
            let exact = format!("={n}");
            let form = choose(forms, &exact)
                .or_else(|| choose(forms, wanted))
                .or_else(|| choose(forms, "other"))?;
            Some(form.replace('#', &grouped(n)))
        }
        _ => None,
    }
}

/// The form after `selector` in `one {…} other {…}`.
fn choose<'a>(forms: &'a str, selector: &str) -> Option<&'a str> {
    let mut rest = forms.trim_start();
    while !rest.is_empty() {
        let open = rest.find('{')?;
        let key = rest[..open].trim();
        let len = block_len(&rest[open..])?;
        if key == selector {
            return Some(&rest[open + 1..open + len - 1]);
        }
        rest = rest[open + len..].trim_start();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARES: &str = "{shares, plural, one {# share} other {# shares}} by {people, plural, one {# person} other {# people}}";

    #[test]
    fn picks_the_form_by_the_languages_category() {
        assert_eq!(
            format(SHARES, Lang::En, &[("shares", 1), ("people", 1)]),
            "1 share by 1 person"
        );
        assert_eq!(
            format(SHARES, Lang::En, &[("shares", 0), ("people", 0)]),
            "0 shares by 0 people"
        );
        assert_eq!(
            format(SHARES, Lang::En, &[("shares", 12), ("people", 3)]),
            "12 shares by 3 people"
        );
        let sv = "{n, plural, one {# kommentar} other {# kommentarer}}";
        assert_eq!(format(sv, Lang::Sv, &[("n", 1)]), "1 kommentar");
        assert_eq!(format(sv, Lang::Sv, &[("n", 2)]), "2 kommentarer");
        assert_eq!(format(sv, Lang::Sv, &[("n", 0)]), "0 kommentarer");
    }

    #[test]
    fn numbers_are_grouped_in_forms_and_plain_arguments() {
        let text = "{raw, plural, one {# open} other {# opens}} of {all}";
        let got = format(text, Lang::Sv, &[("raw", 12480), ("all", 1234567)]);
        assert_eq!(got, "12\u{a0}480 opens of 1\u{a0}234\u{a0}567");
        assert_eq!(grouped(-1000), "-1\u{a0}000");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn plain_arguments_exact_forms_and_missing_ones() {
        assert_eq!(
            format("+{points} points", Lang::En, &[("points", 5)]),
            "+5 points"
        );
        let exact = "{n, plural, =0 {nothing yet} one {# item} other {# items}}";
        assert_eq!(format(exact, Lang::En, &[("n", 0)]), "nothing yet");
        assert_eq!(format(exact, Lang::En, &[("n", 1)]), "1 item");
        assert_eq!(format("{missing} stays", Lang::En, &[]), "{missing} stays");
        assert_eq!(format("unbalanced {", Lang::En, &[]), "unbalanced {");
    }

    #[test]
    fn arguments_are_named_once_per_block() {
        assert_eq!(arguments(SHARES), ["shares", "people"]);
        assert_eq!(arguments("Hi {name}!"), ["name"]);
    }
}
