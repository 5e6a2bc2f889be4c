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

#[cfg(test)]
mod tests {
    use super::render;

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
}
