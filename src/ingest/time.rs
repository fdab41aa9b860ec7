//! Timestamp recognition and anchoring for pasted incident text.
//!
//! Stage: **ingest**. Input: the lines of a paste (log excerpts, chat
//! transcripts, timelines). Output: the moments those lines state — low-level
//! [`Stamp`]s per line from [`find_stamps`], and one anchored [`Moment`] per
//! line from [`resolve`]. No I/O: nothing here reads the clock, the
//! environment or the filesystem. The one exception is [`parse_zone`], a
//! constructor the caller invokes for `--tz`, which may look the name up in
//! the system time zone database through `jiff::tz::TimeZone::get`.
//!
//! Scanning is a single left-to-right pass over the bytes of a line; parsers
//! are only attempted at word starts whose first byte can begin a stamp (a
//! digit, or the first letter of a month, weekday or glog level), and every
//! attempt looks at a bounded number of bytes. No regular expressions.
//!
//! # Choices
//!
//! * **Leap seconds**: `23:59:60` is accepted and read as `23:59:59` (the
//!   fraction, if any, is kept), like jiff's own RFC 3339 parser.
//! * **Year-less stamps** (syslog `Nov 22 14:02:11`, glog `I0529 14:02:11`,
//!   `Apr 30 00:10 UTC`): [`find_stamps`] reports them as [`Raw::Time`], since
//!   without a year no date can be built. [`resolve`] keeps the month and day:
//!   with an anchor date it takes the year (anchor year ±1) that puts the stamp
//!   closest to the current date and treats it as a full date; with no anchor
//!   the result is a [`Moment::TimeOfDay`] whose day counter advances by the
//!   month/day change.
//! * **Zone abbreviations**: UTC/GMT/Z 0, EST −5, EDT −4, CST −6 (US Central,
//!   not China), CDT −5, MST −7, MDT −6, PST −8, PDT −7, AKST −9, AKDT −8,
//!   HST −10, WET 0, WEST +1, CET +1, CEST +2, BST +1 (British Summer Time),
//!   EET +2, EEST +3, MSK +3, IST +5:30 (India, not Ireland or Israel), SGT +8,
//!   JST +9, KST +9, AEST +10, AEDT +11, NZST +12, NZDT +13. Inside stamps
//!   they must be written in capitals.
//! * **US regional zones** (`ET`, `CT`, `MT`, `PT`, "Eastern", "US Pacific",
//!   …) follow the US daylight-saving rule (second Sunday of March to first
//!   Sunday of November, the rule in force since 2007, applied to every year),
//!   evaluated at the stamp's own date. A bare time-of-day with such a zone
//!   and no date has no fixed offset, so [`find_stamps`] reports it with
//!   `offset: None`.
//! * **Numeric offsets** glued to a time (`14:02:11-05:00`) need seconds or an
//!   ISO `T` separator, so that `10:00-11:00` stays a range of two times.
//! * **Epoch numbers** (10-digit seconds, optionally with a fraction, or
//!   13-digit milliseconds) count only at the start of a line or as the value
//!   of a key `ts`, `time`, `timestamp`, `@timestamp`, `t` or `date`, and only
//!   for instants in the years 2001–2099.
//! * **12-hour clocks**: `AM`/`PM` (also `a.m.`) is honoured for hours 1–12
//!   only; `13:00 PM` is read as 13:00 and the marker left out of the span.
//! * **Numeric dates**: `a/b/yyyy` is read month-first or day-first per
//!   [`DateOrder`], falling back to the other reading when only that one is a
//!   valid date (`25/12/2026`). `dd.mm.yyyy` is always day-first. `yyyy/mm/dd`
//!   and `yyyy-mm-dd` are always year-month-day. Years 1900–2199 only.
//! * **Declared zones**: the first declaration found anywhere in the paste
//!   applies to every line. Besides abbreviations, offsets and the US regional
//!   names, a small built-in table of common IANA names (`Europe/Oslo`,
//!   `America/New_York`, …) is understood without a tz database; other IANA
//!   names are reported in [`Resolved::declared_zone`] but not applied (the
//!   caller may pass that text to [`parse_zone`] and resolve again). Only
//!   lines of at most 300 bytes are considered; a line that also holds a
//!   time counts only with a keyword phrase ("times in …", "tz=…"), not with
//!   a bare "(UTC)" or "UTC times".
//! * **Anchoring state**: on each line, date-only stamps before the line's
//!   first time re-anchor; the first timed stamp is the line's moment and
//!   drives the rollover state; later stamps on the line are ignored, so
//!   "23:50 restart scheduled for 00:30" does not move the timeline a day.
//!   Times with an explicit date also count as the "previous time" for
//!   midnight rollover. Instants are converted into the paste's zone to find
//!   the date they anchor.
//! * **Time-of-day mode** (no date anywhere): a time with an explicit fixed
//!   offset is shifted into the paste's zone when that zone is a fixed offset,
//!   otherwise kept as written.
//! * **Not recognised**: two-digit years (`6/2/26` yields only its time),
//!   hours without minutes (`9am`), `14h02`, `yyyy.mm.dd`, compact ISO
//!   (`20260430T001005Z`).

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

static LEADING_TIME: std::sync::LazyLock<crate::re::Light> = std::sync::LazyLock::new(|| {
    crate::re::light(
        r"^\[?\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*(?:UTC|Z))?\]?\s*(?:[-—–|:]\s+)?",
    )
    .expect("valid")
});

/// `s` without a time of day it starts with (`03:00  purge run` → `purge run`), where the
/// time is shown beside it already.
pub fn strip_leading_time(s: &str) -> &str {
    let t = s.trim_start();
    match LEADING_TIME.find(t) {
        Some(m) if m.end() < t.len() => t[m.end()..].trim_start(),
        _ => t,
    }
}

const DAY_SECS: i64 = 86_400;
const HALF_DAY_SECS: i32 = 43_200;

/// How an all-numeric date like 6/2/2026 is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateOrder {
    /// Month first: 6/2/2026 is June 2 (US).
    #[default]
    Mdy,
    /// Day first: 6/2/2026 is February 6 (most of the world).
    Dmy,
}

/// Settings for reading times.
#[derive(Clone, Debug)]
pub struct TimeSettings {
    /// How ambiguous all-numeric dates are read.
    pub date_order: DateOrder,
    /// Zone of times written without one, unless the paste declares its own.
    pub tz: TimeZone,
}

impl Default for TimeSettings {
    fn default() -> Self {
        TimeSettings {
            date_order: DateOrder::Mdy,
            tz: TimeZone::UTC,
        }
    }
}

/// A resolved point in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Moment {
    /// A full instant (the paste gave or implied a date).
    At(Timestamp),
    /// A time of day in a paste that gives no date anywhere; `day` counts
    /// midnight rollovers from the first time seen.
    TimeOfDay {
        /// Midnight rollovers since the first time seen.
        day: u16,
        /// Seconds since midnight, 0..86400.
        secs: u32,
    },
}

impl Moment {
    /// Seconds usable for ordering and differences (At: unix seconds;
    /// TimeOfDay: day*86400+secs).
    pub fn key(&self) -> i64 {
        match *self {
            Moment::At(ts) => ts.as_second(),
            Moment::TimeOfDay { day, secs } => i64::from(day) * DAY_SECS + i64::from(secs),
        }
    }

    /// Minutes between two moments (other - self, truncated toward zero),
    /// None if kinds differ.
    pub fn minutes_until(&self, other: &Moment) -> Option<i64> {
        match (self, other) {
            (Moment::At(_), Moment::At(_))
            | (Moment::TimeOfDay { .. }, Moment::TimeOfDay { .. }) => {
                Some(other.key().saturating_sub(self.key()) / 60)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Moment {
    /// `At` as RFC 3339 in UTC (`2026-06-02T14:02:00Z`, with `.mmm` only when
    /// the milliseconds are nonzero); `TimeOfDay` as `14:02:00`, plus
    /// ` (+1d)` when `day > 0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Moment::At(ts) => {
                let dt = Offset::UTC.to_datetime(ts);
                write!(
                    f,
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    dt.year(),
                    dt.month(),
                    dt.day(),
                    dt.hour(),
                    dt.minute(),
                    dt.second()
                )?;
                let ms = dt.subsec_nanosecond() / 1_000_000;
                if ms != 0 {
                    write!(f, ".{ms:03}")?;
                }
                f.write_str("Z")
            }
            Moment::TimeOfDay { day, secs } => {
                write!(
                    f,
                    "{:02}:{:02}:{:02}",
                    secs / 3600,
                    secs / 60 % 60,
                    secs % 60
                )?;
                if day > 0 {
                    write!(f, " (+{day}d)")?;
                }
                Ok(())
            }
        }
    }
}

/// Short form for human text: At -> "14:02 UTC" (add date
/// "2026-06-02 14:02 UTC" only when `with_date`); TimeOfDay -> "14:02"
/// (with `with_date` and a day counter above zero: "14:02 (+1d)").
pub fn short(m: &Moment, with_date: bool) -> String {
    match *m {
        Moment::At(ts) => {
            let dt = Offset::UTC.to_datetime(ts);
            if with_date {
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                    dt.year(),
                    dt.month(),
                    dt.day(),
                    dt.hour(),
                    dt.minute()
                )
            } else {
                format!("{:02}:{:02} UTC", dt.hour(), dt.minute())
            }
        }
        Moment::TimeOfDay { day, secs } => {
            let hm = format!("{:02}:{:02}", secs / 3600, secs / 60 % 60);
            if with_date && day > 0 {
                format!("{hm} (+{day}d)")
            } else {
                hm
            }
        }
    }
}

/// One timestamp found in a line: byte span and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Stamp {
    /// Byte offset of the first byte of the stamp (always a char boundary).
    pub start: usize,
    /// Byte offset just past the stamp (always a char boundary).
    pub end: usize,
    /// What the stamp says.
    pub raw: Raw,
}

/// What a stamp says, before anchoring.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    /// The text fixes the instant (zone/offset given, or epoch).
    Instant(Timestamp),
    /// Date + time, no zone.
    Civil(DateTime),
    /// A date alone (e.g. a header "2026-04-30" or "Apr 30, 2026").
    Date(Date),
    /// Time of day, maybe with a zone (also used for year-less stamps such as
    /// syslog's `Nov 22 14:02:11`; see the module docs).
    Time {
        /// The time of day as written (24-hour).
        time: Time,
        /// The fixed offset written with it, if any.
        offset: Option<Offset>,
    },
}

/// All timestamps in a line, left to right, non-overlapping (prefer the
/// longest match at a position).
pub fn find_stamps(line: &str, s: &TimeSettings) -> Vec<Stamp> {
    let mut hits = Vec::new();
    scan(line.as_bytes(), s.date_order, &mut hits);
    hits.into_iter()
        .map(|h| Stamp {
            start: h.start,
            end: h.end,
            raw: h.when.raw(),
        })
        .collect()
}

/// The result of resolving a whole paste.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// For each input line, the first time it states, anchored (None if the
    /// line states no time).
    pub per_line: Vec<Option<Moment>>,
    /// The date the paste is anchored to, if it states one anywhere.
    pub anchor_date: Option<Date>,
    /// The zone the paste declares for bare times ("all times UTC", "times in
    /// US Eastern", "(CST)"), if any, as text.
    pub declared_zone: Option<String>,
    /// Byte spans of every stamp, line after line (see [`Resolved::stamps`]).
    spans: Vec<(usize, usize)>,
    /// For each line, its range in `spans`.
    ranges: Vec<(usize, usize)>,
    /// The paste's zone for bare times, and the date order, to read a line again.
    pz: TimeZone,
    order: DateOrder,
}

impl Resolved {
    /// The byte spans of the stamps on line `i` (0-based), in order: what [`find_stamps`]
    /// finds there, without scanning again.
    pub fn stamps(&self, i: usize) -> &[(usize, usize)] {
        self.ranges
            .get(i)
            .map_or(&[][..], |&(a, b)| &self.spans[a..b])
    }

    /// The earlier time line `i` (0-based) gives for what it reports, after its own stamp:
    /// "11:07  helm history: rev 57 at 10:53 AM ET" was stamped 11:07 but says the change
    /// happened at 10:53. Only a bare time after "at" / "@", no later than the line's own time
    /// (a later one is usually another event), on the line's date (or the day before, when
    /// the line is just after midnight).
    pub fn stated_at(&self, i: usize, line: &str) -> Option<Moment> {
        let first = self.per_line.get(i).copied().flatten()?;
        let b = line.as_bytes();
        let mut hits = Vec::new();
        scan(b, self.order, &mut hits);
        let (time, zone) = hits.iter().skip(1).find_map(|h| match h.when {
            When::Time(t, z) if after_at(b, h.start) => Some((t, z)),
            _ => None,
        })?;
        let stated = self.near(first, time, zone)?;
        (stated.key() <= first.key()).then_some(stated)
    }

