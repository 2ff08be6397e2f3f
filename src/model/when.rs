//! The date language of content files: when something happened or was said ([`When`]),
//! at whatever precision the sources give ([`DateValue`]: a day, a month, a year, a day
//! without a year, a weekday, unknown), ranges, times of day, and the RFC 3339 edit times
//! of `updated` ([`Timestamp`]).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use super::HINT_SEPARATOR;
use super::values::{clock_minutes, looks_like_clock};

/// When something happened or was said, as precisely as the sources allow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct When {
    pub start: DateValue,
    /// The end of a range; `None` for a single day.
    pub end: Option<DateValue>,
    pub approximate: bool,
    pub basis: Basis,
    pub time: Option<String>,
    pub note: Option<String>,
}

/// Whether a date was stated by the sources or worked out by the briefing's authors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    Reported,
    Inferred,
}

/// A date at whatever precision the sources give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DateValue {
    Day {
        year: i32,
        month: u8,
        day: u8,
    },
    Month {
        year: i32,
        month: u8,
    },
    Year {
        year: i32,
    },
    /// Day and month with no year (ISO 8601 `--MM-DD`).
    MonthDay {
        month: u8,
        day: u8,
    },
    /// Monday = 0 … Sunday = 6.
    Weekday(u8),
    Unknown,
}

/// The weekdays, Monday first, as dates name them.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The months' English names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateValue {
    pub fn parse(text: &str) -> Result<DateValue, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("unknown") {
            return Ok(DateValue::Unknown);
        }
        if let Some(i) = WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(t)) {
            return Ok(DateValue::Weekday(i as u8));
        }
        let bad = || {
            format!(
                "`{t}` is not a date{HINT_SEPARATOR}write YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD (no year), a weekday such as Saturday, or unknown"
            )
        };
        let number = |s: &str, digits: usize| -> Result<u32, String> {
            if s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let month_ok = |m: u32| {
            if (1..=12).contains(&m) {
                Ok(m as u8)
            } else {
                Err(bad())
            }
        };
        let day_ok = |m: u8, d: u32, year: Option<i32>| {
            if d >= 1 && d <= u32::from(days_in_month(m, year)) {
                Ok(d as u8)
            } else {
                Err(format!(
                    "day {d} does not exist in {}{HINT_SEPARATOR}check the date against the source",
                    MONTHS[m as usize - 1]
                ))
            }
        };
        if let Some(rest) = t.strip_prefix("--") {
            let (m, d) = rest.split_once('-').ok_or_else(bad)?;
            let month = month_ok(number(m, 2)?)?;
            let day = day_ok(month, number(d, 2)?, None)?;
            return Ok(DateValue::MonthDay { month, day });
        }
        let parts: Vec<&str> = t.split('-').collect();
        match parts.as_slice() {
            [y] => Ok(DateValue::Year {
                year: number(y, 4)? as i32,
            }),
            [y, m] => Ok(DateValue::Month {
                year: number(y, 4)? as i32,
                month: month_ok(number(m, 2)?)?,
            }),
            [y, m, d] => {
                let year = number(y, 4)? as i32;
                let month = month_ok(number(m, 2)?)?;
                let day = day_ok(month, number(d, 2)?, Some(year))?;
                Ok(DateValue::Day { year, month, day })
            }
            _ => Err(bad()),
        }
    }

    /// The precision in words, shown next to dates on the site.
    pub fn precision(&self) -> &'static str {
        match self {
            DateValue::Day { .. } => "exact day",
            DateValue::Month { .. } => "month only",
            DateValue::Year { .. } => "year only",
            DateValue::MonthDay { .. } => "day and month, no year given",
            DateValue::Weekday(_) => "weekday only, no calendar date given",
            DateValue::Unknown => "not stated",
        }
    }

    /// Machine-readable form (ISO 8601 where one exists).
    pub fn iso(&self) -> String {
        // Written digit by digit: pages show thousands of dates, and `format!` costs more
        // than the date.
        let mut out = String::with_capacity(10);
        match *self {
            DateValue::Day { year, month, day } => {
                push_padded(&mut out, year, 4);
                out.push('-');
                push_padded(&mut out, month.into(), 2);
                out.push('-');
                push_padded(&mut out, day.into(), 2);
            }
            DateValue::Month { year, month } => {
                push_padded(&mut out, year, 4);
                out.push('-');
                push_padded(&mut out, month.into(), 2);
            }
            DateValue::Year { year } => push_padded(&mut out, year, 4),
            DateValue::MonthDay { month, day } => {
                out.push_str("--");
                push_padded(&mut out, month.into(), 2);
                out.push('-');
                push_padded(&mut out, day.into(), 2);
            }
            DateValue::Weekday(w) => out.push_str(WEEKDAYS[w as usize]),
            DateValue::Unknown => out.push_str("unknown"),
        }
        out
    }

    /// Appends the date as people read it ("5 March 2025"): what `Display` writes.
    pub fn push_label(&self, out: &mut String) {
        let month_name = |month: u8| MONTHS[month as usize - 1];
        match *self {
            DateValue::Day { year, month, day } => {
                push_padded(out, day.into(), 1);
                out.push(' ');
                out.push_str(month_name(month));
                out.push(' ');
                push_padded(out, year, 1);
            }
            DateValue::Month { year, month } => {
                out.push_str(month_name(month));
                out.push(' ');
                push_padded(out, year, 1);
            }
            DateValue::Year { year } => push_padded(out, year, 1),
            DateValue::MonthDay { month, day } => {
                push_padded(out, day.into(), 1);
                out.push(' ');
                out.push_str(month_name(month));
                out.push_str(" (year not given)");
            }
            DateValue::Weekday(w) => out.push_str(WEEKDAYS[w as usize]),
            DateValue::Unknown => out.push_str("date unknown"),
        }
    }

    /// A sort key: calendar dates in order, then day-month dates, then weekdays (assumed to
    /// fall in one week, Monday first), then unknown dates.
    pub fn sort_key(&self) -> (u8, i64) {
        match *self {
            DateValue::Day { year, month, day } => (
                0,
                i64::from(year) * 10_000 + i64::from(month) * 100 + i64::from(day),
            ),
            DateValue::Month { year, month } => {
                (0, i64::from(year) * 10_000 + i64::from(month) * 100)
            }
            DateValue::Year { year } => (0, i64::from(year) * 10_000),
            DateValue::MonthDay { month, day } => (1, i64::from(month) * 100 + i64::from(day)),
            DateValue::Weekday(w) => (2, i64::from(w)),
            DateValue::Unknown => (3, 0),
        }
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut label = String::with_capacity(32);
        self.push_label(&mut label);
        f.write_str(&label)
    }
}

