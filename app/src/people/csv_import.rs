//! Reading a people CSV into checked rows, with a reason for every row that
//! cannot be imported. No I/O: the database checks come after.

use std::collections::HashSet;

use super::{valid_email, MAX_FIELD};
use crate::base::i18n::T;
use crate::base::session::Role;

pub const HEADER: [&str; 7] = [
    "email",
    "name",
    "title",
    "department",
    "team",
    "office",
    "roles",
];
pub const MAX_ROWS: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvPerson {
    pub row: usize,
    pub email: String,
    pub name: String,
    pub title: String,
    pub department: String,
    pub team: String,
    pub office: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRowError {
    pub row: usize,
    pub email: String,
    pub error: T,
}

/// `Err` when the file as a whole is unusable; otherwise the good rows and a
/// reason for each bad one.
pub fn parse(text: &str) -> Result<(Vec<CsvPerson>, Vec<CsvRowError>), T> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| T::ErrCsvHeader)?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if header.iter().map(String::as_str).ne(HEADER.iter().copied()) {
        return Err(T::ErrCsvHeader);
    }
    let mut people = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        if i >= MAX_ROWS {
            return Err(T::ErrCsvTooLarge);
        }
        let row = record
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i + 2, |p| p.line() as usize);
        let record = match record {
            Ok(r) if r.len() == HEADER.len() => r,
            Ok(r) if r.iter().all(str::is_empty) => continue,
            Ok(r) => {
                errors.push(CsvRowError {
                    row,
                    email: r.get(0).unwrap_or("").to_string(),
                    error: T::ErrCsvMalformed,
                });
                continue;
            }
            Err(_) => {
                errors.push(CsvRowError {
                    row,
                    email: String::new(),
                    error: T::ErrCsvMalformed,
                });
                continue;
            }
        };
        let field = |n: usize| record.get(n).unwrap_or("").to_string();
        let email = field(0).to_lowercase();
        let fail = |error| CsvRowError {
            row,
            email: email.clone(),
            error,
        };
        if !valid_email(&email) {
            errors.push(fail(T::ErrEmailInvalid));
            continue;
        }
        let name = field(1);
        if name.is_empty() {
            errors.push(fail(T::ErrNameRequired));
            continue;
        }
        if (1..6).any(|n| field(n).chars().count() > MAX_FIELD) {
            errors.push(fail(T::ErrTooLong));
            continue;
        }
        let roles: Option<Vec<Role>> = field(6)
            .split([';', '|'])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(Role::parse)
            .collect();
        let Some(mut roles) = roles else {
            errors.push(fail(T::ErrRoleUnknown));
            continue;
        };
        if roles.is_empty() {
            roles.push(Role::Employee);
        }
        roles.sort();
        roles.dedup();
        if !seen.insert(email.clone()) {
            errors.push(fail(T::ErrCsvDuplicate));
            continue;
        }
        people.push(CsvPerson {
            row,
            email,
            name,
            title: field(2),
            department: field(3),
            team: field(4),
            office: field(5),
            roles,
        });
    }
    if people.is_empty() && errors.is_empty() {
        return Err(T::ErrCsvEmpty);
    }
    Ok((people, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "email,name,title,department,team,office,roles\n";

    #[test]
    fn reads_good_rows_and_reports_each_bad_one() {
        let text = format!(
            "{HEAD}ann@x.se,Ann Ek,Engineer,Engineering,Platform,Stockholm,employee;reviewer\n\
             not-an-email,Bo,,,,,\n\
             cia@x.se,,,,,,\n\
             dan@x.se,Dan,,,,,wizard\n\
             ANN@x.se,Ann Again,,,,,\n\
             eva@x.se,\"Eva, Jr\",,Sales,,,\n\
             short,row\n"
        );
        let (people, errors) = parse(&text).unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].email, "ann@x.se");
        assert_eq!(people[0].roles, vec![Role::Employee, Role::Reviewer]);
        assert_eq!(people[0].team, "Platform");
        assert_eq!(people[1].name, "Eva, Jr");
        assert_eq!(people[1].roles, vec![Role::Employee]);
        let got: Vec<(usize, T)> = errors.iter().map(|e| (e.row, e.error)).collect();
        assert_eq!(
            got,
            vec![
                (3, T::ErrEmailInvalid),
                (4, T::ErrNameRequired),
                (5, T::ErrRoleUnknown),
                (6, T::ErrCsvDuplicate),
                (8, T::ErrCsvMalformed),
            ]
        );
    }

    #[test]
    fn rejects_files_that_are_not_people_lists() {
        assert_eq!(parse("name,email\nAnn,ann@x.se\n"), Err(T::ErrCsvHeader));
        assert_eq!(parse(""), Err(T::ErrCsvHeader));
        assert_eq!(parse(HEAD), Err(T::ErrCsvEmpty));
        let big: String = (0..=MAX_ROWS)
            .map(|i| format!("p{i}@x.se,P{i},,,,,\n"))
            .collect();
        assert_eq!(parse(&format!("{HEAD}{big}")), Err(T::ErrCsvTooLarge));
    }

    #[test]
    fn accepts_a_byte_order_mark_and_upper_case_header() {
        let text =
            "\u{feff}EMAIL,Name,Title,Department,Team,Office,Roles\r\nann@x.se,Ann,,,,,admin\r\n";
        let (people, errors) = parse(text).unwrap();
        assert!(errors.is_empty());
        assert_eq!(people[0].roles, vec![Role::Admin]);
    }
}