    /// The first bare time line `i` (0-based) states after its own stamp that is later than it:
    /// "deploy v5.2 at 09:10, 502s since 09:14" gives 09:14 (within the next 12 hours).
    pub fn later_at(&self, i: usize, line: &str) -> Option<Moment> {
        let first = self.per_line.get(i).copied().flatten()?;
        let mut hits = Vec::new();
        scan(line.as_bytes(), self.order, &mut hits);
        hits.iter().skip(1).find_map(|h| match h.when {
            When::Time(t, z) => self.near(first, t, z).filter(|m| m.key() > first.key()),
            _ => None,
        })
    }

    /// A bare time of day read near `first` (on its day, or the day before when that is
    /// closer: no more than 12 hours after it).
    fn near(&self, first: Moment, time: Time, zone: Option<Zone>) -> Option<Moment> {
        let day = i64::from(HALF_DAY_SECS) * 2;
        let stated = match first {
            Moment::At(ts) => {
                let date = self.pz.to_datetime(ts).date();
                let at = match zone {
                    Some(z) => z.to_timestamp(date.to_datetime(time)),
                    None => civil_to_ts(&self.pz, date.to_datetime(time)),
                }?;
                let mut secs = at.as_second();
                if secs > ts.as_second() + i64::from(HALF_DAY_SECS) {
                    secs -= day;
                }
                Moment::At(Timestamp::from_second(secs).ok()?)
            }
            Moment::TimeOfDay { day: d, secs } => {
                let pz_fixed = self.pz.to_fixed_offset().ok();
                let time = match (zone.and_then(Zone::fixed), pz_fixed) {
                    (Some(zo), Some(pf)) => {
                        time_from_secs(secs_of(time) - zo.seconds() + pf.seconds(), 0)
                            .unwrap_or(time)
                    }
                    _ => time,
                };
                let t = u32::try_from(secs_of(time)).ok()?;
                if t > secs + HALF_DAY_SECS as u32 {
                    Moment::TimeOfDay {
                        day: d.checked_sub(1)?,
                        secs: t,
                    }
                } else {
                    Moment::TimeOfDay { day: d, secs: t }
                }
            }
        };
        Some(stated)
    }
}

/// Is the stamp at `start` introduced by "at" or "@" ("shipped at 1:55 PM")?
fn after_at(b: &[u8], start: usize) -> bool {
    let head = b[..start].trim_ascii_end();
    head.ends_with(b"@")
        || (head.len() >= 2
            && head[head.len() - 2..].eq_ignore_ascii_case(b"at")
            && (head.len() == 2 || !head[head.len() - 3].is_ascii_alphanumeric()))
}

/// Resolve every line's first time.
///
/// Times without a date are anchored to the paste's date (the first date
/// stated anywhere in the paste, header or stamp; a later explicit date
/// re-anchors following lines). Times without a zone use a zone the paste
/// declares for itself (a line like "times UTC", "all times are US Eastern",
/// "(times in CST)" or a header), else `settings.tz`. Midnight rollover: while
/// walking lines in order, a bare time more than 12 h earlier than the
/// previous time on the same anchor date moves to the next day. With no date
/// anywhere, results are [`Moment::TimeOfDay`] (never a date from the clock).
pub fn resolve(lines: &[&str], s: &TimeSettings) -> Resolved {
    let mut hits: Vec<Hit> = Vec::new();
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(lines.len());
    let mut declared: Option<(String, Option<Zone>)> = None;
    for line in lines {
        let first = hits.len();
        scan(line.as_bytes(), s.date_order, &mut hits);
        if declared.is_none() {
            let timed = hits[first..]
                .iter()
                .any(|h| !matches!(h.when, When::Date(_)));
            declared = declaration(line, timed);
        }
        ranges.push((first, hits.len()));
    }
    let pz = declared
        .as_ref()
        .and_then(|d| d.1)
        .and_then(Zone::time_zone)
        .unwrap_or_else(|| s.tz.clone());
    let anchor = hits.iter().find_map(|h| h.when.stated_date(&pz));
    let per_line = match anchor {
        Some(a) => walk_anchored(&hits, &ranges, a, &pz),
        None => walk_time_of_day(&hits, &ranges, &pz),
    };
    Resolved {
        per_line,
        anchor_date: anchor,
        declared_zone: declared.map(|d| d.0),
        spans: hits.iter().map(|h| (h.start, h.end)).collect(),
        ranges,
        pz,
        order: s.date_order,
    }
}

/// Parse a zone name for --tz: IANA names ("Europe/Oslo", "UTC") and fixed
/// offsets ("+02:00", "-0500", "UTC+2"); error text if unknown.
///
/// Looks the name up with `TimeZone::get` (the system tz database, when jiff
/// is built with one); failing that, uses a built-in table of common IANA
/// names, the zone abbreviations listed in the module docs, the US regional
/// names (`ET`, "US Eastern", …) and finally POSIX TZ strings (`EST5EDT`).
pub fn parse_zone(name: &str) -> Result<TimeZone, String> {
    let t = name.trim();
    if t.is_empty() {
        return Err("empty time zone name".to_string());
    }
    let b = t.as_bytes();
    if b.eq_ignore_ascii_case(b"utc") || b.eq_ignore_ascii_case(b"gmt") || b == b"Z" {
        return Ok(TimeZone::UTC);
    }
    if let Some(Zone::Fixed(off)) = offset_token(b) {
        return Ok(TimeZone::fixed(off));
    }
    if let Ok(tz) = TimeZone::get(t) {
        return Ok(tz);
    }
    let builtin = builtin_zone(t).or_else(|| {
        let words: Vec<(usize, usize)> = tokens(b);
        match zone_words(b, &words, 0) {
            Some((Some(z), n)) if n == words.len() => Some(z),
            _ => None,
        }
    });
    if let Some(tz) = builtin.and_then(Zone::time_zone) {
        return Ok(tz);
    }
    if let Ok(tz) = TimeZone::posix(t) {
        return Ok(tz);
    }
    Err(format!(
        "unknown time zone {t:?}: expected an IANA name such as \"Europe/Oslo\" or \"UTC\", \
         or a fixed offset such as \"+02:00\""
    ))
}

// ---------------------------------------------------------------------------
// Zones
// ---------------------------------------------------------------------------

const US_EASTERN: &str = "EST5EDT,M3.2.0,M11.1.0";
const US_CENTRAL: &str = "CST6CDT,M3.2.0,M11.1.0";
const US_MOUNTAIN: &str = "MST7MDT,M3.2.0,M11.1.0";
const US_PACIFIC: &str = "PST8PDT,M3.2.0,M11.1.0";
const EU_WESTERN: &str = "WET0WEST,M3.5.0/1,M10.5.0";
const EU_CENTRAL: &str = "CET-1CEST,M3.5.0,M10.5.0/3";
const EU_EASTERN: &str = "EET-2EEST,M3.5.0/3,M10.5.0/4";
const UK: &str = "GMT0BST,M3.5.0/1,M10.5.0";
const AU_EASTERN: &str = "AEST-10AEDT,M10.1.0,M4.1.0/3";

/// Common IANA names understood without a tz database, as POSIX TZ rules.
const BUILTIN_ZONES: &[(&str, &str)] = &[
    ("UTC", "UTC0"),
    ("Etc/UTC", "UTC0"),
    ("Etc/GMT", "UTC0"),
    ("GMT", "UTC0"),
    ("Universal", "UTC0"),
    ("Zulu", "UTC0"),
    ("America/New_York", US_EASTERN),
    ("US/Eastern", US_EASTERN),
    ("America/Detroit", US_EASTERN),
    ("America/Toronto", US_EASTERN),
    ("America/Chicago", US_CENTRAL),
    ("US/Central", US_CENTRAL),
    ("America/Denver", US_MOUNTAIN),
    ("US/Mountain", US_MOUNTAIN),
    ("America/Phoenix", "MST7"),
    ("America/Los_Angeles", US_PACIFIC),
    ("US/Pacific", US_PACIFIC),
    ("America/Vancouver", US_PACIFIC),
    ("America/Anchorage", "AKST9AKDT,M3.2.0,M11.1.0"),
    ("Pacific/Honolulu", "HST10"),
    ("America/Sao_Paulo", "<-03>3"),
    ("Europe/London", UK),
    ("Europe/Dublin", "GMT0IST,M3.5.0/1,M10.5.0"),
    ("Europe/Lisbon", EU_WESTERN),
    ("Europe/Amsterdam", EU_CENTRAL),
    ("Europe/Berlin", EU_CENTRAL),
    ("Europe/Brussels", EU_CENTRAL),
    ("Europe/Budapest", EU_CENTRAL),
    ("Europe/Copenhagen", EU_CENTRAL),
    ("Europe/Madrid", EU_CENTRAL),
    ("Europe/Oslo", EU_CENTRAL),
    ("Europe/Paris", EU_CENTRAL),
    ("Europe/Prague", EU_CENTRAL),
    ("Europe/Rome", EU_CENTRAL),
    ("Europe/Stockholm", EU_CENTRAL),
    ("Europe/Vienna", EU_CENTRAL),
    ("Europe/Warsaw", EU_CENTRAL),
    ("Europe/Zurich", EU_CENTRAL),
    ("Europe/Athens", EU_EASTERN),
    ("Europe/Bucharest", EU_EASTERN),
    ("Europe/Helsinki", EU_EASTERN),
    ("Europe/Kiev", EU_EASTERN),
    ("Europe/Kyiv", EU_EASTERN),
    ("Europe/Sofia", EU_EASTERN),
    ("Europe/Istanbul", "<+03>-3"),
    ("Europe/Moscow", "MSK-3"),
    ("Asia/Dubai", "<+04>-4"),
    ("Asia/Kolkata", "IST-5:30"),
    ("Asia/Calcutta", "IST-5:30"),
    ("Asia/Singapore", "<+08>-8"),
    ("Asia/Shanghai", "CST-8"),
    ("Asia/Hong_Kong", "HKT-8"),
    ("Asia/Tokyo", "JST-9"),
    ("Asia/Seoul", "KST-9"),
    ("Australia/Perth", "AWST-8"),
    ("Australia/Brisbane", "AEST-10"),
    ("Australia/Sydney", AU_EASTERN),
    ("Australia/Melbourne", AU_EASTERN),
    ("Pacific/Auckland", "NZST-12NZDT,M9.5.0,M4.1.0/3"),
];

/// A zone as written in a paste.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Zone {
    /// A fixed offset (`+02:00`, `UTC`, `CEST`).
    Fixed(Offset),
    /// A daylight-saving rule, as a POSIX TZ string (`ET`, "Europe/Oslo").
    Rule(&'static str),
}

impl Zone {
    fn fixed(self) -> Option<Offset> {
        match self {
            Zone::Fixed(off) => Some(off),
            Zone::Rule(_) => None,
        }
    }

    fn time_zone(self) -> Option<TimeZone> {
        match self {
            Zone::Fixed(off) => Some(TimeZone::fixed(off)),
            Zone::Rule(posix) => TimeZone::posix(posix).ok(),
        }
    }

    fn to_timestamp(self, dt: DateTime) -> Option<Timestamp> {
        match self {
            Zone::Fixed(off) => off.to_timestamp(dt).ok(),
            Zone::Rule(_) => civil_to_ts(&self.time_zone()?, dt),
        }
    }
}

fn civil_to_ts(tz: &TimeZone, dt: DateTime) -> Option<Timestamp> {
    tz.to_ambiguous_timestamp(dt).compatible().ok()
}

fn hm_zone(hours: i32, minutes: i32) -> Option<Zone> {
    Offset::from_seconds(hours * 3600 + hours.signum() * minutes * 60)
        .ok()
        .map(Zone::Fixed)
}

