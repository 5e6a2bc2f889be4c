//! The blocked-word list reviewers see flagged on the board.

/// Blocked words found in a post, each once, in the list's order. Matching
/// is by whole word (or phrase), ignoring case, so "ass" does not flag
/// "class".
pub fn blocked_words_in(text: &str, blocked: &[String]) -> Vec<String> {
    let words = crate::points::words(text);
    blocked
        .iter()
        .filter(|entry| {
            let phrase = crate::points::words(entry);
            !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase.as_slice())
        })
        .cloned()
        .collect()
}

/// Cleans an admin's blocked-word list: one entry per line, trimmed, no
/// blanks or duplicates (ignoring case), at most `MAX_BLOCKED`.
pub fn parse_blocked(list: &str) -> Result<Vec<String>, crate::base::error::AppError> {
    let mut out: Vec<String> = Vec::new();
    for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > MAX_BLOCKED_LEN {
            return Err(crate::base::error::AppError::Invalid(
                crate::base::i18n::T::ErrBlockedWord,
            ));
        }
        if !out.iter().any(|w| w.eq_ignore_ascii_case(line)) {
            out.push(line.to_string());
        }
    }
    if out.len() > MAX_BLOCKED {
        return Err(crate::base::error::AppError::Invalid(
            crate::base::i18n::T::ErrBlockedWord,
        ));
    }
    Ok(out)
}

pub const MAX_BLOCKED: usize = 500;
pub const MAX_BLOCKED_LEN: usize = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_words_match_whole_words_and_phrases() {
        let list = vec![
            "guaranteed".to_string(),
            "ass".to_string(),
            "insider tip".to_string(),
        ];
        assert_eq!(
            blocked_words_in("A GUARANTEED return, our class act.", &list),
            ["guaranteed"]
        );
        assert_eq!(
            blocked_words_in("Here is an Insider  tip: buy.", &list),
            ["insider tip"]
        );
        assert!(blocked_words_in("insider; no tip", &list).is_empty());
        assert!(blocked_words_in("nothing here", &list).is_empty());
    }

    #[test]
    fn blocked_list_is_cleaned() {
        assert_eq!(
            parse_blocked("  spam \n\nSpam\nfree money\n").unwrap(),
            ["spam", "free money"]
        );
        assert!(parse_blocked(&"x".repeat(61)).is_err());
    }
}
