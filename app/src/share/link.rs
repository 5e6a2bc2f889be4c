//! Tracked links: the short code at `/s/{code}`, and the destination with
//! UTM parameters the redirect sends a visitor to.

#[cfg(feature = "ssr")]
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// 62^12 ≈ 3·10^21 codes (71 bits): short enough to read, far too many to guess.
pub const CODE_LEN: usize = 12;

/// A new random code. Rejection sampling keeps every character equally likely.
#[cfg(feature = "ssr")]
pub fn new_code() -> String {
    use rand::RngCore;
    let mut rng = rand::rngs::OsRng;
    let mut code = String::with_capacity(CODE_LEN);
    while code.len() < CODE_LEN {
        let byte = (rng.next_u32() & 0xff) as u8;
        // 248 = 4 × 62: bytes at or above it would favour the first letters.
        if byte < 248 {
            code.push(ALPHABET[(byte % 62) as usize] as char);
        }
    }
    code
}

/// Cheap check before any lookup, so junk paths never reach the database.
pub fn is_valid_code(code: &str) -> bool {
    code.len() == CODE_LEN && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `destination` with `utm_source`, `utm_medium=employee_advocacy`,
/// `utm_campaign` and `utm_content` set (replacing any the link had), or
/// `None` when it is not an absolute http(s) URL.
#[cfg(feature = "ssr")]
pub fn with_utm(destination: &str, source: &str, campaign: &str, content: &str) -> Option<String> {
    let mut url = url::Url::parse(destination.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    {
        let mut query = url.query_pairs_mut();
        query.clear();
        for (k, v) in &kept {
            query.append_pair(k, v);
        }
        query
            .append_pair("utm_source", source)
            .append_pair("utm_medium", "employee_advocacy")
            .append_pair("utm_campaign", campaign)
            .append_pair("utm_content", content);
    }
    Some(url.into())
}

/// A URL-safe campaign name from a title: lower case, ASCII, dashes.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.trim().to_lowercase().chars() {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    out.chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Where the item links to, as people recognise it: the host without `www.`.
pub fn domain_of(url: &str) -> &str {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn codes_are_valid_distinct_and_use_the_whole_alphabet() {
        let mut seen = std::collections::HashSet::new();
        let mut chars = std::collections::HashSet::new();
        for _ in 0..2000 {
            let code = new_code();
            assert!(is_valid_code(&code), "{code}");
            chars.extend(code.chars());
            assert!(seen.insert(code));
        }
        assert_eq!(chars.len(), 62);
        assert!(!is_valid_code("short"));
        assert!(!is_valid_code("../../etc/pa"));
        assert!(!is_valid_code("ÅÄÖÅÄÖ"));
    }

    #[test]
    fn utm_parameters_are_added_and_replace_old_ones() {
        assert_eq!(
            with_utm("https://example.com/news?id=7&utm_source=old#top", "linkedin", "new-office", "Ab3dE6gH9jKm").unwrap(),
            "https://example.com/news?id=7&utm_source=linkedin&utm_medium=employee_advocacy&utm_campaign=new-office&utm_content=Ab3dE6gH9jKm#top"
        );
        assert_eq!(
            with_utm("http://example.com", "x", "c", "k").unwrap(),
            "http://example.com/?utm_source=x&utm_medium=employee_advocacy&utm_campaign=c&utm_content=k"
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://example.com/x",
            "/relative",
            "",
            "data:text/html,hi",
        ] {
            assert_eq!(with_utm(bad, "x", "c", "k"), None, "{bad}");
        }
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(
            slug("  Vårt nya kontor i Göteborg! "),
            "vart-nya-kontor-i-goteborg"
        );
        assert_eq!(slug("Q3 — results & outlook"), "q3-results-outlook");
        assert_eq!(slug("!!!"), "");
        assert!(slug(&"long title ".repeat(20)).len() <= 60);
    }

    #[test]
    fn domains_are_shown_without_www() {
        assert_eq!(domain_of("https://www.example.com/a?b"), "example.com");
        assert_eq!(domain_of("http://news.example.org#x"), "news.example.org");
    }
}
