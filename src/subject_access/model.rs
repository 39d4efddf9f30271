//! The export as one value: what the printed page shows and what the JSON archive holds are
//! the same struct, rendered twice (the template, `serde_json`), so they cannot differ. Dates,
//! instants and sums are small types that print the Polish way on the page and serialize the
//! machine way in the archive (ISO 8601, RFC 3339, integer grosze); a scan's content is in the
//! archive only (base64), the page names the file.

use std::fmt;

use serde::{Serialize, Serializer};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::validate::dates;

/// The archive's format name and version, so that a reader knows what it holds.
pub const FORMAT: &str = "teczka.subject-access/1";

/// A calendar date: `dd.mm.rrrr` on the page, `YYYY-MM-DD` in the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day(pub Date);

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&dates::format(self.0))
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&dates::iso(self.0))
    }
}

/// An instant: Polish local time on the page, RFC 3339 (UTC) in the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moment(pub OffsetDateTime);

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&dates::format_moment(self.0))
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let utc = self.0.to_offset(time::UtcOffset::UTC);
        let text = utc
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }
}

/// A sum of money: "1 234,56 zł" on the page, integer grosze in the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money(pub i64);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::domain::money::format_pln(self.0))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

/// A scan's bytes: base64 (RFC 4648, with padding) in the archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64(&self.0))
    }
}

/// Standard base64 with padding (RFC 4648 section 4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A labelled value ("PESEL": "80010112345").
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub label: String,
    pub value: String,
}

impl Entry {
    /// An entry.
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
        }
    }
}

/// Everything the centre holds about one person, as released to them.
#[derive(Clone, Debug, Serialize)]
pub struct Export {
    pub format: &'static str,
    pub produced_at: Moment,
    pub produced_by: String,
    pub centre: Centre,
    pub person: Person,
    pub participation: Vec<Entry>,
    pub status_history: Vec<HistoryLine>,
    pub recruitment_documents: Vec<RecruitmentDocument>,
    pub case_notes: Vec<Note>,
    pub documents: Vec<Document>,
    pub opinions: Vec<Opinion>,
    pub attendance: Vec<AttendanceDay>,
    pub attendance_corrections: Vec<AttendanceCorrection>,
    pub benefit_statements: Vec<Statement>,
    pub benefit_corrections: Vec<BenefitCorrection>,
    pub bonus_decisions: Vec<Bonus>,
    pub follow_up_contacts: Vec<Contact>,
    pub access_log: Vec<Access>,
}

/// The controller.
#[derive(Clone, Debug, Serialize)]
pub struct Centre {
    pub name: String,
    pub address: String,
}

/// Who the export is about.
#[derive(Clone, Debug, Serialize)]
pub struct Person {
    pub participant_id: Uuid,
    pub name: String,
    pub status: &'static str,
    /// Identity, contact, referral, consent and the eligibility categories.
    pub identity: Vec<Entry>,
}

/// A status change, a change of social worker or a document's workflow step.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryLine {
    pub on: Day,
    pub what: String,
    pub reason: Option<String>,
    pub by: Option<String>,
}

/// A recruitment document.
#[derive(Clone, Debug, Serialize)]
pub struct RecruitmentDocument {
    pub kind: &'static str,
    pub date: Day,
    pub content: String,
    pub author: String,
}

/// A case note: its text only when released; else why not.
#[derive(Clone, Debug, Serialize)]
pub struct Note {
    pub on: Day,
    pub author: Option<String>,
    /// Who the note was written for ("Tylko psycholog – notatka terapeutyczna").
    pub audience: &'static str,
    /// Conversation, home visit, … (released notes only).
    pub kind: Option<&'static str>,
    pub topic: Option<String>,
    pub text: Option<String>,
    pub withheld: Option<&'static str>,
    /// It corrects an earlier note.
    pub correction: bool,
}

/// An IPZS or a social contract with every version, signature, scan and step.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    pub document_id: Uuid,
    pub kind: &'static str,
    pub status: &'static str,
    pub versions: Vec<Version>,
    pub signatures: Vec<Signature>,
    pub scans: Vec<Scan>,
    pub history: Vec<Step>,
    /// Monitoring entries, the realization log, the evaluation.
    pub records: Vec<Record>,
}

