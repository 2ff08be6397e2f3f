//! Weekday anchors: `[dates]` in `site.toml` ties a weekday the sources name ("Tuesday") to
//! the calendar date the analysts know it to be (`Tuesday = "2025-04-15"`), so "Tuesday"
//! and "15 April 2025" are one day on the timeline and in every ordering.
//!
//! Anchoring rewrites each weekday-only date of the briefing (incident dates, publication
//! dates, `stated_on`) to its calendar day, marked inferred, with a note saying so; pages
//! then show it with the "inferred" badge like any date the analysts worked out.

use crate::model::{Basis, Briefing, DateValue, Figure, Incident, Source, WEEKDAYS, When};

/// The calendar day of each weekday that `[dates]` anchors, Monday first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Anchors {
    days: [Option<DateValue>; 7],
}

impl Anchors {
    /// Reads the `[dates]` table. Errors are "message" and "hint", and the key they concern.
    pub fn from_table(table: &toml::Table) -> Result<Anchors, (String, String, String)> {
        let mut anchors = Anchors::default();
        for (key, value) in table {
            let Some(w) = WEEKDAYS.iter().position(|d| d.eq_ignore_ascii_case(key)) else {
                let hint = crate::diagnostics::suggestion(key, "weekday", WEEKDAYS);
                return Err((
                    format!("`{key}` in [dates] is not a weekday"),
                    format!(
                        "{hint}; [dates] maps weekdays to dates, e.g. Tuesday = \"2025-04-15\""
                    ),
                    key.clone(),
                ));
            };
            // A TOML date (`Tuesday = 2025-04-15`) or a string.
            let text = match value {
                toml::Value::String(s) => s.clone(),
                toml::Value::Datetime(d) => d.to_string(),
                other => other.to_string(),
            };
            let day = match DateValue::parse(&text) {
                Ok(day @ DateValue::Day { .. }) => day,
                _ => {
                    return Err((
                        format!("`{text}` is not a calendar day"),
                        format!(
                            "write the day {key} fell on as YYYY-MM-DD, e.g. {key} = \"2025-04-15\""
                        ),
                        key.clone(),
                    ));
                }
            };
            if weekday_of(&day) != Some(w) {
                let actual = weekday_of(&day).map_or("?", |d| WEEKDAYS[d]);
                return Err((
                    format!("{text} is a {actual}, not a {}", WEEKDAYS[w]),
                    "check the date against a calendar: the weekday and the date must agree".into(),
                    key.clone(),
                ));
            }
            anchors.days[w] = Some(day);
        }
        Ok(anchors)
    }

    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Option::is_none)
    }

    /// Anchors every weekday-only date of the briefing.
    pub fn apply(&self, briefing: &mut Briefing) {
        if self.is_empty() {
            return;
        }
        briefing.sources.iter_mut().for_each(|s| self.source(s));
        briefing.incidents.iter_mut().for_each(|i| self.incident(i));
        briefing.figures.iter_mut().for_each(|f| self.figure(f));
    }

    pub fn source(&self, source: &mut Source) {
        if let Some(when) = &mut source.published {
            self.when(when);
        }
    }

    pub fn incident(&self, incident: &mut Incident) {
        self.when(&mut incident.date);
    }

    pub fn figure(&self, figure: &mut Figure) {
        for claim in &mut figure.claims {
            if let Some(when) = &mut claim.stated_on {
                self.when(when);
            }
        }
    }

    /// Replaces a weekday start (and end) with its anchored day, marked inferred.
    fn when(&self, when: &mut When) {
        let mut anchored = Vec::new();
        for date in std::iter::once(&mut when.start).chain(when.end.as_mut()) {
            if let DateValue::Weekday(w) = *date
                && let Some(day) = self.days[usize::from(w)]
            {
                anchored.push(format!("{} as {day}", WEEKDAYS[usize::from(w)]));
                *date = day;
            }
        }
        if anchored.is_empty() {
            return;
        }
        when.basis = Basis::Inferred;
        let said = format!(
            "The source gives a weekday; [dates] in site.toml anchors {}.",
            anchored.join(" and ")
        );
        when.note = Some(match when.note.take() {
            Some(note) => format!("{note} {said}"),
            None => said,
        });
    }
}

/// The weekday of a calendar day, Monday = 0 (days from 1970-01-01, a Thursday).
pub fn weekday_of(date: &DateValue) -> Option<usize> {
    let DateValue::Day { year, month, day } = *date else {
        return None;
    };
    // Howard Hinnant's days_from_civil.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days + 3).rem_euclid(7) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        text.parse().unwrap()
    }

    #[test]
    fn weekdays_of_known_days() {
        let day = |s| DateValue::parse(s).unwrap();
        assert_eq!(weekday_of(&day("2025-04-15")), Some(1)); // a Tuesday
        assert_eq!(weekday_of(&day("1970-01-01")), Some(3)); // a Thursday
        assert_eq!(weekday_of(&day("2000-02-29")), Some(1)); // a Tuesday
    }

    #[test]
    fn anchors_check_that_the_weekday_fits_the_date() {
        let anchors = Anchors::from_table(&table("Tuesday = \"2025-04-15\"")).unwrap();
        let mut when: When = serde_yaml::from_str("Tuesday").unwrap();
        anchors.when(&mut when);
        assert_eq!(when.start, DateValue::parse("2025-04-15").unwrap());
        assert!(when.is_inferred());
        assert!(
            when.note
                .unwrap()
                .contains("anchors Tuesday as 15 April 2025")
        );
        // A TOML date works too; a date on another weekday does not.
        assert!(Anchors::from_table(&table("tuesday = 2025-04-15")).is_ok());
        let err = Anchors::from_table(&table("Wednesday = \"2025-04-15\"")).unwrap_err();
        assert_eq!(err.0, "2025-04-15 is a Tuesday, not a Wednesday");
        let err = Anchors::from_table(&table("Tusday = \"2025-04-15\"")).unwrap_err();
        assert!(err.1.contains("did you mean `Tuesday`?"), "{err:?}");
    }
}
