//! What motivates a person (issue 19): their own choice, in their own order,
//! seen by them, their managers and administrators only. Rewards are sorted
//! by it and a manager's recognition can fit the person.

use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Motivation {
    Training,
    TimeOff,
    Experiences,
    Things,
    Charity,
    Certificate,
    SignatureBadge,
    PublicRecognition,
    QuietRecognition,
}

impl Motivation {
    pub const ALL: [Motivation; 9] = [
        Motivation::Training,
        Motivation::TimeOff,
        Motivation::Experiences,
        Motivation::Things,
        Motivation::Charity,
        Motivation::Certificate,
        Motivation::SignatureBadge,
        Motivation::PublicRecognition,
        Motivation::QuietRecognition,
    ];

    /// The stored name (a comma-separated list in `people.motivations`).
    pub fn code(self) -> &'static str {
        match self {
            Motivation::Training => "training",
            Motivation::TimeOff => "time_off",
            Motivation::Experiences => "experiences",
            Motivation::Things => "things",
            Motivation::Charity => "charity",
            Motivation::Certificate => "certificate",
            Motivation::SignatureBadge => "signature_badge",
            Motivation::PublicRecognition => "public_recognition",
            Motivation::QuietRecognition => "quiet_recognition",
        }
    }

    pub fn parse(code: &str) -> Option<Motivation> {
        Motivation::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            Motivation::Training => T::MotivationTraining,
            Motivation::TimeOff => T::MotivationTimeOff,
            Motivation::Experiences => T::MotivationExperiences,
            Motivation::Things => T::MotivationThings,
            Motivation::Charity => T::MotivationCharity,
            Motivation::Certificate => T::MotivationCertificate,
            Motivation::SignatureBadge => T::MotivationSignatureBadge,
            Motivation::PublicRecognition => T::MotivationPublicRecognition,
            Motivation::QuietRecognition => T::MotivationQuietRecognition,
        }
    }
}

/// A person's motivations in their order, stored as "training,time_off".
/// Unknown names (a motivation removed in a later version) are skipped.
pub fn decode(stored: &str) -> Vec<Motivation> {
    let mut out = Vec::new();
    for m in stored
        .split(',')
        .filter_map(|c| Motivation::parse(c.trim()))
    {
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

pub fn encode(list: &[Motivation]) -> String {
    list.iter().map(|m| m.code()).collect::<Vec<_>>().join(",")
}

/// A chosen order: each motivation at most once.
pub fn validate(list: &[Motivation]) -> Result<Vec<Motivation>, AppError> {
    let mut out: Vec<Motivation> = Vec::with_capacity(list.len());
    for m in list {
        if out.contains(m) {
            return Err(AppError::Invalid(T::ErrMotivationTwice));
        }
        out.push(*m);
    }
    Ok(out)
}

/// Where `m` stands in a person's order (0 first); unchosen ones after all
/// chosen ones, so sorting by it puts what moves the person first.
pub fn rank(list: &[Motivation], m: Motivation) -> usize {
    list.iter().position(|x| *x == m).unwrap_or(list.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_order_survives_and_unknown_names_are_skipped() {
        let list = vec![
            Motivation::TimeOff,
            Motivation::Training,
            Motivation::Charity,
        ];
        assert_eq!(decode(&encode(&list)), list);
        assert_eq!(
            decode("charity,gold_bars,charity,training"),
            vec![Motivation::Charity, Motivation::Training]
        );
        assert_eq!(decode(""), vec![]);
    }

    #[test]
    fn each_motivation_once_and_ranked_by_its_place() {
        assert!(validate(&[Motivation::Things, Motivation::Things]).is_err());
        let list = validate(&[Motivation::Things, Motivation::Training]).unwrap();
        assert_eq!(rank(&list, Motivation::Things), 0);
        assert_eq!(rank(&list, Motivation::Training), 1);
        assert_eq!(rank(&list, Motivation::Charity), 2);
        for m in Motivation::ALL {
            assert_eq!(Motivation::parse(m.code()), Some(m));
        }
    }
}