/// Something recorded while a document ran (a monitoring entry, an action, Part II).
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    pub on: Day,
    pub what: String,
    pub by: String,
    pub details: Vec<Entry>,
}

/// One version of a document, its text labelled.
#[derive(Clone, Debug, Serialize)]
pub struct Version {
    pub number: i32,
    pub status: &'static str,
    pub created_at: Moment,
    pub created_by: String,
    pub reason: Option<String>,
    pub text: Vec<Entry>,
}

/// A recorded (paper) signature.
#[derive(Clone, Debug, Serialize)]
pub struct Signature {
    pub version: i32,
    pub party: &'static str,
    pub signed_on: Day,
    pub recorded_by: String,
}

/// A scan of the signed paper; its bytes in the archive only.
#[derive(Clone, Debug, Serialize)]
pub struct Scan {
    pub version: i32,
    pub file_name: String,
    pub media_type: String,
    pub size: i32,
    pub uploaded_at: Moment,
    pub uploaded_by: String,
    pub content_base64: Bytes,
}

/// A workflow step of a document.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub at: Moment,
    pub version: i32,
    pub step: &'static str,
    pub comment: Option<String>,
    pub by: String,
}

/// An opinion for the IPZS: its text only when released.
#[derive(Clone, Debug, Serialize)]
pub struct Opinion {
    pub kind: &'static str,
    pub status: &'static str,
    pub author: String,
    pub requested_at: Moment,
    pub signed_off_at: Option<Moment>,
    pub text: Vec<Entry>,
    pub withheld: Option<&'static str>,
}

/// One day of attendance.
#[derive(Clone, Debug, Serialize)]
pub struct AttendanceDay {
    pub day: Day,
    pub status: &'static str,
    pub hours: String,
    pub reason: Option<String>,
    pub workshop: Option<String>,
}

/// A correction of a day's attendance.
#[derive(Clone, Debug, Serialize)]
pub struct AttendanceCorrection {
    pub day: Day,
    pub before: String,
    pub after: String,
    pub reason: String,
    pub by: String,
    pub at: Moment,
}

/// A month's benefit statement (the latest revision).
#[derive(Clone, Debug, Serialize)]
pub struct Statement {
    pub month: String,
    pub revision: i32,
    pub benefit: Money,
    pub bonus: Money,
}

/// A correction of a closed month's benefit.
#[derive(Clone, Debug, Serialize)]
pub struct BenefitCorrection {
    pub month: String,
    pub benefit_difference: Money,
    pub bonus_difference: Money,
    pub reason: String,
    pub at: Moment,
}

/// A motivational bonus decision.
#[derive(Clone, Debug, Serialize)]
pub struct Bonus {
    pub month: String,
    pub amount: Money,
    pub granted: bool,
    pub justification: String,
    pub decided_by: String,
    pub decided_at: Moment,
}

/// A follow-up contact with the graduate.
#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    pub on: Day,
    pub reached: bool,
    pub recorded_by: String,
    pub details: Vec<Entry>,
}

/// One opening of the file.
#[derive(Clone, Debug, Serialize)]
pub struct Access {
    pub at: Moment,
    pub who: String,
    pub role: &'static str,
    pub parts: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64(&[0xFF, 0xFE, 0xFD]), "//79");
    }

    #[test]
    fn values_print_the_polish_way_and_serialize_the_machine_way() {
        let day = Day(time::macros::date!(2026 - 03 - 05));
        assert_eq!(day.to_string(), "05.03.2026");
        assert_eq!(
            serde_json::to_string(&day).unwrap_or_default(),
            "\"2026-03-05\""
        );
        let money = Money(123_456);
        assert_eq!(money.to_string(), "1\u{a0}234,56\u{a0}zł");
        assert_eq!(serde_json::to_string(&money).unwrap_or_default(), "123456");
        let at = Moment(time::macros::datetime!(2026-07-01 10:00 UTC));
        assert_eq!(at.to_string(), "01.07.2026 12:00");
        assert_eq!(
            serde_json::to_string(&at).unwrap_or_default(),
            "\"2026-07-01T10:00:00Z\""
        );
    }
}