/// A zone abbreviation (capitals) to its zone.
fn abbrev_zone(w: &[u8]) -> Option<Zone> {
    let (h, m) = match w {
        b"UTC" | b"GMT" | b"UT" | b"Z" | b"WET" => (0, 0),
        b"EST" | b"CDT" => (-5, 0),
        b"EDT" => (-4, 0),
        b"CST" | b"MDT" => (-6, 0),
        b"MST" | b"PDT" => (-7, 0),
        b"PST" | b"AKDT" => (-8, 0),
        b"AKST" => (-9, 0),
        b"HST" => (-10, 0),
        b"CET" | b"BST" | b"WEST" => (1, 0),
        b"CEST" | b"EET" => (2, 0),
        b"EEST" | b"MSK" => (3, 0),
        b"IST" => (5, 30),
        b"SGT" => (8, 0),
        b"JST" | b"KST" => (9, 0),
        b"AEST" => (10, 0),
        b"AEDT" => (11, 0),
        b"NZST" => (12, 0),
        b"NZDT" => (13, 0),
        b"ET" => return Some(Zone::Rule(US_EASTERN)),
        b"CT" => return Some(Zone::Rule(US_CENTRAL)),
        b"MT" => return Some(Zone::Rule(US_MOUNTAIN)),
        b"PT" => return Some(Zone::Rule(US_PACIFIC)),
        _ => return None,
    };
    hm_zone(h, m)
}

/// "eastern", "central", … to the US rule.
fn region(w: &[u8]) -> Option<&'static str> {
    [
        (&b"eastern"[..], US_EASTERN),
        (b"central", US_CENTRAL),
        (b"mountain", US_MOUNTAIN),
        (b"pacific", US_PACIFIC),
    ]
    .iter()
    .find(|(n, _)| w.eq_ignore_ascii_case(n))
    .map(|&(_, r)| r)
}

fn builtin_zone(name: &str) -> Option<Zone> {
    BUILTIN_ZONES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, rule)| Zone::Rule(rule))
}

// ---------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------

/// What a stamp says, with the month/day of year-less stamps kept.
#[derive(Clone, Copy, Debug, PartialEq)]
enum When {
    Epoch(Timestamp),
    Date(Date),
    DateTime(DateTime, Option<Zone>),
    NoYear {
        month: i8,
        day: i8,
        time: Time,
        zone: Option<Zone>,
    },
    Time(Time, Option<Zone>),
}

impl When {
    fn raw(self) -> Raw {
        match self {
            When::Epoch(ts) => Raw::Instant(ts),
            When::Date(d) => Raw::Date(d),
            When::DateTime(dt, zone) => match zone.and_then(|z| z.to_timestamp(dt)) {
                Some(ts) => Raw::Instant(ts),
                None => Raw::Civil(dt),
            },
            When::NoYear { time, zone, .. } | When::Time(time, zone) => Raw::Time {
                time,
                offset: zone.and_then(Zone::fixed),
            },
        }
    }

