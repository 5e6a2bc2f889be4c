//! A reward's delivery form (size, address, date wanted …: fields the admin
//! designs, each with a type, not free text in the description) and the
//! voucher codes an admin uploads. Plain rules, tested without I/O.

use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;

pub const MAX_FIELDS: usize = 10;
pub const MAX_LABEL: usize = 80;
pub const MAX_CHOICES: usize = 20;
pub const MAX_ANSWER: usize = 500;
pub const MAX_CODE: usize = 200;
pub const MAX_CODES: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldKind {
    /// One line (a size, a name).
    Text,
    /// Several lines (a postal address).
    Address,
    Number,
    /// A calendar date, as YYYY-MM-DD.
    Date,
    /// One of the admin's choices.
    Choice,
}

impl FieldKind {
    pub const ALL: [FieldKind; 5] = [
        FieldKind::Text,
        FieldKind::Address,
        FieldKind::Number,
        FieldKind::Date,
        FieldKind::Choice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Address => "address",
            FieldKind::Number => "number",
            FieldKind::Date => "date",
            FieldKind::Choice => "choice",
        }
    }

    pub fn parse(code: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            FieldKind::Text => T::FieldText,
            FieldKind::Address => T::FieldAddress,
            FieldKind::Number => T::FieldNumber,
            FieldKind::Date => T::FieldDate,
            FieldKind::Choice => T::FieldChoice,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryField {
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// For `Choice` only.
    pub choices: Vec<String>,
}

/// Trims and checks an admin's form design.
pub fn validate_fields(fields: &[DeliveryField]) -> Result<Vec<DeliveryField>, AppError> {
    if fields.len() > MAX_FIELDS {
        return Err(AppError::Invalid(T::ErrTooMany));
    }
    fields
        .iter()
        .map(|f| {
            let label = f.label.trim().to_string();
            if label.is_empty() {
                return Err(AppError::Invalid(T::ErrFieldLabel));
            }
            if label.chars().count() > MAX_LABEL {
                return Err(AppError::Invalid(T::ErrTooLong));
            }
            let choices: Vec<String> = if f.kind == FieldKind::Choice {
                let mut c: Vec<String> = Vec::new();
                for choice in f.choices.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
                    if choice.chars().count() > MAX_LABEL {
                        return Err(AppError::Invalid(T::ErrTooLong));
                    }
                    if !c.iter().any(|x| x == choice) {
                        c.push(choice.to_string());
                    }
                }
                if c.is_empty() || c.len() > MAX_CHOICES {
                    return Err(AppError::Invalid(T::ErrFieldChoices));
                }
                c
            } else {
                Vec::new()
            };
            Ok(DeliveryField {
                label,
                kind: f.kind,
                required: f.required,
                choices,
            })
        })
        .collect()
}

/// Checks a person's answers against the form, one per field in order;
/// returns them trimmed. An unanswered optional field is an empty string.
pub fn validate_answers(
    fields: &[DeliveryField],
    answers: &[String],
) -> Result<Vec<String>, AppError> {
    if answers.len() != fields.len() {
        return Err(AppError::Invalid(T::ErrAnswers));
    }
    fields
        .iter()
        .zip(answers)
        .map(|(field, answer)| {
            let answer = answer.trim();
            if answer.is_empty() {
                return if field.required {
                    Err(AppError::Invalid(T::ErrAnswerRequired))
                } else {
                    Ok(String::new())
                };
            }
            if answer.chars().count() > MAX_ANSWER
                || answer.chars().any(|c| c.is_control() && c != '\n')
            {
                return Err(AppError::Invalid(T::ErrAnswerInvalid));
            }
            let fits = match field.kind {
                FieldKind::Text => !answer.contains('\n'),
                FieldKind::Address => true,
                FieldKind::Number => answer.parse::<f64>().is_ok_and(f64::is_finite),
                FieldKind::Date => chrono::NaiveDate::parse_from_str(answer, "%Y-%m-%d").is_ok(),
                FieldKind::Choice => field.choices.iter().any(|c| c == answer),
            };
            if fits {
                Ok(answer.to_string())
            } else {
                Err(AppError::Invalid(T::ErrAnswerInvalid))
            }
        })
        .collect()
}

/// The voucher codes in CSV text: the first column of each row, trimmed;
/// a header row named "code" is skipped, blank rows too. Read with the `csv`
/// crate, as the people import is, so quoted codes with commas survive.
#[cfg(feature = "ssr")]
pub fn voucher_codes(text: &str) -> Result<Vec<String>, AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut codes = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| AppError::Invalid(T::ErrVoucherCsv))?;
        let code = record.get(0).unwrap_or("").trim();
        if code.is_empty() || (i == 0 && code.eq_ignore_ascii_case("code")) {
            continue;
        }
        if code.chars().count() > MAX_CODE || code.chars().any(char::is_control) {
            return Err(AppError::Invalid(T::ErrVoucherCsv));
        }
        codes.push(code.to_string());
    }
    if codes.is_empty() {
        return Err(AppError::Invalid(T::ErrVoucherNone));
    }
    if codes.len() > MAX_CODES {
        return Err(AppError::TooLarge(T::ErrTooMany));
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(label: &str, kind: FieldKind, required: bool, choices: &[&str]) -> DeliveryField {
        DeliveryField {
            label: label.into(),
            kind,
            required,
            choices: choices.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_form_design_is_trimmed_and_checked() {
        let good = validate_fields(&[field(
            " Size ",
            FieldKind::Choice,
            true,
            &["S", " M", "M", ""],
        )])
        .unwrap();
        assert_eq!(good[0].label, "Size");
        assert_eq!(good[0].choices, ["S", "M"]);
        assert!(validate_fields(&[field("Size", FieldKind::Choice, true, &[])]).is_err());
        assert!(validate_fields(&[field(" ", FieldKind::Text, true, &[])]).is_err());
        let text = validate_fields(&[field("Name", FieldKind::Text, true, &["ignored"])]).unwrap();
        assert!(text[0].choices.is_empty());
    }

    #[test]
    fn answers_fit_their_fields() {
        let form = [
            field("Size", FieldKind::Choice, true, &["S", "M"]),
            field("Address", FieldKind::Address, true, &[]),
            field("Wanted by", FieldKind::Date, false, &[]),
            field("Count", FieldKind::Number, false, &[]),
        ];
        let ok = |a: &[&str]| {
            validate_answers(&form, &a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            ok(&["M", " Storgatan 1\n111 22 Stockholm ", "", "2"]).unwrap(),
            ["M", "Storgatan 1\n111 22 Stockholm", "", "2"]
        );
        assert!(ok(&["XL", "a", "", ""]).is_err(), "not a choice");
        assert!(ok(&["M", "", "", ""]).is_err(), "required");
        assert!(ok(&["M", "a", "31/12/2027", ""]).is_err(), "not a date");
        assert!(
            ok(&["M", "a", "2027-12-31", "many"]).is_err(),
            "not a number"
        );
        assert!(ok(&["M", "a", ""]).is_err(), "one answer per field");
        assert!(ok(&["M", "a\u{7}", "", ""]).is_err(), "control characters");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn voucher_codes_come_from_the_first_column() {
        let codes =
            voucher_codes("\u{feff}code,valid until\nCINE-1,2027-06\n\n\"CINE,2\",x\n CINE-3 \n")
                .unwrap();
        assert_eq!(codes, ["CINE-1", "CINE,2", "CINE-3"]);
        assert!(voucher_codes("code\n\n").is_err());
        assert!(voucher_codes("").is_err());
    }
}