/// Appends `n` in decimal with at least `width` digits (zeros in front), as
/// `format!("{n:0width$}")` writes it.
fn push_padded(out: &mut String, n: i32, width: usize) {
    if n < 0 {
        out.push('-');
    }
    let mut buf = [0; 20];
    let digits = crate::digits::decimal(n.unsigned_abs().into(), &mut buf);
    let pad = width.saturating_sub(digits.len() + usize::from(n < 0));
    out.extend(std::iter::repeat_n('0', pad));
    out.extend(digits.iter().map(|&d| char::from(d)));
}

/// Whether a range's `end` lies wholly before its `start`. Only calendar dates (day, month,
/// year) are compared: a range of weekdays or of days without a year may run across the
/// end of a week or year.
fn ends_before_start(start: &DateValue, end: &DateValue) -> bool {
    // The first and last day of a date's period, as YYYYMMDD numbers.
    let span = |d: &DateValue| match *d {
        DateValue::Day { year, month, day } => {
            let n = i64::from(year) * 10_000 + i64::from(month) * 100 + i64::from(day);
            Some((n, n))
        }
        DateValue::Month { year, month } => {
            let n = i64::from(year) * 10_000 + i64::from(month) * 100;
            Some((n + 1, n + 31))
        }
        DateValue::Year { year } => {
            let n = i64::from(year) * 10_000;
            Some((n + 101, n + 1231))
        }
        _ => None,
    };
    match (span(start), span(end)) {
        (Some((first, _)), Some((_, last))) => last < first,
        _ => false,
    }
}