    /// The full date this stamp states, seen in the paste zone `pz`.
    fn stated_date(self, pz: &TimeZone) -> Option<Date> {
        match self {
            When::Date(d) => Some(d),
            When::Epoch(ts) => Some(pz.to_datetime(ts).date()),
            When::DateTime(dt, Some(z)) => match z.to_timestamp(dt) {
                Some(ts) => Some(pz.to_datetime(ts).date()),
                None => Some(dt.date()),
            },
            When::DateTime(dt, None) => Some(dt.date()),
            When::NoYear { .. } | When::Time(..) => None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Hit {
    start: usize,
    end: usize,
    when: When,
}

/// A parsed clock reading.
#[derive(Clone, Copy, Debug)]
struct Clock {
    time: Time,
    has_secs: bool,
    end: usize,
}

/// How a numeric offset may be written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OffMode {
    /// `+hhmm` or `+hh:mm` (after a space).
    Strict,
    /// Also `+hh` (glued to a time).
    Attached,
    /// Also `+h` (after `UTC`/`GMT`).
    Loose,
}

/// Byte at `i`, or 0 past the end.
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// `min..=max` digits at `i`, not followed by another digit.
fn num(b: &[u8], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut v = 0u32;
    let mut n = 0;
    loop {
        let c = at(b, i + n);
        if !c.is_ascii_digit() {
            break;
        }
        if n == max {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
        n += 1;
    }
    (n >= min).then_some((v, i + n))
}

/// Skips up to `max` spaces or tabs.
fn spaces(b: &[u8], i: usize, max: usize) -> usize {
    let mut j = i;
    while j - i < max && matches!(at(b, j), b' ' | b'\t') {
        j += 1;
    }
    j
}

/// Reads digits of a fraction at `i` (all of them), keeping 9 as nanoseconds.
fn fraction(b: &[u8], i: usize) -> (i32, usize) {
    let mut j = i;
    let mut v = 0i32;
    let mut n = 0;
    while at(b, j).is_ascii_digit() {
        if n < 9 {
            v = v * 10 + i32::from(at(b, j) - b'0');
            n += 1;
        }
        j += 1;
    }
    for _ in n..9 {
        v *= 10;
    }
    (v, j)
}

fn mk_date(y: u32, m: u32, d: u32) -> Option<Date> {
    if !(1900..=2199).contains(&y) {
        return None;
    }
    let y = i16::try_from(y).ok()?;
    let m = i8::try_from(m).ok()?;
    let d = i8::try_from(d).ok()?;
    Date::new(y, m, d).ok()
}

/// The end of the alphabetic word at `i` when it has 3..=9 letters and its
/// first three letters are `first3` (any case).
fn word_end(b: &[u8], i: usize) -> Option<usize> {
    let mut n = 0;
    while at(b, i + n).is_ascii_alphabetic() {
        if n == 9 {
            return None;
        }
        n += 1;
    }
    (n >= 3).then_some(i + n)
}

/// The first three bytes at `i`, lowercased (a byte maps into `a..=z` only
/// if it is a letter).
fn first3(b: &[u8], i: usize) -> [u8; 3] {
    [at(b, i) | 0x20, at(b, i + 1) | 0x20, at(b, i + 2) | 0x20]
}

const MONTHS: [&[u8]; 12] = [
    b"january",
    b"february",
    b"march",
    b"april",
    b"may",
    b"june",
    b"july",
    b"august",
    b"september",
    b"october",
    b"november",
    b"december",
];

const WEEKDAYS: [&[u8]; 7] = [
    b"monday",
    b"tuesday",
    b"wednesday",
    b"thursday",
    b"friday",
    b"saturday",
    b"sunday",
];

/// A month name (`Apr`, `April`, `Sept`, any case) at `i`: (month, end).
fn month_name(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let m: usize = match &first3(b, i) {
        b"jan" => 1,
        b"feb" => 2,
        b"mar" => 3,
        b"apr" => 4,
        b"may" => 5,
        b"jun" => 6,
        b"jul" => 7,
        b"aug" => 8,
        b"sep" => 9,
        b"oct" => 10,
        b"nov" => 11,
        b"dec" => 12,
        _ => return None,
    };
    let end = word_end(b, i)?;
    let w = b.get(i..end)?;
    let ok = w.len() == 3
        || w.eq_ignore_ascii_case(MONTHS[m - 1])
        || (m == 9 && w.eq_ignore_ascii_case(b"sept"));
    let month = u32::try_from(m).ok()?;
    ok.then_some((month, end))
}

/// A weekday name (`Thu`, `Thursday`, `Tues`, any case) at `i`: its end.
fn weekday_name(b: &[u8], i: usize) -> Option<usize> {
    let d: usize = match &first3(b, i) {
        b"mon" => 0,
        b"tue" => 1,
        b"wed" => 2,
        b"thu" => 3,
        b"fri" => 4,
        b"sat" => 5,
        b"sun" => 6,
        _ => return None,
    };
    let end = word_end(b, i)?;
    let w = b.get(i..end)?;
    let ok = w.len() == 3
        || w.eq_ignore_ascii_case(WEEKDAYS[d])
        || [&b"tues"[..], b"thur", b"thurs", b"weds"]
            .iter()
            .any(|x| w.eq_ignore_ascii_case(x));
    ok.then_some(end)
}

/// `hh:mm[:ss[.frac]]` with an optional AM/PM marker at `i`.
fn clock(b: &[u8], i: usize) -> Option<Clock> {
    let (h, j) = num(b, i, 1, 2)?;
    if at(b, j) != b':' {
        return None;
    }
    let (m, mut k) = num(b, j + 1, 2, 2)?;
    if h > 23 || m > 59 {
        return None;
    }
    let mut s = 0;
    let mut ns = 0;
    let mut has_secs = false;
    if at(b, k) == b':' && at(b, k + 1).is_ascii_digit() {
        let (sv, e) = num(b, k + 1, 2, 2)?;
        if sv > 60 {
            return None;
        }
        // Leap second: read as :59 (see module docs).
        s = sv.min(59);
        has_secs = true;
        k = e;
        if matches!(at(b, k), b'.' | b',') && at(b, k + 1).is_ascii_digit() {
            (ns, k) = fraction(b, k + 1);
        }
        // `10:20:30:40` is not a time.
        if at(b, k) == b':' && at(b, k + 1).is_ascii_digit() {
            return None;
        }
    }
    // `0:44.09` (a CPU-time column) and `3:12,` after `up 41 days,` are durations, not times.
    if !has_secs && at(b, k) == b'.' && at(b, k + 1).is_ascii_digit() {
        return None;
    }
    if !has_secs
        && (b[..i].ends_with(b"days, ") || b[..i].ends_with(b"day, ") || b[..i].ends_with(b"up "))
    {
        return None;
    }
    let (h, k) = meridiem(b, k, h);
    let next = at(b, k);
    if next.is_ascii_alphanumeric() && next != b'Z' && next != b'z' {
        return None;
    }
    let time = Time::new(
        i8::try_from(h).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(s).ok()?,
        ns,
    )
    .ok()?;
    Some(Clock {
        time,
        has_secs,
        end: k,
    })
}

/// An optional ` AM`/`pm`/`a.m.` after a clock ending at `k`.
fn meridiem(b: &[u8], k: usize, h: u32) -> (u32, usize) {
    let j = if at(b, k) == b' ' { k + 1 } else { k };
    let c = at(b, j).to_ascii_lowercase();
    if c != b'a' && c != b'p' {
        return (h, k);
    }
    let end = if at(b, j + 1).eq_ignore_ascii_case(&b'm') {
        j + 2
    } else if at(b, j + 1) == b'.'
        && at(b, j + 2).eq_ignore_ascii_case(&b'm')
        && at(b, j + 3) == b'.'
    {
        j + 4
    } else {
        return (h, k);
    };
    if at(b, end).is_ascii_alphanumeric() || !(1..=12).contains(&h) {
        return (h, k);
    }
    let h = if c == b'p' { h % 12 + 12 } else { h % 12 };
    (h, end)
}

/// A numeric offset (`+02:00`, `-0500`, `+02`, `+2`) with the sign at `i`.
fn num_offset(b: &[u8], i: usize, mode: OffMode) -> Option<(Zone, usize)> {
    let sign: i32 = match at(b, i) {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let d0 = i + 1;
    let mut n = 0;
    while n < 5 && at(b, d0 + n).is_ascii_digit() {
        n += 1;
    }
    let dig = |k: usize| i32::from(at(b, d0 + k).wrapping_sub(b'0'));
    let (hh, mm, end) = match n {
        4 => (dig(0) * 10 + dig(1), dig(2) * 10 + dig(3), d0 + 4),
        1 | 2 => {
            if n == 1 && mode != OffMode::Loose {
                return None;
            }
            let hh = if n == 2 { dig(0) * 10 + dig(1) } else { dig(0) };
            let after = d0 + n;
            if at(b, after) == b':'
                && at(b, after + 1).is_ascii_digit()
                && at(b, after + 2).is_ascii_digit()
                && !at(b, after + 3).is_ascii_digit()
            {
                (hh, dig(n + 1) * 10 + dig(n + 2), after + 3)
            } else if mode == OffMode::Strict {
                return None;
            } else {
                (hh, 0, after)
            }
        }
        _ => return None,
    };
    if hh > 14 || mm > 59 {
        return None;
    }
    let next = at(b, end);
    if next.is_ascii_alphanumeric() || (next == b':' && at(b, end + 1).is_ascii_digit()) {
        return None;
    }
    let off = Offset::from_seconds(sign * (hh * 3600 + mm * 60)).ok()?;
    Some((Zone::Fixed(off), end))
}

/// A capitalised zone abbreviation at `j` (`UTC`, `CEST`, `UTC+2`).
fn abbrev_at(b: &[u8], j: usize) -> Option<(Zone, usize)> {
    let mut k = j;
    while k - j < 5 && at(b, k).is_ascii_uppercase() {
        k += 1;
    }
    if at(b, k).is_ascii_alphabetic() {
        return None;
    }
    let w = b.get(j..k)?;
    let zone = abbrev_zone(w)?;
    if matches!(w, b"UTC" | b"GMT")
        && matches!(at(b, k), b'+' | b'-')
        && let Some(found) = num_offset(b, k, OffMode::Loose)
    {
        return Some(found);
    }
    if at(b, k).is_ascii_digit() {
        return None;
    }
    Some((zone, k))
}

/// A zone right after a clock ending at `i`.
fn zone_suffix(b: &[u8], i: usize, attached_num: bool) -> Option<(Zone, usize)> {
    match at(b, i) {
        b'Z' | b'z' => {
            return (!at(b, i + 1).is_ascii_alphanumeric())
                .then(|| (Zone::Fixed(Offset::UTC), i + 1));
        }
        b'+' | b'-' => {
            return if attached_num {
                num_offset(b, i, OffMode::Attached)
            } else {
                None
            };
        }
        _ => {}
    }
    let j = spaces(b, i, 2);
    if j == i {
        return None;
    }
    match at(b, j) {
        b'(' => {
            let (z, k) = abbrev_at(b, j + 1)?;
            (at(b, k) == b')').then_some((z, k + 1))
        }
        b'+' | b'-' => num_offset(b, j, OffMode::Strict),
        _ => abbrev_at(b, j),
    }
}

/// Clock and zone at `i`; `t_joined` says the clock followed an ISO `T`.
fn clock_zone(b: &[u8], i: usize, t_joined: bool) -> Option<(Time, Option<Zone>, usize)> {
    let c = clock(b, i)?;
    Some(match zone_suffix(b, c.end, c.has_secs || t_joined) {
        Some((z, e)) => (c.time, Some(z), e),
        None => (c.time, None, c.end),
    })
}

/// The time after a date ending at `k`: `T14:02`, ` 14:02`, `, 14:02`,
/// ` at 14:02`, ` @ 14:02`.
fn joined_time(b: &[u8], k: usize, allow_t: bool) -> Option<(Time, Option<Zone>, usize)> {
    if allow_t && matches!(at(b, k), b'T' | b't') {
        return clock_zone(b, k + 1, true);
    }
    let mut j = k;
    if at(b, j) == b',' {
        j += 1;
    }
    let after = spaces(b, j, 3);
    if after == j {
        return None;
    }
    j = after;
    let word = if at(b, j) == b'@' {
        1
    } else if at(b, j).eq_ignore_ascii_case(&b'a') && at(b, j + 1).eq_ignore_ascii_case(&b't') {
        2
    } else {
        0
    };
    if word > 0 {
        let after = spaces(b, j + word, 3);
        if after == j + word {
            return None;
        }
        j = after;
    }
    if !at(b, j).is_ascii_digit() {
        return None;
    }
    clock_zone(b, j, false)
}

/// A date at `start` ending at `end`, with an optional joined time.
fn dated(b: &[u8], start: usize, end: usize, date: Date, allow_t: bool) -> Hit {
    match joined_time(b, end, allow_t) {
        Some((time, zone, e)) => Hit {
            start,
            end: e,
            when: When::DateTime(date.to_datetime(time), zone),
        },
        None => Hit {
            start,
            end,
            when: When::Date(date),
        },
    }
}

/// `2026-04-30[T ]14:02…`, `2026/06/02 14:02:11`.
fn iso(b: &[u8], i: usize) -> Option<Hit> {
    let (y, j) = num(b, i, 4, 4)?;
    let sep = at(b, j);
    if sep != b'-' && sep != b'/' {
        return None;
    }
    let min = if sep == b'/' { 1 } else { 2 };
    let (m, j) = num(b, j + 1, min, 2)?;
    if at(b, j) != sep {
        return None;
    }
    let (d, j) = num(b, j + 1, min, 2)?;
    if sep == b'/' && at(b, j) == b'/' {
        return None;
    }
    let date = mk_date(y, m, d)?;
    Some(dated(b, i, j, date, sep == b'-'))
}

/// `6/2/2026[, 11:35:28 PM]`, `30.04.2026 14:02`.
fn numeric_date(b: &[u8], i: usize, prev: Option<u8>, order: DateOrder) -> Option<Hit> {
    if matches!(prev, Some(b'/' | b'.')) {
        return None;
    }
    let (a, j) = num(b, i, 1, 2)?;
    let sep = at(b, j);
    if sep != b'/' && sep != b'.' {
        return None;
    }
    let (c, k) = num(b, j + 1, 1, 2)?;
    if at(b, k) != sep {
        return None;
    }
    let (y, e) = num(b, k + 1, 4, 4)?;
    if at(b, e) == sep && at(b, e + 1).is_ascii_digit() {
        return None;
    }
    let date = if sep == b'.' {
        mk_date(y, c, a)?
    } else {
        let (month_first, day_first) = (mk_date(y, a, c), mk_date(y, c, a));
        match order {
            DateOrder::Mdy => month_first.or(day_first)?,
            DateOrder::Dmy => day_first.or(month_first)?,
        }
    };
    Some(dated(b, i, e, date, false))
}

/// `30 Apr 2026 …`, `30-Apr-2026 …` (Tomcat), `30/Apr/2026:00:10:05 +0000`
/// (access logs).
fn day_month_name(b: &[u8], i: usize) -> Option<Hit> {
    let (d, j) = num(b, i, 1, 2)?;
    let sep = at(b, j);
    match sep {
        b' ' => {
            let k = spaces(b, j, 3);
            let (m, mut k) = month_name(b, k)?;
            if at(b, k) == b'.' {
                k += 1;
            }
            if at(b, k) == b',' {
                k += 1;
            }
            let ys = spaces(b, k, 3);
            if ys == k {
                return None;
            }
            let (y, e) = num(b, ys, 4, 4)?;
            let date = mk_date(y, m, d)?;
            Some(dated(b, i, e, date, false))
        }
        b'-' | b'/' => {
            let (m, k) = month_name(b, j + 1)?;
            if at(b, k) != sep {
                return None;
            }
            let (y, e) = num(b, k + 1, 4, 4)?;
            let date = mk_date(y, m, d)?;
            if sep == b'/' && at(b, e) == b':' {
                if let Some((time, zone, end)) = clock_zone(b, e + 1, false) {
                    return Some(Hit {
                        start: i,
                        end,
                        when: When::DateTime(date.to_datetime(time), zone),
                    });
                }
                return Some(Hit {
                    start: i,
                    end: e,
                    when: When::Date(date),
                });
            }
            Some(dated(b, i, e, date, false))
        }
        _ => None,
    }
}

/// `Apr 30 00:10 UTC`, `Apr 30, 2026 00:10`, `Nov 22 14:02:11` (syslog),
/// `Apr 30 00:10:05 UTC 2026` (ctime, after a weekday).
fn month_first(b: &[u8], i: usize) -> Option<Hit> {
    let (m, mut k) = month_name(b, i)?;
    if at(b, k) == b'.' {
        k += 1;
    }
    let ds = spaces(b, k, 3);
    if ds == k {
        return None;
    }
    let (d, mut k) = num(b, ds, 1, 2)?;
    let suffix = [
        at(b, k).to_ascii_lowercase(),
        at(b, k + 1).to_ascii_lowercase(),
    ];
    if matches!(&suffix, b"st" | b"nd" | b"rd" | b"th") && !at(b, k + 2).is_ascii_alphanumeric() {
        k += 2;
    }
    if at(b, k).is_ascii_alphanumeric() || !(1..=31).contains(&d) {
        return None;
    }
    // With a year: `Apr 30 2026`, `Apr 30, 2026`.
    let yk = if at(b, k) == b',' { k + 1 } else { k };
    let ys = spaces(b, yk, 3);
    if ys > yk
        && let Some((y, e)) = num(b, ys, 4, 4)
        && at(b, e) != b':'
    {
        let date = mk_date(y, m, d)?;
        return Some(dated(b, i, e, date, false));
    }
    // Without a year a time must follow.
    let (time, zone, end) = joined_time(b, k, false)?;
    let month = i8::try_from(m).ok()?;
    let day = i8::try_from(d).ok()?;
    // Valid in some year (Feb 29 allowed).
    Date::new(2000, month, day).ok()?;
    let ys = spaces(b, end, 2);
    if ys > end
        && let Some((y, e)) = num(b, ys, 4, 4)
        && !at(b, e).is_ascii_alphanumeric()
        && at(b, e) != b':'
        && let Some(date) = mk_date(y, m, d)
    {
        return Some(Hit {
            start: i,
            end: e,
            when: When::DateTime(date.to_datetime(time), zone),
        });
    }
    Some(Hit {
        start: i,
        end,
        when: When::NoYear {
            month,
            day,
            time,
            zone,
        },
    })
}

/// `Thu, 30 Apr 2026 …`, `Thu Apr 30 …`, `Tue 6/2/2026 …`.
fn weekday_prefixed(b: &[u8], i: usize, order: DateOrder) -> Option<Hit> {
    let j = weekday_name(b, i)?;
    let k = if matches!(at(b, j), b',' | b'.') {
        j + 1
    } else {
        j
    };
    let s = spaces(b, k, 3);
    if s == k {
        return None;
    }
    let hit = if at(b, s).is_ascii_digit() {
        day_month_name(b, s)
            .or_else(|| numeric_date(b, s, None, order))
            .or_else(|| iso(b, s))?
    } else {
        month_first(b, s)?
    };
    Some(Hit { start: i, ..hit })
}

/// glog / klog: `I0529 14:02:11.123456`.
fn glog(b: &[u8], i: usize) -> Option<Hit> {
    let (mmdd, j) = num(b, i + 1, 4, 4)?;
    if at(b, j) != b' ' {
        return None;
    }
    let month = i8::try_from(mmdd / 100).ok()?;
    let day = i8::try_from(mmdd % 100).ok()?;
    Date::new(2000, month, day).ok()?;
    let c = clock(b, j + 1)?;
    Some(Hit {
        start: i,
        end: c.end,
        when: When::NoYear {
            month,
            day,
            time: c.time,
            zone: None,
        },
    })
}

/// Whether the number at `i` sits where an epoch timestamp is expected: at
/// the line start (`first` is the first non-blank byte), or as the value of
/// a time key.
fn epoch_context(b: &[u8], i: usize, first: usize) -> bool {
    if i == first || (i == first + 1 && matches!(at(b, first), b'[' | b'(' | b'"' | b'\'')) {
        return true;
    }
    let mut k = i;
    if k > 0 && matches!(b[k - 1], b'"' | b'\'') {
        k -= 1;
    }
    let back_spaces = |mut k: usize| {
        let mut n = 0;
        while k > 0 && n < 3 && b[k - 1] == b' ' {
            k -= 1;
            n += 1;
        }
        k
    };
    k = back_spaces(k);
    if k == 0 || !matches!(b[k - 1], b'=' | b':') {
        return false;
    }
    k = back_spaces(k - 1);
    if k > 0 && matches!(b[k - 1], b'"' | b'\'') {
        k -= 1;
    }
    let end = k;
    while k > 0
        && end - k < 12
        && (b[k - 1].is_ascii_alphanumeric() || matches!(b[k - 1], b'_' | b'@'))
    {
        k -= 1;
    }
    if k > 0 && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'_') {
        return false;
    }
    let key = &b[k..end];
    [
        &b"ts"[..],
        b"time",
        b"timestamp",
        b"@timestamp",
        b"t",
        b"date",
    ]
    .iter()
    .any(|name| key.eq_ignore_ascii_case(name))
}

/// 10-digit epoch seconds (optionally with a fraction) or 13-digit millis.
fn epoch(b: &[u8], i: usize, first: usize) -> Option<Hit> {
    let mut j = i;
    while j - i < 14 && at(b, j).is_ascii_digit() {
        j += 1;
    }
    let len = j - i;
    if len != 10 && len != 13 {
        return None;
    }
    if !epoch_context(b, i, first) {
        return None;
    }
    let mut v: i64 = 0;
    for &c in b.get(i..j)? {
        v = v * 10 + i64::from(c - b'0');
    }
    let (ts, end) = if len == 10 {
        if at(b, j) == b'.' && at(b, j + 1).is_ascii_digit() {
            let (ns, e) = fraction(b, j + 1);
            (Timestamp::new(v, ns).ok()?, e)
        } else {
            (Timestamp::from_second(v).ok()?, j)
        }
    } else {
        (Timestamp::from_millisecond(v).ok()?, j)
    };
    if at(b, end).is_ascii_alphanumeric() {
        return None;
    }
    // 2001-01-01T00:00:00Z ..= 2099-12-31T23:59:59Z
    if !(978_307_200..4_102_444_800).contains(&ts.as_second()) {
        return None;
    }
    Some(Hit {
        start: i,
        end,
        when: When::Epoch(ts),
    })
}

/// A bare `14:02[:11[.123]] [PM] [UTC]`.
fn bare_time(b: &[u8], i: usize, prev: Option<u8>) -> Option<Hit> {
    if matches!(prev, Some(b'.' | b':' | b'/')) {
        return None;
    }
    let (time, zone, end) = clock_zone(b, i, false)?;
    Some(Hit {
        start: i,
        end,
        when: When::Time(time, zone),
    })
}

/// Tries every parser that can start at word start `i`.
fn try_at(b: &[u8], i: usize, first: usize, order: DateOrder) -> Option<Hit> {
    let c = at(b, i);
    let prev = i.checked_sub(1).map(|p| at(b, p));
    if c.is_ascii_digit() {
        let mut j = i;
        while j - i < 5 && at(b, j).is_ascii_digit() {
            j += 1;
        }
        let next = at(b, j);
        return match j - i {
            5 => epoch(b, i, first),
            4 => {
                if matches!(next, b'-' | b'/') {
                    iso(b, i)
                } else {
                    None
                }
            }
            3 => None,
            _ => match next {
                b':' => bare_time(b, i, prev),
                b'/' if at(b, j + 1).is_ascii_alphabetic() => day_month_name(b, i),
                b'/' | b'.' => numeric_date(b, i, prev, order),
                b'-' | b' ' => day_month_name(b, i),
                _ => None,
            },
        };
    }
    if matches!(c, b'I' | b'W' | b'E' | b'F') && at(b, i + 1).is_ascii_digit() {
        return glog(b, i);
    }
    // Months and weekdays start with one of these letters.
    if !matches!(
        c.to_ascii_lowercase(),
        b'a' | b'd' | b'f' | b'j' | b'm' | b'n' | b'o' | b's' | b't' | b'w'
    ) {
        return None;
    }
    month_first(b, i).or_else(|| weekday_prefixed(b, i, order))
}

/// Appends every stamp in `b` to `out`.
fn scan(b: &[u8], order: DateOrder, out: &mut Vec<Hit>) {
    let first = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let mut i = first;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        // `i` is a word start here: words are skipped whole below.
        if let Some(hit) = try_at(b, i, first, order) {
            i = hit.end.max(i + 1);
            out.push(hit);
            if !b[i - 1].is_ascii_alphanumeric() {
                continue;
            }
        }
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// Declared zones
// ---------------------------------------------------------------------------

fn is_token_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'+' | b'-' | b':' | b'.')
}

/// Word-ish tokens of a short line, as byte ranges.
fn tokens(b: &[u8]) -> Vec<(usize, usize)> {
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() && toks.len() < 64 {
        if !is_token_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_token_byte(b[i]) {
            i += 1;
        }
        let mut e = i;
        while e > start && matches!(b[e - 1], b'.' | b':' | b',' | b'-') {
            e -= 1;
        }
        let mut s = start;
        while s < e && matches!(b[s], b'.' | b':') {
            s += 1;
        }
        if s < e {
            toks.push((s, e));
        }
    }
    toks
}

/// A numeric offset token: `+02:00`, `-0500`, `UTC+2`, `GMT-05:00`.
fn offset_token(w: &[u8]) -> Option<Zone> {
    let prefixed =
        w.len() > 3 && (w[..3].eq_ignore_ascii_case(b"utc") || w[..3].eq_ignore_ascii_case(b"gmt"));
    let (rest, mode) = if prefixed {
        (&w[3..], OffMode::Loose)
    } else {
        (w, OffMode::Attached)
    };
    let (z, end) = num_offset(rest, 0, mode)?;
    (end == rest.len()).then_some(z)
}

/// Zone words at token `k`: (zone if understood, tokens used).
fn zone_words(b: &[u8], toks: &[(usize, usize)], k: usize) -> Option<(Option<Zone>, usize)> {
    let word = |n: usize| toks.get(k + n).and_then(|&(s, e)| b.get(s..e));
    let w0 = word(0)?;
    if w0.eq_ignore_ascii_case(b"us") {
        let rule = region(word(1)?)?;
        return Some((Some(Zone::Rule(rule)), 2));
    }
    if let Some(rule) = region(w0) {
        if word(1).is_some_and(|w| w.eq_ignore_ascii_case(b"european")) {
            if w0.eq_ignore_ascii_case(b"central") {
                return Some((Some(Zone::Rule(EU_CENTRAL)), 2));
            }
            if w0.eq_ignore_ascii_case(b"eastern") {
                return Some((Some(Zone::Rule(EU_EASTERN)), 2));
            }
        }
        return Some((Some(Zone::Rule(rule)), 1));
    }
    if w0.eq_ignore_ascii_case(b"utc") || w0.eq_ignore_ascii_case(b"gmt") {
        return Some((Some(Zone::Fixed(Offset::UTC)), 1));
    }
    // Other abbreviations only in capitals ("est." is not EST).
    if (2..=5).contains(&w0.len())
        && w0.iter().all(u8::is_ascii_uppercase)
        && w0 != b"UT"
        && let Some(z) = abbrev_zone(w0)
    {
        return Some((Some(z), 1));
    }
    if let Some(z) = offset_token(w0) {
        return Some((Some(z), 1));
    }
    let iana_like = w0.contains(&b'/')
        && w0.first().is_some_and(u8::is_ascii_uppercase)
        && w0
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'_' | b'-' | b'+'));
    if iana_like {
        let name = std::str::from_utf8(w0).ok()?;
        return Some((builtin_zone(name), 1));
    }
    None
}

