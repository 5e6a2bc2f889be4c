//! Which copy of a file to send, from the request's `Accept-Encoding`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` value, none for the file as it is.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }
}

/// Brotli when the client takes it and the copy exists (it is the smaller),
/// then gzip, else the file as it is. `q=0` refuses a coding; `*` stands for
/// any coding not named.
pub fn choose(accept: Option<&str>, have_br: bool, have_gz: bool) -> Encoding {
    let Some(accept) = accept else {
        return Encoding::Identity;
    };
    let mut br = None;
    let mut gz = None;
    let mut any = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        let ok = q > 0.0;
        match coding.as_str() {
            "br" => br = Some(ok),
            "gzip" | "x-gzip" => gz = Some(ok),
            "*" => any = Some(ok),
            _ => {}
        }
    }
    let takes = |named: Option<bool>| named.or(any).unwrap_or(false);
    if have_br && takes(br) {
        Encoding::Brotli
    } else if have_gz && takes(gz) {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Encoding::*;

    #[test]
    fn browsers_get_brotli_and_older_clients_gzip() {
        assert_eq!(choose(Some("gzip, deflate, br, zstd"), true, true), Brotli);
        assert_eq!(choose(Some("gzip, deflate"), true, true), Gzip);
        assert_eq!(choose(Some("br"), false, true), Identity);
        assert_eq!(choose(Some("gzip, br"), false, true), Gzip);
        assert_eq!(choose(None, true, true), Identity);
        assert_eq!(choose(Some(""), true, true), Identity);
        assert_eq!(choose(Some("identity"), true, true), Identity);
    }

    #[test]
    fn q_zero_refuses_and_star_stands_for_the_rest() {
        assert_eq!(choose(Some("br;q=0, gzip"), true, true), Gzip);
        assert_eq!(choose(Some("br; q=0.0, gzip;q=0"), true, true), Identity);
        assert_eq!(choose(Some("*"), true, true), Brotli);
        assert_eq!(choose(Some("*;q=0.5, br;q=0"), true, true), Gzip);
        assert_eq!(choose(Some("GZIP;Q=0.8"), true, true), Gzip);
    }
}