fn days_in_month(month: u8, year: Option<i32>) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

impl When {
    /// "Saturday – Sunday", with "about" for approximate dates.
    pub fn label(&self) -> String {
        // Room for a one-date label ("17 September 2024"), so it is not copied to grow.
        let mut out = String::with_capacity(32);
        if self.approximate {
            out.push_str("about ");
        }
        self.start.push_label(&mut out);
        if let Some(end) = &self.end {
            out.push_str(" – ");
            end.push_label(&mut out);
        }
        if let Some(time) = &self.time {
            out.push_str(", ");
            out.push_str(time);
        }
        out
    }

    /// The precision of the start date, or "approximate".
    pub fn precision(&self) -> &'static str {
        if self.approximate {
            "approximate"
        } else {
            self.start.precision()
        }
    }

    pub fn is_inferred(&self) -> bool {
        self.basis == Basis::Inferred
    }

    pub fn sort_key(&self) -> (u8, i64) {
        self.start.sort_key()
    }

    /// The time of day in minutes after midnight, when `time` is a 24-hour `HH:MM` (free
    /// text such as "before dawn" has none). Orders entries within a day.
    pub fn time_of_day(&self) -> Option<u16> {
        self.time.as_deref().and_then(clock_minutes)
    }
}

/// The long, mapping form of a date in content files.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenFields {
    #[serde(default)]
    on: Option<String>,
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    approximate: bool,
    #[serde(default)]
    basis: Option<Basis>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_yaml::Value::deserialize(d)?;
        let fields = match value {
            serde_yaml::Value::String(s) => {
                // `2025-04-15T14:30`: a day and a time of day.
                let (on, time) = match s.split_once('T') {
                    Some((day, time)) if time.contains(':') => {
                        (day.to_string(), Some(time.to_string()))
                    }
                    _ => (s, None),
                };
                WhenFields {
                    on: Some(on),
                    start: None,
                    end: None,
                    approximate: false,
                    basis: None,
                    time,
                    note: None,
                }
            }
            other => serde_yaml::from_value(other).map_err(|e| {
                let message = e.to_string();
                D::Error::custom(match message.find(" at line ") {
                    Some(i) => message[..i].to_string(),
                    None => message,
                })
            })?,
        };
        let (start, end) = match (fields.on, fields.start, fields.end) {
            (Some(on), None, None) => (on, None),
            (None, Some(start), end) => (start, end),
            (Some(_), _, _) => {
                return Err(D::Error::custom(format!(
                    "a date has either `on` or `start`/`end`, not both{HINT_SEPARATOR}use `on` for one day, `start` and `end` for a range"
                )));
            }
            (None, None, _) => {
                return Err(D::Error::custom(format!(
                    "a date needs `on` (one day) or `start` (a range){HINT_SEPARATOR}for example `on: Saturday`"
                )));
            }
        };
        let start = DateValue::parse(&start).map_err(D::Error::custom)?;
        let end = end
            .map(|e| DateValue::parse(&e))
            .transpose()
            .map_err(D::Error::custom)?;
        if let Some(end) = &end
            && ends_before_start(&start, end)
        {
            return Err(D::Error::custom(format!(
                "the date range ends ({end}) before it starts ({start}){HINT_SEPARATOR}swap `start` and `end`, or check the dates against the source"
            )));
        }
        if let Some(time) = &fields.time
            && looks_like_clock(time)
            && clock_minutes(time).is_none()
        {
            return Err(D::Error::custom(format!(
                "`{time}` is not a time of day{HINT_SEPARATOR}write 24-hour HH:MM, e.g. time: \"14:30\" (or free text such as \"before dawn\")"
            )));
        }
        Ok(When {
            start,
            end,
            approximate: fields.approximate,
            basis: fields.basis.unwrap_or(Basis::Reported),
            time: fields.time,
            note: fields.note,
        })
    }
}

/// An RFC 3339 time of an edit to the briefing (`2026-11-21` or `2026-11-21T09:30:00Z`),
/// kept in its normalised RFC 3339 form so it sorts as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Timestamp(pub String);