fn is_time_word(w: &[u8]) -> bool {
    [&b"time"[..], b"times", b"timestamps"]
        .iter()
        .any(|k| w.eq_ignore_ascii_case(k))
}

fn is_zone_keyword(w: &[u8]) -> bool {
    is_time_word(w)
        || [&b"timezone"[..], b"timezones", b"tz", b"zone", b"timestamp"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
}

fn is_filler(w: &[u8]) -> bool {
    [
        &b"are"[..],
        b"is",
        b"in",
        b"all",
        b"shown",
        b"given",
        b"listed",
        b"reported",
        b"expressed",
        b"displayed",
        b"use",
        b"using",
        b"local",
        b"the",
        b"as",
        b"below",
        b"above",
        b"here",
        b"zone",
    ]
    .iter()
    .any(|k| w.eq_ignore_ascii_case(k))
}

/// A zone declaration in a line: (text as written, zone if understood).
/// `timed` says whether the line also holds a time stamp; such lines only
/// count with an explicit "times …" phrase.
fn declaration(line: &str, timed: bool) -> Option<(String, Option<Zone>)> {
    let b = line.as_bytes();
    if b.len() > 300 {
        return None;
    }
    // Cheap gate: "tz", "time" or "zone" somewhere (any case; `| 0x20`
    // lowercases letters and never turns a non-letter into one of these).
    let lower = |k: usize| at(b, k) | 0x20;
    let keyword = (0..b.len()).any(|k| match b[k] | 0x20 {
        b't' => {
            lower(k + 1) == b'z'
                || (lower(k + 1) == b'i' && lower(k + 2) == b'm' && lower(k + 3) == b'e')
        }
        b'z' => lower(k + 1) == b'o' && lower(k + 2) == b'n' && lower(k + 3) == b'e',
        _ => false,
    });
    let cheap = keyword || (!timed && b.iter().any(|&c| c == b'(' || c == b'['));
    if !cheap {
        return None;
    }
    let toks = tokens(b);
    let text = |from: usize, n: usize| -> Option<String> {
        let start = toks.get(from)?.0;
        let end = toks.get(from + n - 1)?.1;
        line.get(start..end).map(str::to_string)
    };
    for k in 0..toks.len() {
        let Some(w) = b.get(toks[k].0..toks[k].1) else {
            continue;
        };
        if !is_zone_keyword(w) {
            continue;
        }
        // "times are in UTC", "timezone: PST", "tz=Europe/Oslo"
        let mut j = k + 1;
        while j < toks.len() && j <= k + 6 {
            if let Some((z, n)) = zone_words(b, &toks, j) {
                return Some((text(j, n)?, z));
            }
            let Some(wj) = b.get(toks[j].0..toks[j].1) else {
                break;
            };
            if !is_filler(wj) {
                break;
            }
            j += 1;
        }
        // "UTC times", "US Eastern time"
        if !timed && is_time_word(w) {
            if k >= 2
                && let Some((z, 2)) = zone_words(b, &toks, k - 2)
            {
                return Some((text(k - 2, 2)?, z));
            }
            if k >= 1
                && let Some((z, 1)) = zone_words(b, &toks, k - 1)
            {
                return Some((text(k - 1, 1)?, z));
            }
        }
    }
    // A header such as "Timeline (CST)".
    if !timed {
        for k in 0..toks.len() {
            let s = toks[k].0;
            if s == 0 || !matches!(b[s - 1], b'(' | b'[') {
                continue;
            }
            if let Some((z, n)) = zone_words(b, &toks, k) {
                let e = toks.get(k + n - 1)?.1;
                if matches!(at(b, e), b')' | b']') {
                    return Some((text(k, n)?, z));
                }
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Anchoring
// ---------------------------------------------------------------------------

fn secs_of(t: Time) -> i32 {
    i32::from(t.hour()) * 3600 + i32::from(t.minute()) * 60 + i32::from(t.second())
}

fn time_from_secs(secs: i32, nanos: i32) -> Option<Time> {
    let s = secs.rem_euclid(86_400);
    Time::new(
        i8::try_from(s / 3600).ok()?,
        i8::try_from(s / 60 % 60).ok()?,
        i8::try_from(s % 60).ok()?,
        nanos,
    )
    .ok()
}

/// The year (around `cur`) that puts month/day closest to `cur`.
fn year_for(cur: Date, month: i8, day: i8) -> Option<Date> {
    let y = cur.year();
    [y.checked_sub(1), Some(y), y.checked_add(1)]
        .into_iter()
        .flatten()
        .filter_map(|y| Date::new(y, month, day).ok())
        .min_by_key(|d| d.duration_since(cur).as_secs().unsigned_abs())
}

/// Walk state for a paste that states a date.
struct Anchored<'a> {
    pz: &'a TimeZone,
    /// The current date (explicit date plus rollovers).
    cur: Date,
    /// The date last stated explicitly.
    run: Date,
    /// Wall-clock seconds (paste zone) of the previous time.
    prev: Option<i32>,
}

impl Anchored<'_> {
    fn instant(&mut self, ts: Timestamp) -> Moment {
        let local = self.pz.to_datetime(ts);
        self.cur = local.date();
        self.run = self.cur;
        self.prev = Some(secs_of(local.time()));
        Moment::At(ts)
    }

    fn dated(&mut self, dt: DateTime, zone: Option<Zone>) -> Option<Moment> {
        let ts = match zone {
            Some(z) => z.to_timestamp(dt),
            None => civil_to_ts(self.pz, dt),
        }?;
        Some(self.instant(ts))
    }

    fn bare(&mut self, time: Time, zone: Option<Zone>) -> Option<Moment> {
        // Express the time on the paste zone's wall clock.
        let local = match zone.and_then(|z| z.to_timestamp(self.cur.to_datetime(time))) {
            Some(ts) => self.pz.to_datetime(ts).time(),
            None => time,
        };
        let secs = secs_of(local);
        if self.prev.is_some_and(|p| p - secs > HALF_DAY_SECS)
            && let Ok(next) = self.cur.tomorrow()
        {
            self.cur = next;
        }
        self.prev = Some(secs);
        civil_to_ts(self.pz, self.cur.to_datetime(local)).map(Moment::At)
    }
}

fn walk_anchored(
    hits: &[Hit],
    ranges: &[(usize, usize)],
    anchor: Date,
    pz: &TimeZone,
) -> Vec<Option<Moment>> {
    let mut st = Anchored {
        pz,
        cur: anchor,
        run: anchor,
        prev: None,
    };
    let mut out = Vec::with_capacity(ranges.len());
    for &(a, z) in ranges {
        let mut moment = None;
        for hit in hits.get(a..z).unwrap_or_default() {
            moment = match hit.when {
                When::Date(d) => {
                    if d != st.run {
                        st.run = d;
                        st.cur = d;
                        st.prev = None;
                    }
                    continue;
                }
                When::Epoch(ts) => Some(st.instant(ts)),
                When::DateTime(dt, zone) => st.dated(dt, zone),
                When::NoYear {
                    month,
                    day,
                    time,
                    zone,
                } => match year_for(st.cur, month, day) {
                    Some(d) => st.dated(d.to_datetime(time), zone),
                    None => st.bare(time, zone),
                },
                When::Time(time, zone) => st.bare(time, zone),
            };
            break;
        }
        out.push(moment);
    }
    out
}

/// Days from one month/day to the next in `ref_year`, wrapping at year end.
fn md_delta(from: (i8, i8), to: (i8, i8), ref_year: i16) -> i64 {
    let ord = |(m, d): (i8, i8)| {
        Date::new(ref_year, m, d)
            .ok()
            .map(|x| i64::from(x.day_of_year()))
    };
    let (Some(a), Some(b)) = (ord(from), ord(to)) else {
        return 0;
    };
    let len = if ref_year % 4 == 0 { 366 } else { 365 };
    let mut delta = b - a;
    if delta < -len / 2 {
        delta += len;
    } else if delta > len / 2 {
        delta -= len;
    }
    delta
}

fn walk_time_of_day(hits: &[Hit], ranges: &[(usize, usize)], pz: &TimeZone) -> Vec<Option<Moment>> {
    let leap = hits.iter().any(|h| {
        matches!(
            h.when,
            When::NoYear {
                month: 2,
                day: 29,
                ..
            }
        )
    });
    let ref_year: i16 = if leap { 2000 } else { 2001 };
    let pz_fixed = pz.to_fixed_offset().ok();
    let mut day: i64 = 0;
    let mut prev: Option<i32> = None;
    let mut last_md: Option<(i8, i8)> = None;
    let mut out = Vec::with_capacity(ranges.len());
    for &(a, z) in ranges {
        let mut moment = None;
        for hit in hits.get(a..z).unwrap_or_default() {
            let (time, zone, md) = match hit.when {
                When::Time(time, zone) => (time, zone, None),
                When::NoYear {
                    month,
                    day,
                    time,
                    zone,
                } => (time, zone, Some((month, day))),
                // Cannot occur without an anchor date; skip defensively.
                When::Date(_) | When::DateTime(..) | When::Epoch(_) => continue,
            };
            let time = match (zone.and_then(Zone::fixed), pz_fixed) {
                (Some(zo), Some(pf)) => time_from_secs(
                    secs_of(time) - zo.seconds() + pf.seconds(),
                    time.subsec_nanosecond(),
                )
                .unwrap_or(time),
                _ => time,
            };
            let secs = secs_of(time);
            match (md, last_md) {
                (Some(now), Some(before)) => day += md_delta(before, now, ref_year),
                _ => {
                    if prev.is_some_and(|p| p - secs > HALF_DAY_SECS) {
                        day += 1;
                        if md.is_none() {
                            last_md = None;
                        }
                    }
                }
            }
            if md.is_some() {
                last_md = md;
            }
            prev = Some(secs);
            let d = u16::try_from(day.clamp(0, i64::from(u16::MAX))).unwrap_or(u16::MAX);
            moment = Some(Moment::TimeOfDay {
                day: d,
                secs: u32::try_from(secs).unwrap_or(0),
            });
            break;
        }
        out.push(moment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st() -> TimeSettings {
        TimeSettings::default()
    }

    fn stamps(line: &str) -> Vec<Stamp> {
        find_stamps(line, &st())
    }

    fn one(line: &str) -> Stamp {
        let v = stamps(line);
        assert_eq!(v.len(), 1, "{line:?}: {v:?}");
        v[0].clone()
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("test timestamp literal is valid")
    }

    fn inst(line: &str) -> Timestamp {
        match one(line).raw {
            Raw::Instant(t) => t,
            other => panic!("{line:?}: expected instant, got {other:?}"),
        }
    }

    fn civil(line: &str) -> DateTime {
        match one(line).raw {
            Raw::Civil(dt) => dt,
            other => panic!("{line:?}: expected civil, got {other:?}"),
        }
    }

    fn time_of(line: &str) -> (Time, Option<Offset>) {
        match one(line).raw {
            Raw::Time { time, offset } => (time, offset),
            other => panic!("{line:?}: expected time, got {other:?}"),
        }
    }

    fn dt(y: i16, mo: i8, d: i8, h: i8, mi: i8, s: i8) -> DateTime {
        jiff::civil::date(y, mo, d).at(h, mi, s, 0)
    }

    fn t(h: i8, m: i8, s: i8) -> Time {
        jiff::civil::time(h, m, s, 0)
    }

    fn show(r: &Resolved) -> Vec<String> {
        r.per_line
            .iter()
            .map(|m| m.map_or_else(|| "-".to_string(), |m| m.to_string()))
            .collect()
    }

    fn res(lines: &[&str]) -> Resolved {
        resolve(lines, &st())
    }

    #[test]
    fn a_line_states_when_its_change_happened() {
        let lines = [
            "2026-10-06 times ET",
            "11:07 AM ET  helm history: rev 57 at 10:53 AM ET, values-only change",
            "11:08 AM ET  next release goes out at 1:00 PM ET",
            "00:05 UTC  purge job started at 23:50 UTC",
        ];
        let r = res(&lines);
        let at = |i: usize| r.stated_at(i, lines[i]).map(|m| short(&m, true));
        assert_eq!(at(1).as_deref(), Some("2026-10-06 14:53 UTC"));
        // a later time is another event, not the change's
        assert_eq!(at(2), None);
        // just after midnight, the day before
        assert_eq!(at(3).as_deref(), Some("2026-10-06 23:50 UTC"));
        assert_eq!(at(0), None);
        let bare = ["2:21 PM  v4.12.0 shipped at 1:55 PM"];
        let r = res(&bare);
        let m = r.stated_at(0, bare[0]).expect("stated");
        assert_eq!(m.key(), 13 * 3600 + 55 * 60);
    }

    fn hours(h: i32) -> Option<Offset> {
        Offset::from_seconds(h * 3600).ok()
    }

    // ---- RFC 3339 / ISO 8601 ----------------------------------------------

    #[test]
    fn rfc3339_utc() {
        let line = "2026-04-30T00:10:05Z";
        let s = one(line);
        assert_eq!((s.start, s.end), (0, line.len()));
        assert_eq!(s.raw, Raw::Instant(ts("2026-04-30T00:10:05Z")));
    }

    #[test]
    fn rfc3339_offset_and_fraction() {
        assert_eq!(
            inst("2026-04-30T00:10:05.123+02:00"),
            ts("2026-04-29T22:10:05.123Z")
        );
        assert_eq!(
            inst("2026-04-30T00:10:05.123456789Z"),
            ts("2026-04-30T00:10:05.123456789Z")
        );
        assert_eq!(inst("2026-04-30T00:10:05-0500"), ts("2026-04-30T05:10:05Z"));
    }

    #[test]
    fn iso_civil_forms() {
        assert_eq!(civil("2026-04-30T00:10:05"), dt(2026, 4, 30, 0, 10, 5));
        assert_eq!(civil("2026-04-30 00:10:05"), dt(2026, 4, 30, 0, 10, 5));
        assert_eq!(civil("2026-04-30 00:10"), dt(2026, 4, 30, 0, 10, 0));
        assert_eq!(civil("2026/06/02 14:02:11"), dt(2026, 6, 2, 14, 2, 11));
    }

    #[test]
    fn log4j_comma_fraction() {
        let line = "2026-04-30 00:10:05,123 INFO  [main] c.e.App - started";
        let s = one(line);
        assert_eq!((s.start, s.end), (0, 23));
        assert_eq!(
            s.raw,
            Raw::Civil(jiff::civil::date(2026, 4, 30).at(0, 10, 5, 123_000_000))
        );
    }

    #[test]
    fn iso_with_zone_words() {
        assert_eq!(inst("2026-04-30 00:10 UTC"), ts("2026-04-30T00:10:00Z"));
        assert_eq!(inst("2026-04-30 07:21:04 CST"), ts("2026-04-30T13:21:04Z"));
        assert_eq!(inst("2016-07-20 14:45:12Z"), ts("2016-07-20T14:45:12Z"));
        assert_eq!(inst("2026-04-30 10:00 UTC+2"), ts("2026-04-30T08:00:00Z"));
        assert_eq!(inst("2026-04-30 10:00 IST"), ts("2026-04-30T04:30:00Z"));
        assert_eq!(inst("2026-04-30 10:00 (CEST)"), ts("2026-04-30T08:00:00Z"));
    }

    #[test]
    fn us_regional_zone_follows_dst() {
        assert_eq!(inst("2026-04-30 10:00 ET"), ts("2026-04-30T14:00:00Z"));
        assert_eq!(inst("2026-01-15 10:00 ET"), ts("2026-01-15T15:00:00Z"));
        assert_eq!(inst("2026-07-01 10:00 PT"), ts("2026-07-01T17:00:00Z"));
        // No date: no fixed offset.
        assert_eq!(time_of("10:00 ET"), (t(10, 0, 0), None));
    }

    #[test]
    fn iso_date_alone() {
        let s = one("Incident report 2026-04-30");
        assert_eq!(s.raw, Raw::Date(jiff::civil::date(2026, 4, 30)));
        assert_eq!((s.start, s.end), (16, 26));
    }

    // ---- bare times -------------------------------------------------------

    #[test]
    fn bare_times() {
        assert_eq!(time_of("14:02 UTC"), (t(14, 2, 0), Some(Offset::UTC)));
        assert_eq!(time_of("14:02:11"), (t(14, 2, 11), None));
        assert_eq!(time_of("14:02"), (t(14, 2, 0), None));
        assert_eq!(
            time_of("14:02:11.123"),
            (jiff::civil::time(14, 2, 11, 123_000_000), None)
        );
        assert_eq!(time_of("14:02Z"), (t(14, 2, 0), Some(Offset::UTC)));
        assert_eq!(time_of("14:02:11-05:00"), (t(14, 2, 11), hours(-5)));
        assert_eq!(time_of("14:02 -0500"), (t(14, 2, 0), hours(-5)));
        assert_eq!(time_of("9:05 PDT"), (t(9, 5, 0), hours(-7)));
    }

    #[test]
    fn twelve_hour_clock() {
        assert_eq!(time_of("8:31 AM"), (t(8, 31, 0), None));
        assert_eq!(time_of("8:31:02 pm"), (t(20, 31, 2), None));
        assert_eq!(time_of("12:05 AM"), (t(0, 5, 0), None));
        assert_eq!(time_of("12:30 PM"), (t(12, 30, 0), None));
        assert_eq!(time_of("8:31 p.m."), (t(20, 31, 0), None));
        assert_eq!(time_of("8:31PM EST"), (t(20, 31, 0), hours(-5)));
        // Out-of-range hour: marker ignored, not part of the span.
        let s = one("13:00 PM");
        assert_eq!(s.end, 5);
        assert_eq!(
            s.raw,
            Raw::Time {
                time: t(13, 0, 0),
                offset: None
            }
        );
    }

    #[test]
    fn bracketed_and_embedded_times() {
        let s = one("[14:02] deploy started");
        assert_eq!((s.start, s.end), (1, 6));
        let s = one("the pager fired at 14:02 UTC, then quiet");
        assert_eq!(
            &"the pager fired at 14:02 UTC, then quiet"[s.start..s.end],
            "14:02 UTC"
        );
        let v = stamps("from 14:02 to 14:30 UTC (approx)");
        assert_eq!(v.len(), 2);
        assert!(v[0].end <= v[1].start);
    }

    #[test]
    fn ranges_are_two_times() {
        let v = stamps("maintenance 10:00-11:00");
        assert_eq!(v.len(), 2, "{v:?}");
        assert_eq!(
            v[0].raw,
            Raw::Time {
                time: t(10, 0, 0),
                offset: None
            }
        );
        assert_eq!(
            v[1].raw,
            Raw::Time {
                time: t(11, 0, 0),
                offset: None
            }
        );
    }

    #[test]
    fn hour_h_minutes_is_skipped() {
        assert!(stamps("at 14h02 we rolled back").is_empty());
    }

    #[test]
    fn durations_are_accepted_as_times() {
        assert_eq!(time_of("took 12:30 min"), (t(12, 30, 0), None));
    }

    #[test]
    fn leap_second() {
        assert_eq!(inst("2026-06-30T23:59:60Z"), ts("2026-06-30T23:59:59Z"));
        assert_eq!(time_of("23:59:60"), (t(23, 59, 59), None));
        assert!(stamps("23:59:61").is_empty());
    }

    #[test]
    fn invalid_ranges_rejected() {
        for line in [
            "24:00",
            "12:60",
            "2026-13-01",
            "2026-02-30",
            "25/13/2026",
            "99:99:99",
            "7:5",
        ] {
            assert!(stamps(line).is_empty(), "{line:?}: {:?}", stamps(line));
        }
    }

    // ---- month names --------------------------------------------------------

    #[test]
    fn month_name_forms() {
        assert_eq!(
            time_of("Apr 30 00:10 UTC"),
            (t(0, 10, 0), Some(Offset::UTC))
        );
        assert_eq!(civil("Apr 30 2026 00:10:05"), dt(2026, 4, 30, 0, 10, 5));
        assert_eq!(civil("Apr 30, 2026 00:10"), dt(2026, 4, 30, 0, 10, 0));
        assert_eq!(
            one("April 30, 2026").raw,
            Raw::Date(jiff::civil::date(2026, 4, 30))
        );
        assert_eq!(
            inst("on Apr 30, 2026 at 14:02 UTC"),
            ts("2026-04-30T14:02:00Z")
        );
        assert_eq!(civil("Jan 5th, 2026 9:00 AM"), dt(2026, 1, 5, 9, 0, 0));
        assert_eq!(civil("Sept 3 2026 @ 07:00"), dt(2026, 9, 3, 7, 0, 0));
    }

    #[test]
    fn rfc2822() {
        let line = "Date: Thu, 30 Apr 2026 00:10:05 +0000";
        let s = one(line);
        assert_eq!(&line[s.start..s.end], "Thu, 30 Apr 2026 00:10:05 +0000");
        assert_eq!(s.raw, Raw::Instant(ts("2026-04-30T00:10:05Z")));
        assert_eq!(
            inst("30 Apr 2026 00:10:05 -0700"),
            ts("2026-04-30T07:10:05Z")
        );
        assert_eq!(
            inst("Thu, 30 Apr 2026 00:10:05 GMT"),
            ts("2026-04-30T00:10:05Z")
        );
    }

    #[test]
    fn tomcat() {
        assert_eq!(
            one("30-Apr-2026 00:10:05.123 INFO [main] org.apache.catalina.startup.Catalina.start")
                .raw,
            Raw::Civil(jiff::civil::date(2026, 4, 30).at(0, 10, 5, 123_000_000))
        );
    }

    #[test]
    fn access_log() {
        let line = r#"10.0.0.1 - - [30/Apr/2026:00:10:05 +0000] "GET /api HTTP/1.1" 500 512"#;
        let s = one(line);
        assert_eq!(&line[s.start..s.end], "30/Apr/2026:00:10:05 +0000");
        assert_eq!(s.raw, Raw::Instant(ts("2026-04-30T00:10:05Z")));
    }

    #[test]
    fn syslog_without_year_is_time() {
        let s = one("Nov 22 14:02:11 web-1 sshd[812]: Accepted publickey");
        assert_eq!((s.start, s.end), (0, 15));
        assert_eq!(
            s.raw,
            Raw::Time {
                time: t(14, 2, 11),
                offset: None
            }
        );
        assert_eq!(time_of("Nov  2 04:02:11 web-1 cron[1]: x").0, t(4, 2, 11));
        // A month and day alone are not a stamp.
        assert!(stamps("due Apr 30 maybe").is_empty());
    }

    #[test]
    fn ctime_with_trailing_year() {
        assert_eq!(
            inst("Thu Apr 30 00:10:05 UTC 2026"),
            ts("2026-04-30T00:10:05Z")
        );
        assert_eq!(civil("Thu Apr 30 00:10:05 2026"), dt(2026, 4, 30, 0, 10, 5));
    }

    // ---- numeric dates --------------------------------------------------------

    #[test]
    fn us_numeric_dates() {
        assert_eq!(civil("6/2/2026, 11:35:28 PM"), dt(2026, 6, 2, 23, 35, 28));
        assert_eq!(civil("11/15/2016, 9:02:11 AM"), dt(2016, 11, 15, 9, 2, 11));
        assert_eq!(civil("6/2/2026 23:35"), dt(2026, 6, 2, 23, 35, 0));
    }

    #[test]
    fn dmy_setting_and_unambiguous_fallback() {
        let dmy = TimeSettings {
            date_order: DateOrder::Dmy,
            ..TimeSettings::default()
        };
        let v = find_stamps("6/2/2026, 11:35:28 PM", &dmy);
        assert_eq!(v[0].raw, Raw::Civil(dt(2026, 2, 6, 23, 35, 28)));
        // Only one reading is valid: taken whatever the setting.
        let v = find_stamps("11/15/2016, 9:02:11 AM", &dmy);
        assert_eq!(v[0].raw, Raw::Civil(dt(2016, 11, 15, 9, 2, 11)));
        assert_eq!(
            one("25/12/2026").raw,
            Raw::Date(jiff::civil::date(2026, 12, 25))
        );
        assert_eq!(civil("30.04.2026 14:02"), dt(2026, 4, 30, 14, 2, 0));
    }

    // ---- glog -------------------------------------------------------------------

    #[test]
    fn glog_lines() {
        let s = one("I0529 14:02:11.123456    1234 main.cc:42] serving on :8080");
        assert_eq!(s.start, 0);
        assert_eq!(
            s.raw,
            Raw::Time {
                time: jiff::civil::time(14, 2, 11, 123_456_000),
                offset: None
            }
        );
        assert_eq!(time_of("E0529 14:02:11.123456 1 x.go:1] boom").0.hour(), 14);
        assert!(stamps("I1399 14:02:11 x").iter().all(|s| s.start != 0));
    }

    // ---- epoch ----------------------------------------------------------------------

    #[test]
    fn epoch_positions() {
        let want = ts("2024-04-29T23:56:45Z");
        assert_eq!(inst("1714435005 worker started"), want);
        assert_eq!(inst("level=info ts=1714435005 msg=ok"), want);
        assert_eq!(
            inst(r#"{"ts": 1714435005123, "msg": "x"}"#),
            ts("2024-04-29T23:56:45.123Z")
        );
        assert_eq!(inst(r#"{"@timestamp":"1714435005"}"#), want);
        assert_eq!(inst("time=1714435005.5 x"), ts("2024-04-29T23:56:45.5Z"));
        assert_eq!(inst("[1714435005] x"), want);
    }

    #[test]
    fn epoch_elsewhere_or_out_of_range_ignored() {
        for line in [
            "request id=1714435005 failed",
            "processed 1714435005 rows",
            "ts=4200000000",
            "ts=17144350051",
            "ts=171443500",
            "user_ts=1714435005",
        ] {
            assert!(stamps(line).is_empty(), "{line:?}: {:?}", stamps(line));
        }
    }

    // ---- false positives ------------------------------------------------------------

    #[test]
    fn no_false_positives() {
        for line in [
            "upgraded to 2.14.0 from v2.41",
            "500/500 requests ok, 3/4 nodes ready",
            "connect 10.0.0.1 and 1.2.3.4:5432 failed",
            "listening on :8080 and 0.0.0.0:9090",
            "cron */30 * * * * runs",
            "p99 latency 250ms, size 1.5GB, 512MiB",
            "10:20:30:40 is not a time",
            "mac 00:1a:2b:3c:4d:5e",
            "ipv6 fe80::1:2 and 2001:db8::1",
            "ratio 1:2345",
            "build 20260430 of 123456",
            "mayday mayday",
        ] {
            assert!(stamps(line).is_empty(), "{line:?}: {:?}", stamps(line));
        }
    }

    // ---- Moment -----------------------------------------------------------------------

    #[test]
    fn moment_display() {
        assert_eq!(
            Moment::At(ts("2026-06-02T14:02:00Z")).to_string(),
            "2026-06-02T14:02:00Z"
        );
        assert_eq!(
            Moment::At(ts("2026-06-02T14:02:00.123456Z")).to_string(),
            "2026-06-02T14:02:00.123Z"
        );
        assert_eq!(
            Moment::At(ts("2026-06-02T14:02:00.000456Z")).to_string(),
            "2026-06-02T14:02:00Z"
        );
        assert_eq!(
            Moment::TimeOfDay {
                day: 0,
                secs: 50_520
            }
            .to_string(),
            "14:02:00"
        );
        assert_eq!(
            Moment::TimeOfDay {
                day: 1,
                secs: 50_531
            }
            .to_string(),
            "14:02:11 (+1d)"
        );
    }

    #[test]
    fn moment_extremes_do_not_panic() {
        for m in [
            Moment::At(Timestamp::MIN),
            Moment::At(Timestamp::MAX),
            Moment::TimeOfDay {
                day: u16::MAX,
                secs: u32::MAX,
            },
        ] {
            assert!(!m.to_string().is_empty());
            assert!(!short(&m, true).is_empty());
            assert_eq!(m.minutes_until(&m), Some(0));
        }
        let lo = Moment::At(Timestamp::MIN);
        let hi = Moment::At(Timestamp::MAX);
        assert!(lo.minutes_until(&hi).is_some_and(|m| m > 0));
    }

    #[test]
    fn moment_short() {
        let m = Moment::At(ts("2026-06-02T14:02:59Z"));
        assert_eq!(short(&m, false), "14:02 UTC");
        assert_eq!(short(&m, true), "2026-06-02 14:02 UTC");
        let tod = Moment::TimeOfDay {
            day: 0,
            secs: 50_520,
        };
        assert_eq!(short(&tod, false), "14:02");
        assert_eq!(short(&tod, true), "14:02");
        let tod1 = Moment::TimeOfDay {
            day: 1,
            secs: 50_520,
        };
        assert_eq!(short(&tod1, false), "14:02");
    }

    #[test]
    fn moment_key_and_minutes() {
        let a = Moment::At(ts("2026-06-02T14:02:00Z"));
        let b = Moment::At(ts("2026-06-02T15:32:30Z"));
        assert_eq!(a.key(), ts("2026-06-02T14:02:00Z").as_second());
        assert_eq!(a.minutes_until(&b), Some(90));
        assert_eq!(b.minutes_until(&a), Some(-90));
        let x = Moment::TimeOfDay {
            day: 0,
            secs: 23 * 3600 + 50 * 60,
        };
        let y = Moment::TimeOfDay {
            day: 1,
            secs: 10 * 60,
        };
        assert_eq!(y.key(), 86_400 + 600);
        assert_eq!(x.minutes_until(&y), Some(20));
        assert_eq!(a.minutes_until(&x), None);
        assert!(x < y);
    }

    // ---- resolve ------------------------------------------------------------------------

    #[test]
    fn rollover_across_midnight_with_anchor() {
        let r = res(&[
            "Incident 2026-04-30",
            "23:50 alert fired",
            "23:58 paged on-call",
            "00:10 mitigated",
            "no time here",
            "00:40 resolved",
        ]);
        assert_eq!(
            show(&r),
            [
                "-",
                "2026-04-30T23:50:00Z",
                "2026-04-30T23:58:00Z",
                "2026-05-01T00:10:00Z",
                "-",
                "2026-05-01T00:40:00Z"
            ]
        );
        assert_eq!(r.anchor_date, Some(jiff::civil::date(2026, 4, 30)));
    }

    #[test]
    fn rollover_without_date_is_time_of_day() {
        let r = res(&["23:50 alert", "23:59:30 page", "00:10 fix", "01:00 done"]);
        assert_eq!(
            r.per_line,
            vec![
                Some(Moment::TimeOfDay {
                    day: 0,
                    secs: 85_800
                }),
                Some(Moment::TimeOfDay {
                    day: 0,
                    secs: 86_370
                }),
                Some(Moment::TimeOfDay { day: 1, secs: 600 }),
                Some(Moment::TimeOfDay { day: 1, secs: 3600 }),
            ]
        );
        assert_eq!(r.anchor_date, None);
    }

    #[test]
    fn small_backwards_step_is_not_rollover() {
        let r = res(&["14:02 a", "13:58 b (out of order)", "01:30 c"]);
        assert_eq!(show(&r), ["14:02:00", "13:58:00", "01:30:00 (+1d)"]);
    }

    #[test]
    fn anchors_to_header_on_later_line() {
        let r = res(&[
            "14:02 deploy",
            "14:10 errors",
            "---",
            "Postmortem for Apr 30, 2026",
        ]);
        assert_eq!(
            show(&r),
            ["2026-04-30T14:02:00Z", "2026-04-30T14:10:00Z", "-", "-"]
        );
        assert_eq!(r.anchor_date, Some(jiff::civil::date(2026, 4, 30)));
    }

    #[test]
    fn later_explicit_date_reanchors() {
        let r = res(&[
            "2026-04-30",
            "23:00 a",
            "2026-05-02",
            "01:00 b",
            "2026-05-02 03:00:00 c",
            "02:00 d",
        ]);
        assert_eq!(
            show(&r),
            [
                "-",
                "2026-04-30T23:00:00Z",
                "-",
                "2026-05-02T01:00:00Z",
                "2026-05-02T03:00:00Z",
                "2026-05-02T02:00:00Z"
            ]
        );
    }

    #[test]
    fn explicit_time_counts_for_rollover() {
        let r = res(&["2026-04-30T23:50:00Z start", "00:05 follow-up"]);
        assert_eq!(show(&r), ["2026-04-30T23:50:00Z", "2026-05-01T00:05:00Z"]);
    }

    #[test]
    fn only_first_time_of_a_line_drives_state() {
        let r = res(&["2026-04-30", "23:50 restart scheduled for 00:30", "23:55 x"]);
        assert_eq!(
            show(&r),
            ["-", "2026-04-30T23:50:00Z", "2026-04-30T23:55:00Z"]
        );
    }

    #[test]
    fn declared_zone_us_eastern() {
        let r = res(&[
            "All times are US Eastern",
            "2026-04-30",
            "10:00 deploy",
            "10:05 UTC page",
        ]);
        assert_eq!(r.declared_zone.as_deref(), Some("US Eastern"));
        assert_eq!(show(&r)[2], "2026-04-30T14:00:00Z");
        assert_eq!(show(&r)[3], "2026-04-30T10:05:00Z");
        let r = res(&["times in ET", "2026-01-15 10:00 x"]);
        assert_eq!(r.declared_zone.as_deref(), Some("ET"));
        assert_eq!(show(&r)[1], "2026-01-15T15:00:00Z");
    }

    #[test]
    fn declared_zone_variants() {
        let r = res(&["Timeline (times in CST)", "2026-04-30", "10:00 x"]);
        assert_eq!(r.declared_zone.as_deref(), Some("CST"));
        assert_eq!(show(&r)[2], "2026-04-30T16:00:00Z");
        let r = res(&["## Timeline (PDT)", "Apr 30, 2026", "9:00 AM x"]);
        assert_eq!(r.declared_zone.as_deref(), Some("PDT"));
        assert_eq!(show(&r)[2], "2026-04-30T16:00:00Z");
        assert_eq!(res(&["Times UTC"]).declared_zone.as_deref(), Some("UTC"));
        assert_eq!(
            res(&["Timezone: Europe/Oslo"]).declared_zone.as_deref(),
            Some("Europe/Oslo")
        );
        let r = res(&["TZ=Europe/Oslo", "2026-07-01 12:00 x"]);
        assert_eq!(show(&r)[1], "2026-07-01T10:00:00Z");
        assert_eq!(
            res(&["Eastern time"]).declared_zone.as_deref(),
            Some("Eastern")
        );
        assert_eq!(
            res(&["all times +02:00"]).declared_zone.as_deref(),
            Some("+02:00")
        );
        // Not declarations.
        assert_eq!(res(&["response time is 300 ms"]).declared_zone, None);
        assert_eq!(res(&["estimated time (est.) 5 min"]).declared_zone, None);
        assert_eq!(res(&["14:02 deploy (UTC)"]).declared_zone, None);
    }

    #[test]
    fn unknown_iana_declaration_reported_not_applied() {
        let r = res(&["all times in Antarctica/Troll", "2026-04-30 10:00 x"]);
        assert_eq!(r.declared_zone.as_deref(), Some("Antarctica/Troll"));
        assert_eq!(show(&r)[1], "2026-04-30T10:00:00Z");
    }

    #[test]
    fn settings_tz_used_without_declaration() {
        let s = TimeSettings {
            tz: parse_zone("+02:00").expect("fixed offset parses"),
            ..TimeSettings::default()
        };
        let r = resolve(&["2026-04-30 10:00 x", "10:30 y", "10:45Z z"], &s);
        assert_eq!(
            show(&r),
            [
                "2026-04-30T08:00:00Z",
                "2026-04-30T08:30:00Z",
                "2026-04-30T10:45:00Z"
            ]
        );
    }

    #[test]
    fn syslog_takes_year_from_anchor() {
        let r = res(&[
            "Report for 2026-11-20",
            "Nov 22 14:02:11 web-1 sshd[1]: x",
            "14:05 y",
        ]);
        assert_eq!(
            show(&r),
            ["-", "2026-11-22T14:02:11Z", "2026-11-22T14:05:00Z"]
        );
        let r = res(&[
            "Report 2027-01-01",
            "Dec 31 23:59:00 web-1 x",
            "Jan  1 00:01:00 web-1 y",
        ]);
        assert_eq!(
            show(&r),
            ["-", "2026-12-31T23:59:00Z", "2027-01-01T00:01:00Z"]
        );
    }

    #[test]
    fn syslog_without_anchor_counts_days() {
        let r = res(&[
            "Nov 22 23:59:00 a",
            "Nov 23 00:01:00 b",
            "Nov 25 09:00:00 c",
            "09:30 d",
        ]);
        assert_eq!(
            show(&r),
            [
                "23:59:00",
                "00:01:00 (+1d)",
                "09:00:00 (+3d)",
                "09:30:00 (+3d)"
            ]
        );
        let r = res(&[
            "I0529 23:59:59.1 1 a.cc:1] x",
            "I0530 00:00:01.2 1 a.cc:1] y",
        ]);
        assert_eq!(show(&r), ["23:59:59", "00:00:01 (+1d)"]);
    }

    #[test]
    fn epoch_implies_anchor() {
        let r = res(&["1714435005 start", "00:30 later", "14:30 then"]);
        assert_eq!(r.anchor_date, Some(jiff::civil::date(2024, 4, 29)));
        assert_eq!(
            show(&r),
            [
                "2024-04-29T23:56:45Z",
                "2024-04-30T00:30:00Z",
                "2024-04-30T14:30:00Z"
            ]
        );
    }

    #[test]
    fn dmy_in_resolve() {
        let s = TimeSettings {
            date_order: DateOrder::Dmy,
            ..TimeSettings::default()
        };
        let r = resolve(&["1/2/2026 10:00 x", "11:00 y"], &s);
        assert_eq!(show(&r), ["2026-02-01T10:00:00Z", "2026-02-01T11:00:00Z"]);
    }

    #[test]
    fn time_of_day_converts_fixed_offsets() {
        let r = res(&["10:00 EST a", "15:30 b"]);
        assert_eq!(show(&r), ["15:00:00", "15:30:00"]);
    }

    #[test]
    fn per_line_has_one_entry_per_line() {
        let lines = ["", "  ", "nothing", "2026-04-30", "x 14:02 y"];
        let r = res(&lines);
        assert_eq!(r.per_line.len(), lines.len());
        assert_eq!(show(&r), ["-", "-", "-", "-", "2026-04-30T14:02:00Z"]);
        assert!(res(&[]).per_line.is_empty());
    }

    // ---- parse_zone -----------------------------------------------------------------------

    fn offset_at(tz: &TimeZone, when: &str) -> i32 {
        tz.to_offset(ts(when)).seconds()
    }

    #[test]
    fn parse_zone_names_and_offsets() {
        let summer = "2026-07-01T12:00:00Z";
        let winter = "2026-01-15T12:00:00Z";
        let z = |n: &str| parse_zone(n).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(offset_at(&z("UTC"), summer), 0);
        assert_eq!(offset_at(&z(" utc "), summer), 0);
        assert_eq!(offset_at(&z("+02:00"), summer), 7200);
        assert_eq!(offset_at(&z("-0500"), summer), -18_000);
        assert_eq!(offset_at(&z("UTC+5:30"), summer), 19_800);
        assert_eq!(offset_at(&z("Europe/Oslo"), summer), 7200);
        assert_eq!(offset_at(&z("Europe/Oslo"), winter), 3600);
        assert_eq!(offset_at(&z("America/New_York"), summer), -14_400);
        assert_eq!(offset_at(&z("America/New_York"), winter), -18_000);
        assert_eq!(offset_at(&z("EST"), summer), -18_000);
        assert_eq!(offset_at(&z("IST"), summer), 19_800);
        assert_eq!(offset_at(&z("US Eastern"), summer), -14_400);
        assert_eq!(offset_at(&z("EST5EDT,M3.2.0,M11.1.0"), winter), -18_000);
        assert!(parse_zone("").is_err());
        assert!(parse_zone("Nowhere/Special").is_err());
        assert!(parse_zone("+25:00").is_err());
        let e = parse_zone("bogus zone").expect_err("unknown");
        assert!(e.contains("bogus zone"), "{e}");
    }

    #[test]
    fn builtin_rules_all_parse() {
        for (name, rule) in BUILTIN_ZONES {
            assert!(TimeZone::posix(rule).is_ok(), "{name}: {rule}");
        }
        for rule in [
            US_EASTERN,
            US_CENTRAL,
            US_MOUNTAIN,
            US_PACIFIC,
            EU_WESTERN,
            EU_CENTRAL,
            EU_EASTERN,
            UK,
            AU_EASTERN,
        ] {
            assert!(TimeZone::posix(rule).is_ok(), "{rule}");
        }
    }

    // ---- robustness -----------------------------------------------------------------------

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            // xorshift64*
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }

    fn check_spans(line: &str) {
        for s in [
            TimeSettings::default(),
            TimeSettings {
                date_order: DateOrder::Dmy,
                ..TimeSettings::default()
            },
        ] {
            let v = find_stamps(line, &s);
            let mut last = 0;
            for st in &v {
                assert!(
                    st.start < st.end && st.end <= line.len(),
                    "{line:?}: {st:?}"
                );
                assert!(st.start >= last, "overlap in {line:?}: {v:?}");
                assert!(line.is_char_boundary(st.start) && line.is_char_boundary(st.end));
                last = st.end;
            }
        }
    }

    #[test]
    fn fuzz_random_bytes() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut lines = Vec::new();
        for _ in 0..3000 {
            let len = rng.below(120);
            let bytes: Vec<u8> = (0..len).map(|_| (rng.next() >> 24) as u8).collect();
            let line = String::from_utf8_lossy(&bytes).into_owned();
            check_spans(&line);
            lines.push(line);
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(resolve(&refs, &st()).per_line.len(), refs.len());
    }

    #[test]
    fn fuzz_stamp_fragments() {
        const PIECES: &[&str] = &[
            "2026",
            "-",
            "04",
            "30",
            "T",
            " ",
            ":",
            "12",
            "59",
            "60",
            "7",
            ".",
            ",",
            "123456789",
            "Z",
            "+",
            "02",
            "00",
            "0500",
            "UTC",
            "GMT",
            "ET",
            "CST",
            "PM",
            "am",
            "a.m.",
            "Apr",
            "Nov",
            "Thu",
            ",",
            "/",
            "[",
            "]",
            "(",
            ")",
            "1714435005",
            "1714435005123",
            "ts=",
            "\"ts\":",
            "I0529",
            "at",
            "@",
            "\t",
            "é",
            "\u{fffd}",
            "9999",
            "0",
            "99",
            "Sept",
            "30th",
            "times",
            "in",
            "US",
            "Eastern",
            "Europe/Oslo",
        ];
        let mut rng = Rng(42);
        let mut lines = Vec::new();
        for _ in 0..20_000 {
            let n = rng.below(14);
            let line: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            check_spans(&line);
            lines.push(line);
        }
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        for chunk in refs.chunks(50) {
            let r = resolve(chunk, &st());
            assert_eq!(r.per_line.len(), chunk.len());
            for m in r.per_line.iter().flatten() {
                let _ = (m.to_string(), short(m, true), m.key());
            }
        }
    }

    #[test]
    fn invalid_utf8_is_handled() {
        let line = String::from_utf8_lossy(b"\xff\xfe14:02\xc3 UTC\x80 2026-04-30\xe2\x82");
        let v = stamps(&line);
        assert_eq!(v.len(), 2, "{v:?}");
        check_spans(&line);
        let r = res(&[&line]);
        assert_eq!(show(&r), ["2026-04-30T14:02:00Z"]);
    }

    #[test]
    fn megabyte_lines_are_fast() {
        let words = "lorem ipsum 12345 dolor 10.0.0.1 sit amet v2.41 500/500 Mar may Thursday 1:2 ";
        let text = words.repeat(1_000_000 / words.len() + 1);
        let digits = "1234567:".repeat(130_000);
        let colons = "1:".repeat(500_000);
        let spaces_then_epochs = format!("{}{}", " ".repeat(500_000), "1714435005 ".repeat(40_000));
        let start = std::time::Instant::now();
        assert!(stamps(&text).is_empty());
        assert!(stamps(&digits).is_empty());
        assert!(stamps(&colons).is_empty());
        assert_eq!(stamps(&spaces_then_epochs).len(), 1);
        let r = res(&[&text, &digits, &colons]);
        assert_eq!(r.per_line, vec![None, None, None]);
        let took = start.elapsed();
        assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    }
}
