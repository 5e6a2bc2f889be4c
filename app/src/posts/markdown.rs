//! Markdown → HTML for employee posts, used by the editor's live preview (in
//! the browser) and by the server for the hub and the review board, so both
//! show exactly the same thing.
//!
//! Safe by construction rather than by cleaning up afterwards: raw HTML in
//! the Markdown is never passed through (it is shown as the text it is), link
//! targets must be http(s) or mailto, and images become plain links, so no
//! tag, attribute, event handler or style can come from what was typed.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.to_ascii_lowercase();
    if ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
    {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH);
    let events = parser.map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The words of a post without its Markdown, cut at `max` characters: the
/// summary the hub searches and falls back to as share text.
pub fn plain_text(markdown: &str, max: usize) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_)
                if !out.ends_with(' ') && !out.is_empty() =>
            {
                out.push(' ')
            }
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() <= max {
        return out;
    }
    let mut cut: String = out.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The editor toolbar's actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Bold,
    Italic,
    Heading,
    List,
    Link,
    Quote,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Bold,
        Format::Italic,
        Format::Heading,
        Format::List,
        Format::Link,
        Format::Quote,
    ];
}

/// Byte index of a UTF-16 offset (what a textarea's selection counts in).
fn byte_at(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

/// Applies a toolbar action to the selection `start..end` (UTF-16 offsets, as
/// the textarea reports them). Returns the new text and the selection to
/// restore: inline marks wrap the selection, line marks prefix every selected
/// line.
pub fn apply_format(text: &str, start: u32, end: u32, format: Format) -> (String, u32, u32) {
    let (start, end) = (start.min(end), start.max(end));
    let (a, b) = (byte_at(text, start), byte_at(text, end));
    let selected = &text[a..b];
    let wrap = |left: &str, right: &str, placeholder: &str| {
        let inner = if selected.is_empty() {
            placeholder
        } else {
            selected
        };
        let new = format!("{}{left}{inner}{right}{}", &text[..a], &text[b..]);
        let s = start + utf16_len(left);
        (new, s, s + utf16_len(inner))
    };
    let prefix_lines = |prefix: &str| {
        let line_start = text[..a].rfind('\n').map_or(0, |i| i + 1);
        let block = &text[line_start..b];
        let prefixed: Vec<String> = block.split('\n').map(|l| format!("{prefix}{l}")).collect();
        let prefixed = prefixed.join("\n");
        let added = utf16_len(&prefixed) - utf16_len(block);
        let new = format!("{}{prefixed}{}", &text[..line_start], &text[b..]);
        (new, start + utf16_len(prefix), end + added)
    };
    match format {
        Format::Bold => wrap("**", "**", "bold"),
        Format::Italic => wrap("*", "*", "italic"),
        Format::Link => wrap("[", "](https://)", "link"),
        Format::Heading => prefix_lines("## "),
        Format::List => prefix_lines("- "),
        Format::Quote => prefix_lines("> "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_comes_through() {
        let html = render("# Hello\n\n**bold** and *italic*\n\n- one\n- two\n\n> quoted\n\n[site](https://example.com/a?b=1)");
        for part in [
            "<h1>Hello</h1>",
            "<strong>bold</strong>",
            "<em>italic</em>",
            "<li>one</li>",
            "<blockquote>",
            r#"<a href="https://example.com/a?b=1">site</a>"#,
        ] {
            assert!(html.contains(part), "{part} missing in {html}");
        }
    }

    #[test]
    fn html_in_markdown_is_inert_text() {
        let html = render(
            "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(2)> <b style=\"position:fixed\">x</b>\n\n<div onclick=\"alert(3)\">block</div>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:x",
            "/relative",
            "java%0ascript:alert(1)",
        ] {
            let html = render(&format!("[x]({bad}) ![y]({bad}) <{bad}>"));
            let hrefs: Vec<&str> = html
                .split("href=\"")
                .skip(1)
                .map(|rest| &rest[..rest.find('"').unwrap()])
                .collect();
            assert!(!hrefs.is_empty(), "{bad}: {html}");
            assert!(hrefs.iter().all(|h| *h == "#"), "{bad}: {html}");
            assert!(!html.contains("<img"), "{bad}: {html}");
        }
        let html = render("[mail](mailto:a@example.com) ![pic](https://example.com/p.png)");
        assert!(html.contains(r#"href="mailto:a@example.com""#), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com/p.png">pic</a>"#),
            "{html}"
        );
    }

    #[test]
    fn attribute_breakouts_are_escaped() {
        let html = render(r#"[x](https://example.com/"onmouseover="alert(1) "t")"#);
        assert!(!html.contains(r#"" onmouseover"#), "{html}");
        assert!(!html.contains(r#""onmouseover=""#), "{html}");
    }

    #[test]
    fn plain_text_drops_markup_and_is_cut() {
        assert_eq!(
            plain_text("# Hi\n\n**bold** <b>x</b> [a](https://e.com)", 100),
            "Hi bold <b>x</b> a"
        );
        assert_eq!(plain_text("one two three", 7), "one tw…");
    }

    #[test]
    fn toolbar_wraps_and_prefixes() {
        assert_eq!(
            apply_format("say hi now", 4, 6, Format::Bold),
            ("say **hi** now".into(), 6, 8)
        );
        assert_eq!(
            apply_format("ab", 2, 2, Format::Italic),
            ("ab*italic*".into(), 3, 9)
        );
        assert_eq!(
            apply_format("one\ntwo\nthree", 1, 5, Format::List),
            ("- one\n- two\nthree".into(), 3, 9)
        );
        assert_eq!(
            apply_format("x", 0, 1, Format::Link),
            ("[x](https://)".into(), 1, 2)
        );
        // Selections count UTF-16 units: "😀" is two of them.
        assert_eq!(
            apply_format("😀 hej", 3, 6, Format::Bold),
            ("😀 **hej**".into(), 5, 8)
        );
        assert_eq!(
            apply_format("a\nquote", 3, 3, Format::Quote),
            ("a\n> quote".into(), 5, 5)
        );
    }
}