impl Timestamp {
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let t = text.trim();
        let bad = || {
            format!(
                "`{t}` is not a timestamp{HINT_SEPARATOR}write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)"
            )
        };
        let (date, time) = match t.split_once('T') {
            Some((d, time)) => (d, Some(time)),
            None => (t, None),
        };
        match DateValue::parse(date) {
            Ok(DateValue::Day { .. }) => {}
            _ => return Err(bad()),
        }
        let time = match time {
            None => "00:00:00Z".to_string(),
            Some(time) => {
                let clock = time.strip_suffix('Z').ok_or_else(bad)?;
                let parts: Vec<&str> = clock.split(':').collect();
                let valid = parts.len() == 3
                    && parts
                        .iter()
                        .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
                    && parts[0] < "24"
                    && parts[1] < "60"
                    && parts[2] < "60";
                if !valid {
                    return Err(bad());
                }
                format!("{clock}Z")
            }
        };
        Ok(Timestamp(format!("{date}T{time}")))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_written_as_format_writes_them() {
        for n in [
            0,
            1,
            7,
            9,
            10,
            99,
            100,
            999,
            2025,
            9999,
            10000,
            -1,
            -12,
            -2025,
            i32::MAX,
            i32::MIN,
        ] {
            for width in [1, 2, 4] {
                let mut out = String::new();
                super::push_padded(&mut out, n, width);
                assert_eq!(out, format!("{n:0width$}"), "{n} {width}");
            }
        }
    }

    #[test]
    fn dates_parse_at_every_precision() {
        assert_eq!(
            DateValue::parse("2025-03-11"),
            Ok(DateValue::Day {
                year: 2025,
                month: 3,
                day: 11
            })
        );
        assert_eq!(DateValue::parse("saturday"), Ok(DateValue::Weekday(5)));
        assert_eq!(
            DateValue::parse("--02-02"),
            Ok(DateValue::MonthDay { month: 2, day: 2 })
        );
        assert!(DateValue::parse("2025-02-30").is_err());
        assert!(DateValue::parse("Satday").is_err());
        assert!(DateValue::parse("2025-13").is_err());
    }

    #[test]
    fn weekdays_sort_within_one_week() {
        let friday = DateValue::parse("Friday").unwrap();
        let sunday = DateValue::parse("Sunday").unwrap();
        assert!(friday.sort_key() < sunday.sort_key());
    }

    #[test]
    fn when_reads_short_and_long_forms() {
        let w: When = serde_yaml::from_str("Saturday").unwrap();
        assert_eq!(w.basis, Basis::Reported);
        let w: When = serde_yaml::from_str("{on: Sunday, basis: inferred, note: x}").unwrap();
        assert!(w.is_inferred());
        assert_eq!(w.start, DateValue::Weekday(6));
        let err = serde_yaml::from_str::<When>("{on: Sunday, start: Monday}").unwrap_err();
        assert!(err.to_string().contains("not both"));
    }

    #[test]
    fn timestamps_normalise_to_rfc3339() {
        assert_eq!(
            Timestamp::parse("2026-11-21").unwrap().0,
            "2026-11-21T00:00:00Z"
        );
        assert_eq!(
            Timestamp::parse("2026-11-21T09:30:00Z").unwrap().0,
            "2026-11-21T09:30:00Z"
        );
        assert!(Timestamp::parse("2026-11-21T25:00:00Z").is_err());
        assert!(Timestamp::parse("Saturday").is_err());
    }

    #[test]
    fn a_range_may_not_end_before_it_starts() {
        let err = serde_yaml::from_str::<When>("{start: 2025-03-12, end: 2025-03-10}").unwrap_err();
        assert!(
            err.to_string()
                .contains("ends (10 March 2025) before it starts"),
            "{err}"
        );
        // A month contains its days, and weekday ranges may run over the end of a week.
        assert!(serde_yaml::from_str::<When>("{start: 2025-03-12, end: 2025-03}").is_ok());
        assert!(serde_yaml::from_str::<When>("{start: Saturday, end: Monday}").is_ok());
        assert!(serde_yaml::from_str::<When>("{start: 2025, end: 2024-12}").is_err());
    }
}
